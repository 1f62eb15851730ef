/**
 * The tally-snapshot-store contract every adapter passes (SQLite here; MongoDB in the containers
 * spec): one snapshot per name, a save never replaces a snapshot at the same or a later position
 * (several processes save to one store, in any order), a discard drops only the position it names.
 */
import type { TallySnapshotStore } from '../../src/infrastructure/tally-snapshot/tally-snapshot-store.port';

export interface OpenedSnapshotStore {
  store: TallySnapshotStore;
  /** A second handle on the same storage (another process), when the adapter has one. */
  other: TallySnapshotStore;
  teardown(): Promise<void>;
}

export function tallySnapshotStoreContract(name: string, open: () => Promise<OpenedSnapshotStore>): void {
  describe(`TallySnapshotStore contract: ${name}`, () => {
    let opened: OpenedSnapshotStore;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened.teardown();
    });

    it('has nothing before the first save, then the saved snapshot', async () => {
      expect(await opened.store.load('tallies')).toBeUndefined();
      expect(await opened.store.save('tallies', { position: 42n, payload: '{"a":1}' })).toBe(true);
      expect(await opened.store.load('tallies')).toEqual({ position: 42n, payload: '{"a":1}' });
      expect(await opened.store.load('other-name')).toBeUndefined();
    });

    it('keeps the later position whatever order two writers save in', async () => {
      const { store, other } = opened;
      expect(await store.save('tallies', { position: 100n, payload: 'at 100' })).toBe(true);
      expect(await other.save('tallies', { position: 90n, payload: 'at 90' })).toBe(false);
      expect(await other.save('tallies', { position: 100n, payload: 'again at 100' })).toBe(false);
      expect(await store.load('tallies')).toEqual({ position: 100n, payload: 'at 100' });
      expect(await other.save('tallies', { position: 101n, payload: 'at 101' })).toBe(true);
      expect(await store.load('tallies')).toEqual({ position: 101n, payload: 'at 101' });
    });

    it('orders positions as numbers, up to EventStoreDB commit positions near 2^64', async () => {
      const { store } = opened;
      expect(await store.save('tallies', { position: 9n, payload: '9' })).toBe(true);
      expect(await store.save('tallies', { position: 10n, payload: '10' })).toBe(true);
      const big = 2n ** 64n - 2n;
      expect(await store.save('tallies', { position: big, payload: 'big' })).toBe(true);
      expect(await store.save('tallies', { position: 2n ** 63n, payload: 'smaller' })).toBe(false);
      expect(await store.load('tallies')).toEqual({ position: big, payload: 'big' });
    });

    it('concurrent saves from two writers leave the highest position', async () => {
      const { store, other } = opened;
      const positions = Array.from({ length: 20 }, (_, i) => BigInt(1 + ((i * 7) % 20)));
      await Promise.all(positions.map((p, i) => (i % 2 ? store : other).save('tallies', { position: p, payload: `at ${p}` })));
      expect(await store.load('tallies')).toEqual({ position: 20n, payload: 'at 20' });
    });

    it('discards only the position it names, after which a lower position saves again', async () => {
      const { store, other } = opened;
      await store.save('tallies', { position: 500n, payload: 'at 500' });
      await other.discard('tallies', 499n);
      expect((await store.load('tallies'))?.position).toBe(500n);
      await other.discard('tallies', 500n);
      expect(await store.load('tallies')).toBeUndefined();
      expect(await store.save('tallies', { position: 7n, payload: 'at 7' })).toBe(true);
      expect(await store.load('tallies')).toEqual({ position: 7n, payload: 'at 7' });
    });

    it('stores a payload of a few megabytes (tens of thousands of petitions)', async () => {
      const payload = JSON.stringify({ petitions: Array.from({ length: 30_000 }, (_, i) => ({ petitionId: `p-${i}`, count: i })) });
      expect(await opened.store.save('tallies', { position: 1n, payload })).toBe(true);
      expect((await opened.other.load('tallies'))?.payload).toBe(payload);
    });
  });
}
