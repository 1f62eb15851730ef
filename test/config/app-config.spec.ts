import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app-config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'petitions-config-'));

describe('loadConfig', () => {
  it('has safe defaults and creates the secrets on a first start, readable by the owner only', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: dir, mongodbDb: 'petitions', readWaitMaxMs: 2000 });
    expect(config.eventStoreUrl).toBeUndefined();
    expect(config.generated).toHaveLength(1);
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(readFileSync(file, 'utf8'));
    expect(config.jwt.secret).toBe(secrets.jwtSecret);
    expect(config.signerKey).toBe(secrets.signerKey);
    // A second start reuses them and says nothing.
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.jwt.secret).toBe(config.jwt.secret);
    expect(again.generated).toEqual([]);
  });

  it('takes secrets and stores from the environment', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      PORT: '8080',
      HOST: '0.0.0.0',
      JWT_SECRET: 'x'.repeat(32),
      SIGNER_HASH_KEY: 'k'.repeat(40),
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      MONGODB_URL: 'mongodb://localhost:27017/?replicaSet=rs0',
      MONGODB_DB: 'tantan',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      signerKey: 'k'.repeat(40),
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      mongodbDb: 'tantan',
    });
    expect(config.jwt.secret).toBe('x'.repeat(32));
  });

  it('stops start-up naming every bad variable and what it accepts', () => {
    let error: unknown;
    try {
      loadConfig({
        DATA_DIR: dataDir(),
        PORT: '70000',
        JWT_SECRET: 'short',
        EVENTSTORE_URL: 'http://es:2113',
        MONGODB_URL: 'postgres://x',
        DEADLINE_CHECK_INTERVAL_MS: 'soon',
        JWT_JWKS_URL: 'not a url',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'JWT_SECRET', 'EVENTSTORE_URL', 'MONGODB_URL', 'DEADLINE_CHECK_INTERVAL_MS', 'JWT_JWKS_URL']) expect(problems).toContain(name);
    expect((error as ConfigError).message).toContain('expected a whole number from 0 to 65535');
  });
});

describe('loadConfig on the production stack', () => {
  it('writes nothing to DATA_DIR when both secrets come from the environment (the image runs without a writable /data)', () => {
    const missing = join(dataDir(), 'not-created');
    const config = loadConfig({ DATA_DIR: missing, JWT_SECRET: 'x'.repeat(32), SIGNER_HASH_KEY: 'k'.repeat(32), EVENTSTORE_URL: 'esdb://es:2113?tls=false' });
    expect(config.generated).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });

  it('still stores the one secret that is missing', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(32) });
    expect(config.jwt.secret).toBe('x'.repeat(32));
    expect(config.signerKey).toBe(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).signerKey);
  });

  it.each(['kurrentdb://localhost:2113', 'kdb://localhost:2113', 'kurrentdb+discover://a:2113', 'http://localhost:2113'])(
    'refuses %s, which the EventStoreDB client cannot parse',
    (url) => {
      expect(() => loadConfig({ DATA_DIR: dataDir(), EVENTSTORE_URL: url })).toThrow(/EVENTSTORE_URL: expected an esdb:\/\/ or esdb\+discover:\/\//);
    },
  );

  it.each(['esdb://localhost:2113?tls=false', 'esdb+discover://cluster.example:2113'])('accepts %s', (url) => {
    expect(loadConfig({ DATA_DIR: dataDir(), EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
  });
});
