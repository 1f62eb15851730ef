/**
 * The key-store contract every adapter passes (SQLite here; MongoDB in the containers spec):
 * keys are stored, found by person and petition, and deleted for good.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyStore, SignerKeyRecord } from '../../src/infrastructure/vault/key-store.port';

export interface OpenedKeyStore {
  store: KeyStore;
  teardown(): Promise<void>;
}

export const keyRecord = (overrides: Partial<SignerKeyRecord> = {}): SignerKeyRecord => ({
  keyId: randomUUID(),
  petitionId: randomUUID(),
  signatureId: randomUUID(),
  subjectHash: randomBytes(32).toString('hex'),
  wrappedKey: randomBytes(60),
  masterKeyId: 'mk-0123456789abcdef',
  createdAt: '2026-11-29T10:00:00.000Z',
  ...overrides,
});

export function keyStoreContract(name: string, open: () => Promise<OpenedKeyStore>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let opened: OpenedKeyStore;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.teardown();
    });

    it('stores a key and gives it back byte for byte', async () => {
      const r = keyRecord();
      await opened.store.put(r);
      const found = await opened.store.getMany([r.keyId, randomUUID()]);
      expect([...found.keys()]).toEqual([r.keyId]);
      expect(found.get(r.keyId)).toEqual(r);
      expect(Buffer.compare(found.get(r.keyId)!.wrappedKey, r.wrappedKey)).toBe(0);
    });

    it('refuses a second key under the same id', async () => {
      const r = keyRecord();
      await opened.store.put(r);
      // Caught by hand: a native driver's error class may come from another test file's realm (not instanceof this Error).
      const refused = await opened.store.put({ ...r, wrappedKey: randomBytes(60) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).not.toBeNull();
      expect(Buffer.compare((await opened.store.getMany([r.keyId])).get(r.keyId)!.wrappedKey, r.wrappedKey)).toBe(0);
    });

    it("finds a person's keys on every petition, or on one", async () => {
      const subjectHash = randomBytes(32).toString('hex');
      const a = keyRecord({ subjectHash });
      const b = keyRecord({ subjectHash });
      const other = keyRecord({ petitionId: a.petitionId });
      for (const r of [a, b, other]) await opened.store.put(r);
      expect((await opened.store.findBySubject(subjectHash)).map((r) => r.keyId).sort()).toEqual([a.keyId, b.keyId].sort());
      expect((await opened.store.findBySubject(subjectHash, a.petitionId)).map((r) => r.keyId)).toEqual([a.keyId]);
      expect(await opened.store.findBySubject(randomBytes(32).toString('hex'))).toEqual([]);
    });

    it('deletes keys for good and says how many existed', async () => {
      const a = keyRecord();
      const b = keyRecord();
      await opened.store.put(a);
      await opened.store.put(b);
      expect(await opened.store.delete([a.keyId, randomUUID()])).toBe(1);
      expect([...(await opened.store.getMany([a.keyId, b.keyId])).keys()]).toEqual([b.keyId]);
      expect(await opened.store.findBySubject(a.subjectHash)).toEqual([]);
      expect(await opened.store.delete([a.keyId])).toBe(0);
    });

    it("deletes every key of a petition, and only that petition's", async () => {
      const petitionId = randomUUID();
      const mine = [keyRecord({ petitionId }), keyRecord({ petitionId }), keyRecord({ petitionId })];
      const theirs = keyRecord();
      for (const r of [...mine, theirs]) await opened.store.put(r);
      expect(await opened.store.deletePetition(petitionId)).toBe(3);
      expect([...(await opened.store.getMany([...mine.map((r) => r.keyId), theirs.keyId])).keys()]).toEqual([theirs.keyId]);
      expect(await opened.store.deletePetition(petitionId)).toBe(0);
    });

    it('reads many keys at once, beyond any batch size', async () => {
      const records = Array.from({ length: 1200 }, () => keyRecord());
      for (const r of records) await opened.store.put(r);
      const found = await opened.store.getMany(records.map((r) => r.keyId));
      expect(found.size).toBe(1200);
    });
  });
}
