/**
 * Settings come from the environment, with safe defaults, and are validated before anything
 * starts: a bad value stops start-up with a message naming the variable and what it accepts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  jwt: { secret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  /** Key for the signer hash (HMAC-SHA256 of the identity number) and for receipts. */
  signerKey: string;
  deadlineCheckIntervalMs: number;
  /** Production stores; when absent, the embedded SQLite files under dataDir. */
  eventStoreUrl?: string;
  mongodbUrl?: string;
  mongodbDb: string;
  /** Whose identity an online signature is: attested by the token's cin claim, or declared in the request. */
  signerIdentity: 'attested' | 'declared';
  /** The embedded event log's SQLite synchronous level (see src/infrastructure/embedded-stores.ts). */
  eventsSynchronous: 'full' | 'normal';
  /** How long a query with minPosition waits for its read model. */
  readWaitMaxMs: number;
  /** What start-up generated, to be said in the log. */
  generated: string[];
  /** Signed checkpoints of the Merkle log: the Ed25519 key (PKCS#8 PEM) and when to sign. */
  audit: { signingKey: string; checkpointEvery: number; checkpointIntervalMs: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
    return fallback;
  }
  return Number(raw);
}

/** Reads and validates the environment. Creates DATA_DIR and, on first start, its secrets file. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) problems.push(`HOST=${JSON.stringify(env.HOST)}: expected a host name or IP address`);
  const dataDirRaw = env.DATA_DIR?.trim() || './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw);
  const deadlineCheckIntervalMs = integer(env, 'DEADLINE_CHECK_INTERVAL_MS', 60_000, 100, 86_400_000, problems);

  const readWaitMaxMs = integer(env, 'READ_WAIT_MAX_MS', 2000, 0, 60_000, problems);
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/.+/.test(eventStoreUrl)) {
    problems.push(`EVENTSTORE_URL: expected an esdb:// (or esdb+discover://, kurrentdb://) connection string, e.g. esdb://localhost:2113?tls=false`);
  }
  const mongodbUrl = env.MONGODB_URL?.trim() || undefined;
  if (mongodbUrl && !/^mongodb(\+srv)?:\/\/.+/.test(mongodbUrl)) {
    problems.push('MONGODB_URL: expected a mongodb:// or mongodb+srv:// connection string, e.g. mongodb://localhost:27017/?replicaSet=rs0');
  }
  const mongodbDb = env.MONGODB_DB?.trim() || 'petitions';
  const eventsSynchronous = (env.EVENTS_SYNCHRONOUS?.trim().toLowerCase() || 'full') as AppConfig['eventsSynchronous'];
  if (eventsSynchronous !== 'full' && eventsSynchronous !== 'normal')
    problems.push(`EVENTS_SYNCHRONOUS=${JSON.stringify(env.EVENTS_SYNCHRONOUS)}: expected full or normal`);
  const signerIdentity = (env.SIGNER_IDENTITY?.trim() || 'attested') as AppConfig['signerIdentity'];
  if (signerIdentity !== 'attested' && signerIdentity !== 'declared')
    problems.push(`SIGNER_IDENTITY=${JSON.stringify(env.SIGNER_IDENTITY)}: expected attested or declared`);
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDb))
    problems.push(`MONGODB_DB=${JSON.stringify(env.MONGODB_DB)}: expected a database name (letters, digits, _ and -)`);

  const jwt: AppConfig['jwt'] = {};
  const secret = env.JWT_SECRET;
  const jwksUrl = env.JWT_JWKS_URL;
  if (secret !== undefined && secret !== '') {
    if (Buffer.byteLength(secret) < 32) problems.push('JWT_SECRET: expected at least 32 bytes (HS256 needs a key as long as its hash)');
    jwt.secret = secret;
  }
  if (jwksUrl) {
    try {
      const url = new URL(jwksUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error();
      jwt.jwksUrl = jwksUrl;
    } catch {
      problems.push(`JWT_JWKS_URL=${JSON.stringify(jwksUrl)}: expected an http(s) URL of a JSON Web Key Set`);
    }
  }
  if (env.JWT_ISSUER) jwt.issuer = env.JWT_ISSUER;
  if (env.JWT_AUDIENCE) jwt.audience = env.JWT_AUDIENCE;
  const signerKeyEnv = env.SIGNER_HASH_KEY;
  if (signerKeyEnv !== undefined && signerKeyEnv !== '' && Buffer.byteLength(signerKeyEnv) < 32) {
    problems.push('SIGNER_HASH_KEY: expected at least 32 bytes');
  }
  const checkpointEvery = integer(env, 'AUDIT_CHECKPOINT_EVERY', 1000, 1, 100_000_000, problems);
  const checkpointIntervalMs = integer(env, 'AUDIT_CHECKPOINT_INTERVAL_MS', 600_000, 100, 3_153_600_000_000, problems);
  const auditKeyEnv = env.AUDIT_SIGNING_KEY?.trim() || undefined;
  const auditKey = auditKeyEnv && ed25519Pem(auditKeyEnv);
  if (auditKeyEnv && !auditKey) problems.push('AUDIT_SIGNING_KEY: expected an Ed25519 private key, PKCS#8 PEM (or that PEM in base64)');
  if (problems.length) throw new ConfigError(problems);

  const generated: string[] = [];
  const secrets = loadOrCreateSecrets(dataDir, generated);
  if (!jwt.secret && !jwt.jwksUrl) jwt.secret = secrets.jwtSecret;
  return {
    port,
    host,
    dataDir,
    jwt,
    signerKey: signerKeyEnv || secrets.signerKey,
    deadlineCheckIntervalMs,
    ...(eventStoreUrl ? { eventStoreUrl } : {}),
    ...(mongodbUrl ? { mongodbUrl } : {}),
    mongodbDb,
    signerIdentity,
    eventsSynchronous,
    readWaitMaxMs,
    generated,
    audit: { signingKey: auditKey || auditKeyOf(dataDir, secrets, generated), checkpointEvery, checkpointIntervalMs },
  };
}

/** The PEM of an Ed25519 private key given as PEM or base64 of PEM; undefined otherwise. */
function ed25519Pem(raw: string): string | undefined {
  const pem = raw.includes('-----BEGIN') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'ed25519' ? pem : undefined;
  } catch {
    return undefined;
  }
}

/** The embedded checkpoint key: in secrets.json, added (atomically) when an older file lacks it. */
function auditKeyOf(dataDir: string, secrets: StoredSecrets, generated: string[]): string {
  if (secrets.auditSigningKey) return secrets.auditSigningKey;
  const file = join(dataDir, 'secrets.json');
  const current = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  if (current.auditSigningKey) return current.auditSigningKey;
  const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...current, auditSigningKey: key }, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  generated.push(`added an Ed25519 checkpoint signing key to ${file} (keep it: auditors check checkpoints against its public key)`);
  return key;
}

interface StoredSecrets {
  jwtSecret: string;
  signerKey: string;
  auditSigningKey?: string;
}

/** First start without secrets: create them in DATA_DIR, readable by the service's user only. */
function loadOrCreateSecrets(dataDir: string, generated: string[]): StoredSecrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  const secrets: StoredSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    signerKey: randomBytes(48).toString('base64url'),
    auditSigningKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  try {
    // 'wx': if another process (the token command, a second instance) created it first, use theirs.
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
    throw e;
  }
  chmodSync(file, 0o600);
  generated.push(
    `created ${file} with a new JWT secret, signer-hash key and checkpoint signing key (keep it: losing the signer key breaks duplicate detection)`,
  );
  return secrets;
}
