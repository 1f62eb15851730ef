/**
 * The Merkle log as the service keeps it (AuditLog on the embedded stores): extended in batches
 * from the event log, equal to the definition, rebuilt from scratch to the same signed root, and a
 * second writer at a stale size refused.
 */
import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { AuditLog, ScheduledAuditCheckpoint } from '../../src/application/audit-log.service';
import { EventSourcing } from '../../src/application/event-sourcing.service';
import type { AppConfig } from '../../src/config/app-config';
import { eventLeaf, nodeHash, EMPTY_ROOT, Hash } from '../../src/domain/audit/merkle';
import { systemActor } from '../../src/domain/shared/actor';
import { chainHash } from '../../src/domain/shared/event-chain';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import { MerkleConflictError } from '../../src/infrastructure/merkle/merkle-store.port';
import { SqliteMerkleStore } from '../../src/infrastructure/merkle/sqlite-merkle-store';

const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const config = { audit: { signingKey, checkpointEvery: 1000, checkpointIntervalMs: 600_000 } } as AppConfig;
const clock = { now: () => new Date('2027-03-01T10:00:00Z') };

function mth(leaves: Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

async function appendEvents(store: SqliteEventStore, count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    const streamId = `s-${i % 7}`;
    const revision = BigInt(Math.floor(i / 7));
    const event = {
      id: `e-${i}`,
      type: 'Noted.v1',
      data: { i },
      metadata: { actor: { id: 'x', role: 'system' }, correlationId: 'c', causationId: 'c', command: 'Note', occurredAt: '2027-03-01T10:00:00Z' },
    };
    const before = revision === 0n ? null : (await store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0].metadata.chain!.hash;
    (event.metadata as Record<string, unknown>).chain = { previousHash: before, hash: chainHash(before, streamId, revision, event) };
    await store.appendToStream(streamId, [event], { expectedRevision: revision === 0n ? 'no_stream' : revision - 1n });
  }
}

it('grows in batches to the root of the definition, and a rebuild reaches the signed root again', async () => {
  const db = new Database(':memory:');
  const store = new SqliteEventStore(db);
  const log = new AuditLog(store, new SqliteMerkleStore(db), config, clock, new EventSourcing(store));
  await appendEvents(store, 2500);
  expect(await log.catchUp()).toBe(2500);
  await appendEvents(store, 777, 2500);
  expect(await log.catchUp()).toBe(3277);
  const all = await store.readAll({ maxCount: 10_000 });
  expect(await log.rootAt(3277)).toBe(mth(all.map((e) => eventLeaf(e.metadata.chain!.hash))).toString('hex'));
  expect(await log.rootAt(1000)).toBe(mth(all.slice(0, 1000).map((e) => eventLeaf(e.metadata.chain!.hash))).toString('hex'));
  const { checkpoint } = await log.checkpoint(ScheduledAuditCheckpoint, { actor: systemActor('test'), correlationId: 'c', causationId: 'c' });
  expect(checkpoint).toMatchObject({ treeSize: 3277, firstPosition: '1', lastPosition: '3277' });

  // Dropped and rebuilt from the event log alone: the same root as the signed checkpoint.
  db.exec('DELETE FROM merkle_leaves; DELETE FROM merkle_nodes;');
  const rebuilt = new AuditLog(store, new SqliteMerkleStore(db), config, clock, new EventSourcing(store));
  expect(await rebuilt.catchUp()).toBe(3278); // and the checkpoint itself
  expect(await rebuilt.rootAt(3277)).toBe(checkpoint!.rootHash);
  await store.close();
  db.close();
});

it('refuses a second writer extending a size that is no longer the head', async () => {
  const db = new Database(':memory:');
  const merkle = new SqliteMerkleStore(db);
  const leaf = { level: 0, index: 0, hash: Buffer.alloc(32) };
  await merkle.append(0, [{ index: 0, position: 1n, streamId: 's', revision: 0n }], [leaf]);
  await expect(merkle.append(0, [{ index: 0, position: 2n, streamId: 's', revision: 1n }], [leaf])).rejects.toBeInstanceOf(MerkleConflictError);
  expect(await merkle.head()).toEqual({ size: 1, lastPosition: 1n });
  db.close();
});
