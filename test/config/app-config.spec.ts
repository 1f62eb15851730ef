import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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

  it('lays npm start out over the cores unless API_PROCESSES says otherwise', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).apiProcesses).toBe(Math.max(0, availableParallelism() - 1));
    expect(loadConfig({ DATA_DIR: dataDir(), API_PROCESSES: 'auto' }).apiProcesses).toBe(Math.max(0, availableParallelism() - 1));
    expect(loadConfig({ DATA_DIR: dataDir(), API_PROCESSES: '0' }).apiProcesses).toBe(0);
    expect(loadConfig({ DATA_DIR: dataDir(), API_PROCESSES: '3' }).apiProcesses).toBe(3);
    for (const bad of ['-1', 'two', '65', '1.5']) {
      expect(() => loadConfig({ DATA_DIR: dataDir(), API_PROCESSES: bad })).toThrow(/API_PROCESSES/);
    }
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

  it('keeps the vault master key in the secrets file, or takes it from VAULT_MASTER_KEY, never printing it', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));
    expect(config.vault.masterKey.equals(Buffer.from(secrets.vaultMasterKey, 'base64'))).toBe(true);
    expect(config.vault.masterKey).toHaveLength(32);
    expect(config.vault.masterKeyId).toMatch(/^mk-[0-9a-f]{16}$/);
    expect(config.vault).toMatchObject({ retentionMonths: 6, retentionCheckIntervalMs: 3_600_000 });
    const hex = 'ab'.repeat(32);
    const fromEnv = loadConfig({ DATA_DIR: dir, VAULT_MASTER_KEY: hex, SIGNATORY_DATA_RETENTION_MONTHS: '12' });
    expect(fromEnv.vault.masterKey.toString('hex')).toBe(hex);
    expect(fromEnv.vault.masterKeyId).not.toBe(config.vault.masterKeyId);
    expect(fromEnv.vault.retentionMonths).toBe(12);
    expect(() => loadConfig({ DATA_DIR: dir, VAULT_MASTER_KEY: 'too-short' })).toThrow(/VAULT_MASTER_KEY: expected 32 bytes/);
    expect(() => loadConfig({ DATA_DIR: dir, SIGNATORY_DATA_RETENTION_MONTHS: 'six' })).toThrow(/SIGNATORY_DATA_RETENTION_MONTHS/);
  });

  it('adds a vault master key to a secrets file written before the vault existed, keeping the other secrets', () => {
    const dir = dataDir();
    const older = { jwtSecret: 'j'.repeat(48), signerKey: 's'.repeat(48) };
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(older), { mode: 0o600 });
    const config = loadConfig({ DATA_DIR: dir });
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));
    expect(secrets).toMatchObject(older);
    expect(Buffer.from(secrets.vaultMasterKey, 'base64')).toHaveLength(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    // An older file gains the keys it lacks: the vault master key (and here the checkpoint key too).
    expect(config.generated).toEqual([expect.stringMatching(/vault master key/), expect.stringMatching(/checkpoint signing key/)]);
    expect(loadConfig({ DATA_DIR: dir }).vault.masterKey.equals(config.vault.masterKey)).toBe(true);
  });
});

describe('loadConfig on the production stack', () => {
  it('writes nothing to DATA_DIR when all four secrets come from the environment (the image runs without a writable /data)', () => {
    const missing = join(dataDir(), 'not-created');
    const masterKey = Buffer.alloc(32, 7);
    const auditKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = loadConfig({
      DATA_DIR: missing,
      JWT_SECRET: 'x'.repeat(32),
      SIGNER_HASH_KEY: 'k'.repeat(32),
      VAULT_MASTER_KEY: masterKey.toString('base64'),
      AUDIT_SIGNING_KEY: auditKey,
      EVENTSTORE_URL: 'esdb://es:2113?tls=false',
    });
    expect(config.generated).toEqual([]);
    expect(config.vault.masterKey.equals(masterKey)).toBe(true);
    expect(existsSync(missing)).toBe(false);
  });

  it('stores a vault master key when only VAULT_MASTER_KEY is missing (so the production stack must pass it)', () => {
    const dir = join(dataDir(), 'created');
    const auditKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = loadConfig({
      DATA_DIR: dir,
      JWT_SECRET: 'x'.repeat(32),
      SIGNER_HASH_KEY: 'k'.repeat(32),
      AUDIT_SIGNING_KEY: auditKey,
      EVENTSTORE_URL: 'esdb://es:2113?tls=false',
    });
    expect(config.generated).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));
    expect(config.vault.masterKey.equals(Buffer.from(stored.vaultMasterKey, 'base64'))).toBe(true);
    expect(config.jwt.secret).toBe('x'.repeat(32));
    expect(config.signerKey).toBe('k'.repeat(32));
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

describe('loadConfig: HTTP hardening settings', () => {
  it('defaults: rate limits on, no CORS origin, no trusted proxy, tokens of at most 24 h', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config.rateLimits).toEqual({
      filing: { identity: { limit: 10, windowMs: 3_600_000 }, address: { limit: 60, windowMs: 3_600_000 } },
      signing: { identity: { limit: 240, windowMs: 60_000 }, address: { limit: 1200, windowMs: 60_000 } },
      posting: { identity: { limit: 60, windowMs: 60_000 }, address: { limit: 600, windowMs: 60_000 } },
      exports: { identity: { limit: 30, windowMs: 60_000 }, address: { limit: 30, windowMs: 60_000 } },
    });
    expect(config.corsOrigins).toEqual([]);
    expect(config.trustProxy).toBe(false);
    expect(config.jwt.maxLifetimeSeconds).toBe(86_400);
  });

  it('takes limits, origins, proxies and the token lifetime from the environment', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      RATE_LIMIT_SIGNING_PER_IDENTITY: '20/10s',
      RATE_LIMIT_EXPORTS_PER_ADDRESS: ' 5 / 1d ',
      CORS_ORIGINS: 'https://portail.tan-tan.ma, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8,loopback',
      JWT_MAX_LIFETIME: '2h',
    });
    expect(config.rateLimits!.signing.identity).toEqual({ limit: 20, windowMs: 10_000 });
    expect(config.rateLimits!.exports.address).toEqual({ limit: 5, windowMs: 86_400_000 });
    expect(config.corsOrigins).toEqual(['https://portail.tan-tan.ma', 'http://localhost:5173']);
    expect(config.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(config.jwt.maxLifetimeSeconds).toBe(7200);
    expect(loadConfig({ DATA_DIR: dataDir(), RATE_LIMITS: 'off' }).rateLimits).toBeNull();
  });

  it('names each bad hardening variable', () => {
    let error: unknown;
    try {
      loadConfig({
        DATA_DIR: dataDir(),
        RATE_LIMITS: 'maybe',
        RATE_LIMIT_FILING_PER_ADDRESS: 'lots',
        RATE_LIMIT_SIGNING_PER_IDENTITY: '0/1m',
        CORS_ORIGINS: 'https://portail.tan-tan.ma/app',
        TRUST_PROXY: 'everyone',
        JWT_MAX_LIFETIME: '100y',
      });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'RATE_LIMITS=',
      'RATE_LIMIT_FILING_PER_ADDRESS',
      'RATE_LIMIT_SIGNING_PER_IDENTITY',
      'CORS_ORIGINS',
      'TRUST_PROXY',
      'JWT_MAX_LIFETIME',
    ]) {
      expect(problems).toContain(name);
    }
  });
});

describe('the checkpoint signing key', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'petitions-audit-key-'));

  it('takes AUDIT_SIGNING_KEY as PEM or base64 of PEM, and refuses anything but Ed25519', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadConfig({ DATA_DIR: dir(), AUDIT_SIGNING_KEY: pem }).audit.signingKey).toBe(pem.trim());
    expect(loadConfig({ DATA_DIR: dir(), AUDIT_SIGNING_KEY: Buffer.from(pem).toString('base64') }).audit.signingKey).toBe(pem);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig({ DATA_DIR: dir(), AUDIT_SIGNING_KEY: rsa })).toThrow(/AUDIT_SIGNING_KEY/);
    expect(() => loadConfig({ DATA_DIR: dir(), AUDIT_CHECKPOINT_EVERY: '0' })).toThrow(/AUDIT_CHECKPOINT_EVERY/);
  });

  it('keeps the embedded key across starts, and adds one to an older secrets file', () => {
    const d = dir();
    const first = loadConfig({ DATA_DIR: d }).audit.signingKey;
    expect(loadConfig({ DATA_DIR: d }).audit.signingKey).toBe(first);
    const file = join(d, 'secrets.json');
    const { auditSigningKey: _k, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(older));
    const config = loadConfig({ DATA_DIR: d });
    expect(config.audit.signingKey).not.toBe(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ ...older, auditSigningKey: config.audit.signingKey });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
