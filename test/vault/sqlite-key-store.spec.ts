/**
 * The embedded key store: the contract, then what deleting for real means on disk — after a
 * deletion neither the database file nor its write-ahead log holds the wrapped key's bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { SqliteKeyStore } from '../../src/infrastructure/vault/sqlite-key-store';
import { keyRecord, keyStoreContract } from './key-store.contract';

function openFileStore() {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const file = join(dir, 'signer-keys.sqlite');
  const db = openSqlite(file, 'FULL');
  const store = new SqliteKeyStore(db);
  const bytes = () => Buffer.concat([readFileSync(file), ...[`${file}-wal`].map((f) => readIfExists(f))]);
  return {
    store,
    file,
    bytes,
    teardown: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readIfExists(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

keyStoreContract('SqliteKeyStore (file)', async () => openFileStore());

describe('SqliteKeyStore deletes for real', () => {
  it('leaves no byte of a deleted key in the database file or its write-ahead log', async () => {
    const s = openFileStore();
    try {
      const victim = keyRecord();
      const kept = Array.from({ length: 50 }, () => keyRecord());
      await s.store.put(victim);
      for (const r of kept) await s.store.put(r);
      // Before: the key is there (in the log or the file), so the search below can find it.
      expect(s.bytes().includes(victim.wrappedKey)).toBe(true);
      await s.store.delete([victim.keyId]);
      expect(s.bytes().includes(victim.wrappedKey)).toBe(false);
      expect(s.bytes().includes(Buffer.from(victim.subjectHash))).toBe(false);
      // The others are intact.
      expect((await s.store.getMany(kept.map((r) => r.keyId))).size).toBe(50);
      expect(s.bytes().includes(kept[0].wrappedKey)).toBe(true);
    } finally {
      await s.teardown();
    }
  });

  it('does the same for a whole petition', async () => {
    const s = openFileStore();
    try {
      const petitionId = keyRecord().petitionId;
      const shredded = Array.from({ length: 30 }, () => keyRecord({ petitionId }));
      for (const r of shredded) await s.store.put(r);
      await s.store.deletePetition(petitionId);
      const bytes = s.bytes();
      for (const r of shredded) expect(bytes.includes(r.wrappedKey)).toBe(false);
    } finally {
      await s.teardown();
    }
  });
});
