import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    expect(config.generated).toEqual([expect.stringMatching(/vault master key/)]);
    expect(loadConfig({ DATA_DIR: dir }).vault.masterKey.equals(config.vault.masterKey)).toBe(true);
  });
});
