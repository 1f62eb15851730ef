/** The checkpoints process: a checkpoint every N events or T minutes, never one that covers only the previous one. */
import { AuditCheckpoints } from '../../src/processes/audit-checkpoints/audit-checkpoints.service';
import { parsePublicKey, verifyCheckpoint } from '../../src/domain/audit/checkpoint';
import { citizensPetition, MINUTE, useApp } from './harness';

const h = useApp({ env: { AUDIT_CHECKPOINT_EVERY: '5', AUDIT_CHECKPOINT_INTERVAL_MS: String(30 * MINUTE) } });
const tick = () => h.app.get(AuditCheckpoints).tick();
const checkpoints = async () => (await h.get('/audit/checkpoints')).body.items as Array<{ treeSize: number; keyId: string; checkpointedAt: string }>;

it('signs after N events, by the system, and not again for the checkpoint alone', async () => {
  const filed = await h.post('/petitions', citizensPetition('commune-tan-tan'), await h.token('agent-schedule', ['agent']));
  expect(filed.status).toBe(201);
  expect(await tick()).toBe(false); // 1 event < 5, and 30 minutes have not passed
  await h.signMany(filed.body.id, 4, { subPrefix: 'citizen-schedule' });
  expect(await tick()).toBe(true);
  const [first] = await checkpoints();
  expect(first.treeSize).toBe(5);
  const key = parsePublicKey((await h.get('/audit/public-key')).body.publicKey)!;
  expect(verifyCheckpoint(first as never, key)).toBe(true);
  const events = await h.get(`/petitions/${filed.body.id}/events`, await h.token('auditor-schedule', ['auditor']));
  expect(events.status).toBe(200);
  h.clock.advance(31 * MINUTE);
  expect(await tick()).toBe(false); // only the checkpoint itself is new
  expect(await checkpoints()).toHaveLength(1);
});

it('signs after T minutes when fewer than N events came', async () => {
  const agent = await h.token('agent-schedule', ['agent']);
  // 31 minutes passed since the first checkpoint: one new event is enough.
  expect((await h.post('/petitions', citizensPetition('commune-tan-tan', 'Marché couvert du quartier Al Qods'), agent)).status).toBe(201);
  expect(await tick()).toBe(true);
  expect((await h.post('/petitions', citizensPetition('commune-tan-tan', 'Terrain de sport du quartier Al Amal'), agent)).status).toBe(201);
  expect(await tick()).toBe(false);
  h.clock.advance(29 * MINUTE);
  expect(await tick()).toBe(false);
  h.clock.advance(2 * MINUTE);
  expect(await tick()).toBe(true);
  const list = await checkpoints();
  expect(list.map((c) => c.treeSize)).toEqual([9, 7, 5]);
  expect(list[0].checkpointedAt).toBe(h.clock.iso());
});
