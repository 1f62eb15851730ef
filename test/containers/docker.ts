/**
 * The one helper of the suites that need a Docker engine (`*.containers-spec.ts`): declare them with
 * describeWithDocker (without an engine: one line on stderr, the suite skipped), start what they
 * need with startEventStoreDb / startMongo in a beforeAll, and connect with connectWithRetry.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { homedir, userInfo } from 'os';
import { join } from 'path';
import type { StartedTestContainer } from 'testcontainers';

export interface DockerAvailability {
  ok: boolean;
  reason: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Cheap first look, without touching the network: is there anything testcontainers could use?
 * DOCKER_HOST, a ~/.testcontainers.properties (docker.host / tc.host), or a Docker socket at one of
 * the places testcontainers' strategies look. Undefined: worth asking the runtime client.
 */
function noDockerHint(): string | undefined {
  if (process.env.DOCKER_HOST) return undefined;
  if (process.platform === 'win32') return undefined; // named pipes: let testcontainers decide
  if (existsSync(join(homedir(), '.testcontainers.properties'))) return undefined;
  const sockets = [
    '/var/run/docker.sock',
    process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
    join('/run', 'user', String(safeUid()), 'docker.sock'),
  ].filter((s): s is string => !!s);
  if (sockets.some((socket) => existsSync(socket))) return undefined;
  return 'DOCKER_HOST is not set and there is no Docker socket (/var/run/docker.sock or a rootless one)';
}

function safeUid(): number {
  try {
    return userInfo().uid;
  } catch {
    return -1;
  }
}

/**
 * Is a Docker engine reachable? Asked while Jest collects a file (which cannot await), to declare
 * its tests or skip them. The free check runs here; testcontainers' runtime client is asked in a
 * child Node process (only when the free check found something to ask), given `timeoutMs`.
 */
export function dockerAvailableSync(timeoutMs = DEFAULT_TIMEOUT_MS): DockerAvailability {
  const hint = noDockerHint();
  if (hint) return { ok: false, reason: hint };
  const testcontainers = require.resolve('testcontainers');
  const script = `
    const done = (result) => { process.stdout.write(JSON.stringify(result)); process.exit(0); };
    setTimeout(() => done({ ok: false, reason: 'no answer from the Docker engine within ${timeoutMs} ms' }), ${timeoutMs});
    require(${JSON.stringify(testcontainers)}).getContainerRuntimeClient().then(
      (runtime) => {
        const info = runtime.info.containerRuntime;
        done({ ok: true, reason: 'Docker ' + info.serverVersion + ' at ' + info.host + ' (' + info.operatingSystem + ')' });
      },
      (err) => done({ ok: false, reason: String((err && err.message) || err) }),
    );
  `;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: timeoutMs + 5_000,
    env: process.env,
  });
  if (child.error) return { ok: false, reason: `the Docker check could not run: ${child.error.message}` };
  try {
    const result = JSON.parse(child.stdout) as DockerAvailability;
    return { ok: !!result.ok, reason: String(result.reason) };
  } catch {
    const detail = (child.stderr || child.stdout || '').trim().split('\n')[0];
    return { ok: false, reason: `the Docker check failed${detail ? `: ${detail}` : ''}` };
  }
}

let availability: DockerAvailability | undefined;

/**
 * `describe` for a suite that needs a Docker engine. Without one, the suite is declared skipped
 * (its tests listed as such) after exactly one plain line on stderr: Jest's console.warn adds a
 * code frame, and its default reporter drops the console output of a fully skipped file.
 * With one, the hooks and tests of the suite get `timeoutMs` (pulling an image takes a while).
 */
export function describeWithDocker(title: string, body: () => void, timeoutMs = 240_000): void {
  availability ??= dockerAvailableSync();
  if (!availability.ok && containersRequired()) {
    // CI that must prove the adapters: no engine is a failure, never a silent skip.
    describe(title, () => {
      it('needs a Docker engine (CONTAINERS_REQUIRED=1)', () => {
        throw new Error(`CONTAINERS_REQUIRED is set but no Docker engine is reachable: ${availability!.reason}`);
      });
    });
    return;
  }
  if (!availability.ok) {
    process.stderr.write(`Skipped, needs a Docker engine: ${title} (${availability.reason})\n`);
    describe.skip(title, body);
    return;
  }
  jest.setTimeout(timeoutMs);
  describe(title, body);
}

/** CONTAINERS_REQUIRED=1 (or true/yes): container suites fail instead of skipping without a Docker engine. */
export function containersRequired(env: Record<string, string | undefined> = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.CONTAINERS_REQUIRED?.trim() ?? '');
}

export interface StartedService {
  /** What a client connects to. */
  readonly url: string;
  readonly container: StartedTestContainer;
  stop(): Promise<void>;
}

/** Image: the KurrentDB LTS line the compose file runs, or ESDB_TEST_IMAGE (e.g. eventstore/eventstore:24.10). */
export const ESDB_IMAGE = process.env.ESDB_TEST_IMAGE ?? 'docker.kurrent.io/kurrent-lts/kurrentdb:26.0';
const ESDB_HTTP_PORT = 2113;

/** A single EventStoreDB node, in memory, insecure; url: its esdb:// connection string. */
export async function startEventStoreDb(options: { standardProjections?: boolean } = {}): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(ESDB_IMAGE)
    // Both prefixes: KurrentDB reads KURRENTDB_*, EventStoreDB 24.10 and older EVENTSTORE_*.
    .withEnvironment({
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_MEM_DB: 'true',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
      ...(options.standardProjections
        ? {
            EVENTSTORE_RUN_PROJECTIONS: 'All',
            EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
            KURRENTDB_RUN_PROJECTIONS: 'All',
            KURRENTDB_START_STANDARD_PROJECTIONS: 'true',
          }
        : {}),
    })
    .withExposedPorts(ESDB_HTTP_PORT)
    .withWaitStrategy(Wait.forHttp('/health/live', ESDB_HTTP_PORT).forStatusCodeMatching((code) => code >= 200 && code < 300))
    .withStartupTimeout(120_000)
    .start();
  const url = `esdb://${container.getHost()}:${container.getMappedPort(ESDB_HTTP_PORT)}?tls=false`;
  return { url, container, stop: async () => void (await container.stop()) };
}

/**
 * MongoDB (8.0, as in the compose file) as a single-node replica set. url: the module's connection string plus
 * directConnection, since the replica set was initiated with the container's own hostname, which
 * the host running the tests cannot resolve.
 */
export async function startMongo(image = process.env.MONGO_TEST_IMAGE ?? 'mongo:8.0'): Promise<StartedService> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer(image).start();
  const base = container.getConnectionString();
  const separator = base.includes('?') ? '&' : base.endsWith('/') ? '?' : '/?';
  const url = `${base}${separator}directConnection=true`;
  return { url, container, stop: async () => void (await container.stop()) };
}

/**
 * A server answers its health check before it accepts clients (EventStoreDB elects itself leader
 * after /health/live): retry `connect` every `intervalMs` until it succeeds or `timeoutMs` passed.
 */
export async function connectWithRetry<T>(connect: () => Promise<T>, { timeoutMs = 60_000, intervalMs = 500 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** A standalone MongoDB (no replica set): what the read store must refuse at connect. */
export async function startStandaloneMongo(image = process.env.MONGO_TEST_IMAGE ?? 'mongo:8.0'): Promise<StartedService> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(image)
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .start();
  const url = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/?directConnection=true`;
  return { url, container, stop: async () => void (await container.stop()) };
}
