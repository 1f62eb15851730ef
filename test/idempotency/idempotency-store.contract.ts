import { randomUUID } from 'crypto';
import type { IdempotencyBegin, IdempotencyStore } from '../../src/infrastructure/idempotency/idempotency.port';
import { DAY, HOUR, MINUTE, TestClock } from '../support/test-clock';

/**
 * Behaviour every IdempotencyStore adapter must share, as the HTTP interceptor relies on it
 * (src/infrastructure/http/idempotency.interceptor.ts): `begin` claims a (scope, key) for one
 * request or tells what became of the first one; `complete` stores the success it answered, which
 * later `begin`s with the same fingerprint replay; `abandon` frees a claim whose request failed.
 * Time is what the caller passes (`nowMs`), here a TestClock.
 *
 * Semantics pinned here beyond the port's comments:
 * - Scopes (callers) and keys are independent: nothing one scope does is seen by another.
 * - A different fingerprint under a claimed or completed key is a mismatch, never a replay.
 * - A claim left unfinished (a crashed process) is in_progress for 5 minutes, then exactly one
 *   caller may take it over; a completed answer is replayed for (at least) a day.
 * - abandon() never forgets a completed answer.
 * - Of concurrent begins on a free key, exactly one gets `new`.
 *
 * Written for a store that may be shared (a MongoDB server): every test uses fresh scopes.
 */
export const STALE_CLAIM_MS = 5 * MINUTE;

export interface OpenedIdempotencyStore {
  store: IdempotencyStore;
  teardown(): Promise<void>;
}

export function idempotencyStoreContract(name: string, open: () => Promise<OpenedIdempotencyStore>): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let opened: OpenedIdempotencyStore | undefined;
    let clock: TestClock;
    beforeAll(async () => void (opened = await open()));
    afterAll(async () => opened?.teardown());
    beforeEach(() => void (clock = new TestClock()));

    const store = () => opened!.store;
    const begin = (scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin> => store().begin(scope, key, fingerprint, clock.ms());

    it('claims a fresh key, and tells a second request with it that the first is in progress', async () => {
      const scope = uniqueScope();
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'new' });
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'in_progress' });
    });

    it('replays the completed answer, status and body, to every later request with the same fingerprint', async () => {
      const scope = uniqueScope();
      const body = { id: 'p-1', receipt: 'r:é€', nested: { list: [1, 'two', null, true] } };
      await begin(scope, 'k1', 'fp-a');
      await store().complete(scope, 'k1', 201, body);
      clock.advance(HOUR);
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'done', status: 201, body });
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'done', status: 201, body });
    });

    it('replays answers without a body, and with a null body, as they were', async () => {
      const scope = uniqueScope();
      await begin(scope, 'empty', 'fp');
      await store().complete(scope, 'empty', 204, undefined);
      await begin(scope, 'null', 'fp');
      await store().complete(scope, 'null', 200, null);
      expect(await begin(scope, 'empty', 'fp')).toEqual({ state: 'done', status: 204, body: undefined });
      expect(await begin(scope, 'null', 'fp')).toEqual({ state: 'done', status: 200, body: null });
    });

    it('answers mismatch for the same key with a different fingerprint, claimed or completed, and keeps the first answer', async () => {
      const scope = uniqueScope();
      await begin(scope, 'k1', 'fp-a');
      expect(await begin(scope, 'k1', 'fp-b')).toEqual({ state: 'mismatch' });
      await store().complete(scope, 'k1', 201, { id: 'first' });
      expect(await begin(scope, 'k1', 'fp-b')).toEqual({ state: 'mismatch' });
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'done', status: 201, body: { id: 'first' } });
    });

    it('lets a retry run again after abandon, with any fingerprint', async () => {
      const scope = uniqueScope();
      await begin(scope, 'k1', 'fp-a');
      await store().abandon(scope, 'k1');
      expect(await begin(scope, 'k1', 'fp-b')).toEqual({ state: 'new' });
      await store().complete(scope, 'k1', 201, { id: 'second' });
      expect(await begin(scope, 'k1', 'fp-b')).toEqual({ state: 'done', status: 201, body: { id: 'second' } });
    });

    it('never forgets a completed answer on abandon', async () => {
      const scope = uniqueScope();
      await begin(scope, 'k1', 'fp-a');
      await store().complete(scope, 'k1', 201, { id: 'kept' });
      await store().abandon(scope, 'k1');
      expect(await begin(scope, 'k1', 'fp-a')).toEqual({ state: 'done', status: 201, body: { id: 'kept' } });
    });

    it('keeps scopes apart: the same key in another scope is a new claim, completed and abandoned on its own', async () => {
      const alice = uniqueScope();
      const bob = uniqueScope();
      await begin(alice, 'shared', 'fp-a');
      expect(await begin(bob, 'shared', 'fp-b')).toEqual({ state: 'new' });
      await store().complete(alice, 'shared', 201, { owner: 'alice' });
      expect(await begin(bob, 'shared', 'fp-b')).toEqual({ state: 'in_progress' });
      await store().abandon(bob, 'shared');
      expect(await begin(alice, 'shared', 'fp-a')).toEqual({ state: 'done', status: 201, body: { owner: 'alice' } });
      expect(await begin(bob, 'shared', 'fp-a')).toEqual({ state: 'new' });
      await store().complete(bob, 'shared', 202, { owner: 'bob' });
      expect(await begin(alice, 'shared', 'fp-a')).toEqual({ state: 'done', status: 201, body: { owner: 'alice' } });
      expect(await begin(bob, 'shared', 'fp-a')).toEqual({ state: 'done', status: 202, body: { owner: 'bob' } });
    });

    it('keeps keys apart within a scope, and does not confuse scope+key splits of the same text', async () => {
      const scope = uniqueScope();
      await begin(scope, 'k1', 'fp');
      expect(await begin(scope, 'k2', 'fp')).toEqual({ state: 'new' });
      await store().complete(scope, 'k1', 201, { key: 1 });
      expect(await begin(scope, 'k2', 'fp')).toEqual({ state: 'in_progress' });
      // Scope "…a" with key "bc" and scope "…ab" with key "c": neither sees the other.
      await begin(`${scope}a`, 'bc', 'fp');
      await store().complete(`${scope}a`, 'bc', 201, { split: 'a|bc' });
      expect(await begin(`${scope}ab`, 'c', 'fp')).toEqual({ state: 'new' });
      expect(await begin(`${scope}a`, 'bc', 'fp')).toEqual({ state: 'done', status: 201, body: { split: 'a|bc' } });
    });

    it('gives `new` to exactly one of many concurrent claims of a free key', async () => {
      const scope = uniqueScope();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => begin(scope, 'race', 'fp')));
      expect(outcomes.filter((o) => o.state === 'new')).toHaveLength(1);
      expect(outcomes.filter((o) => o.state === 'in_progress')).toHaveLength(19);
    });

    it('answers in_progress for an unfinished claim up to 5 minutes, then lets exactly one caller take it over', async () => {
      const scope = uniqueScope();
      await begin(scope, 'stale', 'fp');
      clock.advance(STALE_CLAIM_MS);
      expect(await begin(scope, 'stale', 'fp')).toEqual({ state: 'in_progress' });
      clock.advance(1);
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => begin(scope, 'stale', 'fp')));
      expect(outcomes.filter((o) => o.state === 'new')).toHaveLength(1);
      expect(outcomes.filter((o) => o.state === 'in_progress')).toHaveLength(9);
      // The takeover is a fresh claim: in progress again for 5 minutes.
      clock.advance(STALE_CLAIM_MS);
      expect(await begin(scope, 'stale', 'fp')).toEqual({ state: 'in_progress' });
    });

    it('never takes over a stale claim with another fingerprint', async () => {
      const scope = uniqueScope();
      await begin(scope, 'stale', 'fp-a');
      clock.advance(STALE_CLAIM_MS + MINUTE);
      expect(await begin(scope, 'stale', 'fp-b')).toEqual({ state: 'mismatch' });
    });

    it('replays a completed answer for a day, however old its claim was', async () => {
      const scope = uniqueScope();
      await begin(scope, 'day', 'fp');
      clock.advance(STALE_CLAIM_MS + MINUTE);
      await store().complete(scope, 'day', 201, { id: 'late' });
      clock.advance(DAY - STALE_CLAIM_MS - 2 * MINUTE);
      expect(await begin(scope, 'day', 'fp')).toEqual({ state: 'done', status: 201, body: { id: 'late' } });
    });
  });
}

export function uniqueScope(): string {
  return `actor-${randomUUID()}`;
}
