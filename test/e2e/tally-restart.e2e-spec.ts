/**
 * The whole service restarted on the same DATA_DIR: the shutdown saves the signature tally, the
 * next start counts from that snapshot (reading only what came after it), and what it then decides
 * on — the threshold, the submission's count — equals a full recount of the log.
 */
import { rmSync } from 'node:fs';
import { SignatureTallyService } from '../../src/application/signature-tally.service';
import { EVENT_STORE, type EventStore } from '../../src/infrastructure/event-store/event-store.port';
import { citizensPetition, Harness, HOUR, startApp } from './harness';

const COUNCIL = 'commune-tan-tan'; // threshold 200
let first: Harness | undefined;
let second: Harness | undefined;

afterAll(async () => {
  await second?.close();
  if (first) rmSync(first.dataDir, { recursive: true, force: true });
});

it('a restart counts from the snapshot the shutdown saved, and decides as a full recount would', async () => {
  first = await startApp();
  const agent = () => first!.token('agent-restart', ['agent']);
  const filed = await first.post('/petitions', citizensPetition(COUNCIL, 'Aménagement du souk hebdomadaire'), await agent());
  expect(filed.status).toBe(201);
  const id = filed.body.id as string;
  first.clock.advance(HOUR);
  const signed = await first.signMany(id, 196);
  const check = await first.post(
    `/petitions/${id}/signatures/invalidations`,
    { reasonCode: 'automated_or_forged', criteria: { signatureIds: signed.slice(0, 3).map((s) => s.signatureId) } },
    await first.token('clerk-tan-tan', ['clerk'], COUNCIL),
  );
  expect(check.status).toBe(201);
  const before = await first.app.get(SignatureTallyService).tallyOf(id);
  expect(before.count).toBe(193);
  await first.app.close(); // the shutdown saves the tally

  second = await startApp({ dataDir: first.dataDir });
  const tally = second.app.get(SignatureTallyService);
  expect(tally.startedFrom()).toEqual({ from: 'snapshot', position: BigInt(before.countedUpToPosition) });
  // 7 more: 200 counted only if the 3 invalidated before the restart still do not count.
  await second.signMany(id, 7, { offset: 500 });
  expect((await second.post(`/petitions/${id}/submission`, undefined, await second.token('agent-restart', ['agent']))).status).toBe(200);
  const page = await second.petition(id);
  expect(page.body).toMatchObject({ status: 'submitted', signatureCount: 200, invalidatedCount: 3 });

  const recount = new SignatureTallyService(second.app.get<EventStore>(EVENT_STORE));
  const after = await tally.tallyOf(id);
  expect(after).toStrictEqual(await recount.tallyOf(id));
  expect(after.count).toBe(200);
});
