/**
 * SQLite read store: a commit, run inside one IMMEDIATE transaction. The fence check, then the
 * puts in order (guarded ones land only over an absent or older `_position`), then the deletes,
 * then the checkpoint; the FTS table follows the documents. Any error rolls it all back.
 */
import type Database from 'better-sqlite3';
import { DocumentWrite, FencedError, WriteBatch } from '../read-store.port';
import { checkCheckpointPosition, parsePosition } from '../read-store.rules';
import type { CollectionCatalog } from './schema';
import { sameTexts, textValues } from './text-search';

export interface CommitStatements {
  leaseToken: Database.Statement;
  upsertCheckpoint: Database.Statement;
}

export function commitInTransaction(catalog: CollectionCatalog, stmt: CommitStatements, batch: WriteBatch): void {
  catalog.sync();
  if (batch.fence) {
    const token = stmt.leaseToken.get(batch.fence.lease) as number | undefined;
    if (token === undefined || token !== batch.fence.token) {
      throw new FencedError(`Lease ${batch.fence.lease} has moved on (token ${token ?? 'none'}, fenced with ${batch.fence.token}): nothing written`);
    }
  }
  for (const write of batch.puts ?? []) putInTransaction(catalog, write);
  for (const del of batch.deletes ?? []) {
    const state = catalog.writable(del.collection);
    if (typeof del.id !== 'string') throw new TypeError('Document ids are strings');
    if (state.ftsDelete) {
      const row = state.del.get(del.id) as { rid: number } | undefined;
      if (row) state.ftsDelete.run(row.rid);
    } else {
      state.del.run(del.id);
    }
  }
  if (batch.checkpoint) {
    const { name, position } = batch.checkpoint;
    stmt.upsertCheckpoint.run(name, checkCheckpointPosition(name, position));
  }
}

function putInTransaction(catalog: CollectionCatalog, write: DocumentWrite): void {
  const state = catalog.writable(write.collection);
  const doc = write.doc;
  if (doc === null || typeof doc !== 'object' || typeof doc._id !== 'string') {
    throw new TypeError(`A document written to ${write.collection} needs a string _id`);
  }
  let position: bigint | null = null;
  if (doc._position !== undefined) {
    position = parsePosition(doc._position, `${write.collection}/${doc._id}`);
  } else if (write.guarded) {
    throw new TypeError(`A guarded write (${write.collection}/${doc._id}) needs _position`);
  }
  const statement = write.guarded ? state.guardedPut : state.put;
  if (!state.textLookup) {
    statement.run(doc._id, position, JSON.stringify(doc));
    return;
  }
  // Text collections: the text index changes only when the text does, which spares FTS work on
  // the common update (a counter or a status), and a stale write is known before it is tried.
  const stored = state.textLookup.get(doc._id) as unknown[] | undefined;
  if (stored && write.guarded && stored[1] !== null && (position as bigint) <= (stored[1] as bigint)) return;
  const info = statement.run(doc._id, position, JSON.stringify(doc));
  if (info.changes === 0) return;
  const texts = textValues(doc, state.textFields);
  if (!stored) {
    state.ftsReplace!.run(info.lastInsertRowid, ...texts);
  } else if (!sameTexts(stored, texts)) {
    state.ftsReplace!.run(stored[0], ...texts);
  }
}
