'use strict';
/**
 * Writes a realistic history into DATA_DIR (bench/lib/dataset.js) in its own process, so that
 * the process that later forks the measured one stays small: on Linux a child's
 * process.resourceUsage().maxRSS starts from its parent's resident set at fork time. Then the
 * witness petitions (bench/lib/shared-history.js): each one signature short of its threshold.
 *
 * argv[2]: JSON { dir, petitions, events, seed, signerKey, witnesses? } — petitions 0: no
 * generated history, only the self-check's petition and the witnesses.
 */
const { phaseMain, identityNumber } = require('../lib/common');
const { History } = require('../lib/history');
const { generate } = require('../lib/dataset');

async function run({ dir, petitions, events, seed, signerKey, witnesses = 0 }) {
  const started = Date.now();
  const history = new History(dir, { signerKey });
  await history.selfCheck();
  const generated = petitions > 0 ? await generate(history, { petitions, events, seed }) : { petitions: 0, fates: {} };
  const witnessed = [];
  for (let w = 0; w < witnesses; w++) {
    const id = await history.file('commune-tan-tan', {
      agentId: `agent-witness-${w}`,
      title: `Pétition témoin ${w + 1} : aire de jeux du quartier Al Amal`,
      subject: `Aire de jeux du quartier Al Amal : demande des habitants au conseil, dossier témoin ${w + 1}`,
      requests: 'Aménager une aire de jeux ombragée avec des bancs près de l’école du quartier',
      reasons: 'Les enfants du quartier jouent dans la rue faute d’espace sûr à proximité',
    });
    const { required, thresholdApplies } = history.info.get(id);
    if (!thresholdApplies || required < 2) throw new Error(`witness petition: a threshold of ${required} leaves nothing to prove`);
    // One short of the threshold: the next signature, through the API, must make the command side record it.
    await history.batch(async () => {
      for (let i = 0; i < required - 1; i++) {
        await history.signFast(id, identityNumber(700 + w, i));
        history.advance(45_000);
      }
    });
    witnessed.push({ id, councilId: 'commune-tan-tan', required, signatures: required - 1 });
  }
  const head = Number(await history.headPosition());
  await history.close_();
  return {
    petitions: generated.petitions,
    events: head,
    fates: generated.fates,
    seconds: (Date.now() - started) / 1000,
    witnesses: witnessed,
  };
}

module.exports = { run };
phaseMain(module, run);
