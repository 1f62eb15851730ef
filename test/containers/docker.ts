import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { homedir, userInfo } from 'os';
import { join } from 'path';

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
 * Is a Docker engine reachable? DOCKER_HOST or a socket first (free), then testcontainers' own
 * runtime client, given at most `timeoutMs` to answer.
 */
export async function dockerAvailable(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DockerAvailability> {
  const hint = noDockerHint();
  if (hint) return { ok: false, reason: hint };
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = getContainerRuntimeClient();
    client.catch(() => undefined); // still settles after a timeout; never unhandled
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the Docker engine within ${timeoutMs} ms`)), timeoutMs);
    });
    const runtime = await Promise.race([client, timeout]);
    const info = runtime.info.containerRuntime;
    return { ok: true, reason: `Docker ${info.serverVersion} at ${info.host} (${info.operatingSystem})` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * dockerAvailable() for the one place that cannot await: deciding, while Jest collects a file,
 * whether to declare its tests or skip them. The free check runs here; the runtime-client check
 * runs in a child Node process (only when the free check found something to ask).
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
