'use strict';
/**
 * A realistic history: `petitions` petitions over the councils of rulebook/councils.json (most
 * at communes), citizens' and associations' petitions, with fates across the whole lifecycle
 * (collecting, threshold reached, submitted and some overdue, admissible, answered, inadmissible,
 * withdrawn, closed), and about `events` events in all — mostly PetitionSigned, interleaved
 * across the petitions being signed at the time, a few signatures withdrawn. Seeded: the same
 * data set every run (ids and hashes differ).
 */
const { rng: makeRng, identityNumber, log } = require('./common');

const DAY = 86_400_000;

const TOPICS = [
  ['Éclairage public', 'lampadaires solaires'],
  ['Réfection de la route', 'revêtement et trottoirs'],
  ['Transport scolaire', 'navettes pour les élèves'],
  ['Espaces verts', 'jardin public et arbres'],
  ['Collecte des déchets', 'bennes et ramassage quotidien'],
  ['Centre de santé', 'médecin et horaires élargis'],
  ['Bibliothèque municipale', 'salle de lecture et livres'],
  ['Terrain de sport', 'terrain de proximité pour les jeunes'],
  ['Assainissement', 'raccordement au réseau'],
  ['Marché couvert', 'étals pour les commerçants'],
  ['Eau potable', 'bornes fontaines et réseau'],
  ['Sécurité routière', 'ralentisseurs et passages piétons'],
];
const PLACES = ['El Wahda', 'Al Amal', 'Hay Salam', 'Nahda', 'Al Massira', 'Lakhiam', 'Al Qods', 'Hay Mohammadi', 'Ennour', 'Al Fath', 'Errahma', 'Assalam'];

const CITIZEN_FATES = [
  ['collecting', 0.45],
  ['threshold', 0.1],
  ['submitted', 0.12],
  ['admissible', 0.08],
  ['answered', 0.1],
  ['inadmissible', 0.07],
  ['withdrawn', 0.08],
];
const ASSOCIATION_FATES = [
  ['collecting', 0.35],
  ['submitted', 0.2],
  ['admissible', 0.1],
  ['answered', 0.15],
  ['inadmissible', 0.1],
  ['withdrawn', 0.1],
];
const LIFECYCLE_EVENTS = { collecting: 0, threshold: 1, submitted: 2, admissible: 3, answered: 4.5, inadmissible: 3.5, withdrawn: 1 };
const NEEDS_THRESHOLD = new Set(['threshold', 'submitted', 'admissible', 'answered', 'inadmissible']);

function pickWeighted(rng, table) {
  let u = rng();
  for (const [value, weight] of table) {
    if ((u -= weight) < 0) return value;
  }
  return table[table.length - 1][0];
}

function councilTable(history) {
  const ids = [...history.councils.keys()];
  const communes = ids.filter((id) => history.councils.get(id).level === 'commune');
  const provinces = ids.filter((id) => history.councils.get(id).level === 'province');
  const regions = ids.filter((id) => history.councils.get(id).level === 'region');
  // Most petitions address communes; commune-tan-tan gets about a fifth of all.
  const table = [];
  for (const id of communes) table.push([id, id === 'commune-tan-tan' ? 0.2 : 0.3 / (communes.length - 1)]);
  for (const id of provinces) table.push([id, 0.35 / provinces.length]);
  for (const id of regions) table.push([id, 0.15 / regions.length]);
  return table;
}

/** Plans fates and signature counts so that the history holds about `events` events. */
function plan(history, rng, petitions, events) {
  const councils = councilTable(history);
  const plans = [];
  for (let i = 0; i < petitions; i++) {
    const councilId = pickWeighted(rng, councils);
    const petitionerType = rng() < 0.8 ? 'citizens' : 'association';
    const fate = pickWeighted(rng, petitionerType === 'citizens' ? CITIZEN_FATES : ASSOCIATION_FATES);
    const council = history.councils.get(councilId);
    const threshold = history.threshold(councilId);
    const required = petitionerType === 'citizens' ? threshold.required : 0;
    plans.push({
      index: i,
      councilId,
      level: council.level,
      provinces: council.level === 'region' ? history.provinces(councilId) : null,
      petitionerType,
      fate,
      required,
      closeAfter: (fate === 'answered' || fate === 'inadmissible') && rng() < 0.5,
      overdue: fate === 'submitted' && rng() < 0.4,
      decision: pickWeighted(rng, [
        ['adopted', 0.5],
        ['partially_adopted', 0.3],
        ['rejected', 0.2],
      ]),
      signatures: 0,
      weight: Math.pow(-Math.log(1 - rng() * 0.999), 2) + 0.05,
    });
  }
  const lifecycle = plans.reduce((s, p) => s + 1 + LIFECYCLE_EVENTS[p.fate] + (p.closeAfter ? 1 : 0), 0);
  const budget = Math.max(0, events - lifecycle);
  // Petitions that must reach their threshold: fewer of them if the budget cannot pay for it.
  const needing = plans.filter((p) => p.petitionerType === 'citizens' && NEEDS_THRESHOLD.has(p.fate)).sort((a, b) => b.required - a.required);
  let minimum = needing.reduce((s, p) => s + p.required, 0);
  for (const p of needing) {
    if (minimum <= budget * 0.85) break;
    p.fate = 'collecting';
    minimum -= p.required;
  }
  for (const p of plans) p.signatures = p.petitionerType === 'citizens' && NEEDS_THRESHOLD.has(p.fate) ? p.required : 0;
  // The rest goes by heavy-tailed weights; a citizens' petition still collecting stays below its threshold.
  const cap = (p) => (p.petitionerType === 'citizens' && (p.fate === 'collecting' || p.fate === 'withdrawn') ? p.required - 1 : Infinity);
  let remaining = budget - minimum;
  for (let round = 0; round < 6 && remaining > 0; round++) {
    const open = plans.filter((p) => p.signatures < cap(p));
    if (open.length === 0) break;
    const total = open.reduce((s, p) => s + p.weight, 0);
    let given = 0;
    for (const p of open) {
      const share = Math.min(cap(p) - p.signatures, Math.floor((remaining * p.weight) / total));
      p.signatures += share;
      given += share;
    }
    remaining -= given;
    if (given === 0) {
      open.sort((a, b) => b.weight - a.weight)[0].signatures += Math.min(remaining, cap(open[0]) - open[0].signatures);
      break;
    }
  }
  return plans;
}

function texts(rng, i) {
  const [topic, detail] = TOPICS[i % TOPICS.length];
  const place = rng.pick(PLACES);
  return {
    title: `${topic} du quartier ${place} (${i})`,
    subject: `${topic} du quartier ${place} : demande des habitants au conseil concernant ${detail}, dossier ${i}`,
    requests: `Inscrire au budget ${detail} pour le quartier ${place}, avec un calendrier des travaux et un suivi public.`,
    reasons: `Les habitants du quartier ${place} attendent ${detail} depuis plusieurs années ; la sécurité et la santé en dépendent.`,
  };
}

/**
 * Writes the history into `history` (a History on a fresh DATA_DIR). Returns counts by fate,
 * the number of events and their head position.
 */
async function generate(history, { petitions, events, seed = 42, spanDays = 365, txEvents = 20000, withdrawRate = 0.003 }) {
  const rng = makeRng(seed);
  const plans = plan(history, rng, petitions, events);
  const stepMs = (spanDays * DAY) / Math.max(1, events);
  const fileEvery = (0.7 * events) / petitions;
  const db = history.db;
  const started = Date.now();
  let sinceCommit = 0;
  let lastLog = Date.now();
  db.exec('BEGIN IMMEDIATE');
  const tick = (n = 1) => {
    history.advance(Math.round(stepMs * n * (0.5 + rng())));
    sinceCommit += n;
    if (sinceCommit >= txEvents) {
      db.exec('COMMIT');
      db.exec('BEGIN IMMEDIATE');
      sinceCommit = 0;
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`  … ${history.events.toLocaleString('en')} events written`);
      }
    }
  };
  try {
    const active = [];
    let next = 0;
    while (next < plans.length || active.length > 0) {
      if (next < plans.length && (active.length === 0 || history.events >= next * fileEvery)) {
        const p = plans[next++];
        p.id = await history.file(p.councilId, {
          petitionerType: p.petitionerType,
          agentId: `${p.petitionerType === 'association' ? 'assoc' : 'agent'}-${p.index}`,
          ...texts(rng, p.index),
        });
        p.signed = 0;
        active.push(p);
        tick();
        continue;
      }
      const slot = Math.floor(rng() * active.length);
      const p = active[slot];
      const k = Math.min(p.signatures - p.signed, 1 + Math.floor(rng() * 4));
      for (let j = 0; j < k; j++) {
        const identity = identityNumber(p.index % 676, p.signed);
        const province = p.provinces ? p.provinces[p.signed % p.provinces.length] : undefined;
        await history.signFast(p.id, identity, province);
        p.signed += 1;
        if (p.fate === 'collecting' && rng() < withdrawRate) {
          await history.withdrawSignature(p.id, identity);
        }
      }
      tick(k);
      if (p.signed >= p.signatures) {
        active[slot] = active[active.length - 1];
        active.pop();
        await lifecycle(history, p);
        tick(1);
      }
    }
    // Later: the deadline watch finds some submitted petitions overdue.
    history.advance(100 * DAY);
    for (const p of plans) if (p.fate === 'submitted' && p.overdue) await history.missDeadline(p.id);
    // Rounding leaves the history a little short of `events`: one more association's petition tops it up.
    let head = Number(await history.headPosition());
    if (head < events) {
      const id = await history.file('commune-tan-tan', { petitionerType: 'association', agentId: 'assoc-topup', ...texts(rng, plans.length) });
      head = Number(await history.headPosition());
      for (let i = 0; head < events; i++, head++) {
        await history.signFast(id, identityNumber(675, i));
        tick();
      }
      head = Number(await history.headPosition());
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  const fates = {};
  for (const p of plans) fates[p.fate] = (fates[p.fate] ?? 0) + 1;
  const head = await history.headPosition();
  return { petitions: plans.length, events: Number(head), fates, seconds: (Date.now() - started) / 1000, plans };
}

async function lifecycle(history, p) {
  const id = p.id;
  switch (p.fate) {
    case 'collecting':
    case 'threshold':
      return;
    case 'withdrawn':
      await history.withdraw(id);
      return;
    default:
      break;
  }
  await history.submit(id);
  if (p.fate === 'submitted') return;
  if (p.fate === 'inadmissible') {
    await history.inadmissible(id);
  } else {
    await history.admissible(id);
    if (p.fate === 'answered') await history.respond(id, p.decision);
  }
  if (p.closeAfter) await history.close(id);
}

module.exports = { generate };
