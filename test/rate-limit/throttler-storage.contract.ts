import { randomUUID } from 'crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MINUTE, TestClock } from '../support/test-clock';

/**
 * Behaviour every rate-limit storage must share, as the RateLimitGuard relies on it
 * (src/infrastructure/rate-limit/rate-limit.guard.ts, through @nestjs/throttler's ThrottlerGuard):
 * - `increment(key, ttl, limit, blockDuration)` counts a hit in a fixed window of `ttl` ms that
 *   the key's first hit opens, and answers the count and the seconds left in the window;
 * - the hit that goes beyond `limit` blocks the key for `blockDuration` ms: while blocked every
 *   hit answers isBlocked with the seconds left (what Retry-After says) and is not counted;
 * - once the window and the block have passed, counting starts again from 1;
 * - keys are independent; concurrent hits are all counted, none lost (the store is shared by
 *   every API instance: the guarantee that N instances do not each grant the full limit).
 * Time is the storage's `now`, here a TestClock. Every test uses fresh keys (a shared server).
 */
export interface OpenedThrottlerStorage {
  storage: ThrottlerStorage;
  /** A second handle on the same counters (another API instance), when the adapter can open one. */
  other?: ThrottlerStorage;
  teardown(): Promise<void>;
}

export function throttlerStorageContract(name: string, open: (clock: TestClock) => Promise<OpenedThrottlerStorage>): void {
  describe(`ThrottlerStorage contract: ${name}`, () => {
    let opened: OpenedThrottlerStorage | undefined;
    let clock: TestClock;
    beforeAll(async () => {
      clock = new TestClock();
      opened = await open(clock);
    });
    afterAll(async () => opened?.teardown());

    const hit = (key: string, limit = 3, ttl = MINUTE, block = MINUTE) => opened!.storage.increment(key, ttl, limit, block, 'address');
    const key = () => `key-${randomUUID()}`;

    it('counts hits in the window the first hit opened, and says how long it has left', async () => {
      const k = key();
      expect(await hit(k)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
      clock.advance(20_000);
      expect(await hit(k)).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
      expect(await hit(k)).toMatchObject({ totalHits: 3, isBlocked: false });
    });

    it('blocks the hit beyond the limit, refuses without counting while blocked, then starts again', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) expect((await hit(k, 3, MINUTE, 2 * MINUTE)).isBlocked).toBe(false);
      expect(await hit(k, 3, MINUTE, 2 * MINUTE)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 120 });
      clock.advance(90_000); // the window is over, the block is not
      expect(await hit(k, 3, MINUTE, 2 * MINUTE)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 30 });
      clock.advance(30_001);
      expect(await hit(k, 3, MINUTE, 2 * MINUTE)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    });

    it('opens a new window once the last one ended, without a block', async () => {
      const k = key();
      await hit(k);
      await hit(k);
      clock.advance(MINUTE);
      expect(await hit(k)).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
    });

    it('keeps keys apart', async () => {
      const [a, b] = [key(), key()];
      for (let i = 0; i < 4; i++) await hit(a);
      expect((await hit(a)).isBlocked).toBe(true);
      expect(await hit(b)).toMatchObject({ totalHits: 1, isBlocked: false });
    });

    it('counts every one of many concurrent hits, from every handle on the store, and blocks beyond the limit', async () => {
      const k = key();
      const handles = [opened!.storage, opened!.other ?? opened!.storage];
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => handles[i % 2].increment(k, MINUTE, 30, MINUTE, 'identity')));
      expect(results.filter((r) => !r.isBlocked)).toHaveLength(30);
      expect(results.filter((r) => r.isBlocked)).toHaveLength(10);
      expect(
        results
          .filter((r) => !r.isBlocked)
          .map((r) => r.totalHits)
          .sort((x, y) => x - y),
      ).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });
  });
}
