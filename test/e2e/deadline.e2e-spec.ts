/**
 * The deadline watch: once a submitted petition's due date passes with no admissibility decision,
 * exactly one ResponseDeadlineMissed is recorded — not twice, not for a petition decided in time,
 * not by a second check, a concurrent check or a restarted instance.
 */
import { createApp } from '../../src/bootstrap';
import { DeadlineWatch } from '../../src/processes/deadline-watch/deadline-watch.service';
import { loadConfig } from '../../src/config/app-config';
import { associationPetition, DAY, History, MINUTE, plusMonths, useApp } from './harness';

const h = useApp();
let watch: DeadlineWatch;
let rep: string;

beforeAll(async () => {
  watch = h.app.get(DeadlineWatch);
  rep = await h.token('rep-deadline', ['association_rep']);
});

/** Files and submits an association's petition (no signatures needed); returns its id and due date. */
async function submitted(councilId: string): Promise<{ id: string; submittedAt: string; dueAt: string }> {
  const filed = await h.post('/petitions', associationPetition(councilId), rep);
  expect(filed.status).toBe(201);
  const submittedAt = h.clock.iso();
  const res = await h.post(`/petitions/${filed.body.id}/submission`, undefined, rep, { 'x-correlation-id': `deadline-${filed.body.id}` });
  expect(res.status).toBe(200);
  const page = await h.petition(filed.body.id);
  return { id: filed.body.id, submittedAt, dueAt: page.body.responseDueAt };
}

const missed = (history: History) => history.events.filter((e) => e.type === 'ResponseDeadlineMissed.v1');
const advanceTo = (iso: string, plusMs = 0) => h.clock.advance(Date.parse(iso) + plusMs - Date.parse(h.clock.iso()));

describe('a petition left undecided past its due date', () => {
  let late: { id: string; submittedAt: string; dueAt: string };
  let onTime: { id: string; submittedAt: string; dueAt: string };
  let withdrawn: { id: string; submittedAt: string; dueAt: string };

  beforeAll(async () => {
    late = await submitted('commune-tan-tan'); // 3 months
    onTime = await submitted('province-tan-tan'); // 2 months
    withdrawn = await submitted('commune-tan-tan');
    expect(late.dueAt).toBe(plusMonths(late.submittedAt, 3));
    expect(onTime.dueAt).toBe(plusMonths(onTime.submittedAt, 2));

    h.clock.advance(10 * DAY);
    const clerk = await h.token('clerk-province-tan-tan', ['clerk'], 'province-tan-tan');
    expect(
      (
        await h.post(
          `/petitions/${onTime.id}/admissibility`,
          { decision: 'admissible', agendaSession: 'Session ordinaire de mars 2027', committee: 'Commission du développement' },
          clerk,
        )
      ).status,
    ).toBe(200);
    expect((await h.post(`/petitions/${withdrawn.id}/withdrawal`, { reason: 'Accord trouvé avec la commune' }, rep)).status).toBe(200);
  });

  it('records nothing before the due date', async () => {
    advanceTo(late.dueAt, -MINUTE);
    const head = await h.headPosition();
    expect(await watch.checkNow()).toBe(0);
    expect(await h.headPosition()).toBe(head);
    expect((await h.petition(late.id)).body.deadlineMissed).toBe(false);
  });

  it('records exactly one ResponseDeadlineMissed once it has passed', async () => {
    h.clock.advance(2 * MINUTE);
    const detectedAt = h.clock.iso();
    const head = await h.headPosition();
    expect(await watch.checkNow()).toBe(1);
    expect(await h.headPosition()).toBe(head + 1n);

    const history = await h.history(late.id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    const events = missed(history);
    expect(events).toHaveLength(1);
    expect(events[0].data).toEqual({ petitionId: late.id, dueAt: late.dueAt, detectedAt });
    const submission = history.events.find((e) => e.type === 'PetitionSubmittedToCouncil.v1')!;
    expect(events[0].metadata).toMatchObject({
      actor: { id: 'system:deadline-watch', role: 'system' },
      command: 'MarkResponseDeadlineMissed',
      causationId: submission.id,
      correlationId: `deadline-${late.id}`,
      occurredAt: detectedAt,
    });
  });

  it('records nothing when called again, now or later', async () => {
    const head = await h.headPosition();
    expect(await watch.checkNow()).toBe(0);
    h.clock.advance(30 * DAY);
    expect(await watch.checkNow()).toBe(0);
    expect(await h.headPosition()).toBe(head);
    expect(missed(await h.history(late.id))).toHaveLength(1);
  });

  it('records none for a petition decided in time, nor for a withdrawn one', async () => {
    expect(missed(await h.history(onTime.id))).toHaveLength(0);
    expect(missed(await h.history(withdrawn.id))).toHaveLength(0);
    expect((await h.petition(onTime.id)).body.deadlineMissed).toBe(false);
    expect((await h.petition(withdrawn.id)).body.deadlineMissed).toBe(false);
  });

  it('shows deadlineMissed: true on GET /petitions/:id', async () => {
    const page = await h.petition(late.id);
    expect(page.body).toMatchObject({ id: late.id, status: 'submitted', deadlineMissed: true, responseDueAt: late.dueAt });
  });

  it('still lets the council decide late; the missed deadline stays on record', async () => {
    const clerk = await h.token('clerk-commune-tan-tan', ['clerk'], 'commune-tan-tan');
    const res = await h.post(
      `/petitions/${late.id}/admissibility`,
      { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des affaires sociales' },
      clerk,
    );
    expect(res.status).toBe(200);
    expect((await h.petition(late.id)).body).toMatchObject({ status: 'admissible', deadlineMissed: true });
    expect(await watch.checkNow()).toBe(0);
  });
});

it('concurrent checks record the missed deadline once', async () => {
  const p = await submitted('province-tan-tan');
  // What else falls due meanwhile (the accepted petitions above missing their sessions) is recorded first.
  advanceTo(p.dueAt, -MINUTE);
  await watch.checkNow();
  advanceTo(p.dueAt, MINUTE);
  const head = await h.headPosition();
  // Concurrent callers share one run, so each is told of the one deadline that run recorded.
  const counts = await Promise.all(Array.from({ length: 5 }, () => watch.checkNow()));
  expect(counts).toEqual([1, 1, 1, 1, 1]);
  expect(await h.headPosition()).toBe(head + 1n);
  expect(missed(await h.history(p.id))).toHaveLength(1);
});

it('a second instance on the same store records nothing already recorded, and what is due once', async () => {
  const pending = await submitted('province-tan-tan');
  advanceTo(pending.dueAt, MINUTE);
  // Another process on the same DATA_DIR (a restart, a second instance), with its own watch.
  const other = await createApp({ config: loadConfig({ DATA_DIR: h.dataDir }), clock: h.clock, logger: false });
  await other.init();
  try {
    const head = await h.headPosition();
    const [mine, theirs] = await Promise.all([watch.checkNow(), other.get(DeadlineWatch).checkNow()]);
    expect(mine + theirs).toBe(1);
    expect(await h.headPosition()).toBe(head + 1n);
    expect(missed(await h.history(pending.id))).toHaveLength(1);
    expect(await other.get(DeadlineWatch).checkNow()).toBe(0);
  } finally {
    await other.close();
  }
});
