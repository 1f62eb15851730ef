/**
 * Start-up on the production stack, without servers: retrying stores that are not ready yet
 * within a budget, refusing a MongoDB that cannot run transactions, deterministic event ids for
 * retried commands, and CONTAINERS_REQUIRED.
 */
import { eventIdFor } from '../../src/application/event-sourcing.service';
import { replicaSetProblem } from '../../src/infrastructure/read-store/mongo/connection';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { openStores, StoreUnavailableError, withStartupRetry } from '../../src/infrastructure/stores';
import { containersRequired } from '../containers/docker';

describe('withStartupRetry', () => {
  function fakeTime() {
    let now = 0;
    const pauses: number[] = [];
    return { pauses, now: () => now, sleep: async (ms: number) => void (pauses.push(ms), (now += ms)) };
  }

  it('retries an unavailable store with a doubling pause (capped) until it answers', async () => {
    const time = fakeTime();
    let attempts = 0;
    const retries: number[] = [];
    const result = await withStartupRetry(
      async () => {
        if (++attempts < 6) throw new StoreUnavailableError('EventStoreDB is not leader yet');
        return 'open';
      },
      { budgetMs: 120_000, ...time, onRetry: (_e, attempt) => void retries.push(attempt) },
    );
    expect(result).toBe('open');
    expect(time.pauses).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(retries).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives up with the last error once the budget is spent, the last pause cut to what is left', async () => {
    const time = fakeTime();
    const error = new StoreUnavailableError('MongoDB has no primary');
    await expect(
      withStartupRetry(async () => Promise.reject(error), {
        budgetMs: 5_000,
        ...time,
      }),
    ).rejects.toBe(error);
    expect(time.pauses).toEqual([1000, 2000, 2000]);
  });

  it('tries once with no budget (the embedded stores), and never retries other errors', async () => {
    const time = fakeTime();
    let attempts = 0;
    await expect(
      withStartupRetry(
        async () => {
          attempts++;
          throw new StoreUnavailableError('down');
        },
        { budgetMs: 0, ...time },
      ),
    ).rejects.toThrow('down');
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(
      withStartupRetry(
        async () => {
          attempts++;
          throw new TypeError('a bug');
        },
        { budgetMs: 60_000, ...time },
      ),
    ).rejects.toThrow('a bug');
    expect(attempts).toBe(1);
  });
});

describe('opening stores that can never work', () => {
  it('a malformed EventStoreDB connection string stops start-up at once, not after the retry budget', async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'petitions-start-')), EVENTSTORE_URL: 'esdb://localhost:notaport?tls=false' });
    let attempts = 0;
    const error = await withStartupRetry(
      () => {
        attempts++;
        return openStores(config);
      },
      { budgetMs: 60_000, sleep: async () => undefined },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/^EVENTSTORE_URL: Invalid EventStoreDB connection string/);
    expect(attempts).toBe(1);
  });
});

describe('replicaSetProblem (hello answer)', () => {
  it('accepts a replica-set member and mongos; refuses a standalone server with the fix', () => {
    expect(replicaSetProblem({ isWritablePrimary: true, setName: 'rs0' })).toBeNull();
    expect(replicaSetProblem({ isWritablePrimary: false, secondary: true, setName: 'rs0' })).toBeNull();
    expect(replicaSetProblem({ isWritablePrimary: true, msg: 'isdbgrid' })).toBeNull();
    const problem = replicaSetProblem({ isWritablePrimary: true, maxWireVersion: 25 });
    expect(problem).toMatch(/standalone/);
    expect(problem).toMatch(/--replSet/);
    expect(problem).toMatch(/replicaSet=/);
  });
});

describe('eventIdFor', () => {
  const meta = { actor: { id: 'agent-1', roles: ['agent' as const] }, command: 'FilePetition', idempotencyKey: 'key-1' };

  it('is the same for a retried command under the same idempotency key, stream and revision', () => {
    expect(eventIdFor(meta, 'petition-1', 0n)).toBe(eventIdFor({ ...meta }, 'petition-1', 0n));
    expect(eventIdFor(meta, 'petition-1', 0n)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs by revision, stream, key, actor and command, and is fresh without a key', () => {
    const base = eventIdFor(meta, 'petition-1', 0n);
    const others = [
      eventIdFor(meta, 'petition-1', 1n),
      eventIdFor(meta, 'petition-2', 0n),
      eventIdFor({ ...meta, idempotencyKey: 'key-2' }, 'petition-1', 0n),
      eventIdFor({ ...meta, actor: { id: 'agent-2', roles: ['agent'] } }, 'petition-1', 0n),
      eventIdFor({ ...meta, command: 'WithdrawPetition' }, 'petition-1', 0n),
    ];
    expect(new Set([base, ...others]).size).toBe(6);
    const { idempotencyKey: _omit, ...noKey } = meta;
    expect(eventIdFor(noKey, 'petition-1', 0n)).not.toBe(eventIdFor(noKey, 'petition-1', 0n));
  });
});

describe('containersRequired', () => {
  it('reads CONTAINERS_REQUIRED', () => {
    expect(containersRequired({ CONTAINERS_REQUIRED: '1' })).toBe(true);
    expect(containersRequired({ CONTAINERS_REQUIRED: 'true' })).toBe(true);
    expect(containersRequired({ CONTAINERS_REQUIRED: '0' })).toBe(false);
    expect(containersRequired({})).toBe(false);
  });
});
