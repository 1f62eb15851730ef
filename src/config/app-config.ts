/**
 * Settings come from the environment, with safe defaults, and are validated before anything
 * starts: a bad value stops start-up with a message naming the variable and what it accepts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  jwt: {
    secret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** Longest accepted bearer-token lifetime (exp - iat), in seconds; 24 h when absent. */
    maxLifetimeSeconds?: number;
    /** The HS256 secret is the embedded development one (DATA_DIR/secrets.json), not given by the operator. */
    embedded?: boolean;
  };
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
  /**
   * `npm start`'s layout (src/supervisor.ts): this many API processes sharing the port, beside one
   * process for the projector and the scheduled processes; 0: one process does everything.
   * API_PROCESSES, default `auto`: one fewer than the cores (0 on one core).
   */
  apiProcesses: number;
  /** How long start-up keeps retrying stores that do not answer yet (0: one attempt). */
  startupTimeoutMs: number;
  /** What start-up generated, to be said in the log. */
  generated: string[];
  /** Rate limits per category of route; null when switched off (RATE_LIMITS=off). */
  rateLimits: RateLimits | null;
  /** Origins of the portal frontends allowed to call the API from a browser (CORS). */
  corsOrigins: string[];
  /** Fastify's trustProxy: false, or the proxies' addresses/CIDRs whose X-Forwarded-For is believed. */
  trustProxy: false | string[];
  /** The signatory-data vault: the master key wrapping every signer's data key (AES-256-GCM), and its id. */
  vault: { masterKey: Buffer; masterKeyId: string; retentionMonths: number; retentionCheckIntervalMs: number };
  /** Signed checkpoints of the Merkle log: the Ed25519 key (PKCS#8 PEM) and when to sign. */
  audit: { signingKey: string; checkpointEvery: number; checkpointIntervalMs: number };
}

export const RATE_LIMIT_CATEGORIES = ['filing', 'signing', 'posting', 'exports'] as const;
export type RateLimitCategory = (typeof RATE_LIMIT_CATEGORIES)[number];
export interface RateLimit {
  limit: number;
  windowMs: number;
}
export type RateLimits = Record<RateLimitCategory, { identity: RateLimit; address: RateLimit }>;

/** Defaults, as `<requests>/<window>` per authenticated identity and per client address. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitCategory, { identity: string; address: string }> = {
  filing: { identity: '10/1h', address: '60/1h' },
  signing: { identity: '240/1m', address: '1200/1m' },
  posting: { identity: '60/1m', address: '600/1m' },
  exports: { identity: '30/1m', address: '30/1m' },
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `120/1m` → 120 requests per minute; windows in s, m, h or d. */
export function parseRateLimit(raw: string): RateLimit | null {
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,5})\s*([smhd])\s*$/.exec(raw);
  if (!match) return null;
  const limit = Number(match[1]);
  const windowMs = Number(match[2]) * UNIT_MS[match[3]];
  if (limit < 1 || windowMs < 1000 || windowMs > 7 * 86_400_000) return null;
  return { limit, windowMs };
}

function rateLimits(env: Env, problems: string[]): RateLimits | null {
  const onOff = env.RATE_LIMITS?.trim().toLowerCase() || 'on';
  if (onOff !== 'on' && onOff !== 'off') problems.push(`RATE_LIMITS=${JSON.stringify(env.RATE_LIMITS)}: expected on or off`);
  const limits = {} as RateLimits;
  for (const category of RATE_LIMIT_CATEGORIES) {
    const entry = {} as RateLimits[RateLimitCategory];
    for (const per of ['identity', 'address'] as const) {
      const name = `RATE_LIMIT_${category.toUpperCase()}_PER_${per.toUpperCase()}`;
      const raw = env[name]?.trim() || DEFAULT_RATE_LIMITS[category][per];
      const parsed = parseRateLimit(raw);
      if (!parsed) problems.push(`${name}=${JSON.stringify(env[name])}: expected <requests>/<window>, e.g. 60/1m (window in s, m, h or d, 1 s to 7 d)`);
      entry[per] = parsed ?? parseRateLimit(DEFAULT_RATE_LIMITS[category][per])!;
    }
    limits[category] = entry;
  }
  return onOff === 'off' ? null : limits;
}

function corsOrigins(env: Env, problems: string[]): string[] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return [];
  const origins: string[] = [];
  for (const item of raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    try {
      const url = new URL(item);
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/$/, '')) throw new Error();
      origins.push(url.origin);
    } catch {
      problems.push(`CORS_ORIGINS: ${JSON.stringify(item)} is not an origin (scheme://host[:port], no path), e.g. https://portail.tan-tan.ma`);
    }
  }
  return origins;
}

function trustProxy(env: Env, problems: string[]): false | string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(e));
  if (bad.length) problems.push(`TRUST_PROXY=${JSON.stringify(raw)}: expected addresses or CIDRs of your proxies (or loopback), comma-separated`);
  return entries;
}

function duration(env: Env, name: string, fallbackSeconds: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallbackSeconds;
  const match = /^(\d{1,6})([smhd])$/.exec(raw);
  const seconds = match ? (Number(match[1]) * UNIT_MS[match[2]]) / 1000 : NaN;
  if (!(seconds >= 60 && seconds <= 30 * 86_400)) {
    problems.push(`${name}=${JSON.stringify(raw)}: expected a duration from 1m to 30d, e.g. 12h`);
    return fallbackSeconds;
  }
  return seconds;
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
  const apiProcesses =
    (env.API_PROCESSES?.trim() || 'auto') === 'auto' ? Math.max(0, availableParallelism() - 1) : integer(env, 'API_PROCESSES', 0, 0, 64, problems);
  const startupTimeoutMs = integer(env, 'STARTUP_TIMEOUT_MS', 60_000, 0, 3_600_000, problems);
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  // The client (@eventstore/db-client 6.x) parses esdb:// and esdb+discover:// only; it speaks to
  // KurrentDB servers too, through those same schemes (kurrentdb:// and kdb:// are refused by it).
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\/.+/.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL: expected an esdb:// or esdb+discover:// connection string (also for KurrentDB servers), e.g. esdb://localhost:2113?tls=false`,
    );
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
  jwt.maxLifetimeSeconds = duration(env, 'JWT_MAX_LIFETIME', 86_400, problems);
  const limits = rateLimits(env, problems);
  const origins = corsOrigins(env, problems);
  const proxies = trustProxy(env, problems);
  const signerKeyEnv = env.SIGNER_HASH_KEY;
  if (signerKeyEnv !== undefined && signerKeyEnv !== '' && Buffer.byteLength(signerKeyEnv) < 32) {
    problems.push('SIGNER_HASH_KEY: expected at least 32 bytes');
  }
  const retentionMonths = integer(env, 'SIGNATORY_DATA_RETENTION_MONTHS', 6, 0, 120, problems);
  const retentionCheckIntervalMs = integer(env, 'RETENTION_CHECK_INTERVAL_MS', 3_600_000, 100, 86_400_000, problems);
  const masterKeyEnv = env.VAULT_MASTER_KEY?.trim() || undefined;
  const masterKeyFromEnv = masterKeyEnv ? decodeKey(masterKeyEnv) : undefined;
  if (masterKeyEnv && !masterKeyFromEnv) problems.push('VAULT_MASTER_KEY: expected 32 bytes, base64 (44 characters) or hex (64), e.g. openssl rand -base64 32');
  const checkpointEvery = integer(env, 'AUDIT_CHECKPOINT_EVERY', 1000, 1, 100_000_000, problems);
  const checkpointIntervalMs = integer(env, 'AUDIT_CHECKPOINT_INTERVAL_MS', 600_000, 100, 3_153_600_000_000, problems);
  const auditKeyEnv = env.AUDIT_SIGNING_KEY?.trim() || undefined;
  const auditKey = auditKeyEnv && ed25519Pem(auditKeyEnv);
  if (auditKeyEnv && !auditKey) problems.push('AUDIT_SIGNING_KEY: expected an Ed25519 private key, PKCS#8 PEM (or that PEM in base64)');
  if (problems.length) throw new ConfigError(problems);

  const generated: string[] = [];
  // Only a start that lacks a secret touches DATA_DIR for it: with all given (the production
  // stack), nothing is written, so a read-only or absent DATA_DIR is fine.
  const needsStored = (!jwt.secret && !jwt.jwksUrl) || !signerKeyEnv || !masterKeyFromEnv || !auditKey;
  const secrets = needsStored ? loadOrCreateSecrets(dataDir, generated) : undefined;
  if (!jwt.secret && !jwt.jwksUrl) {
    jwt.secret = secrets!.jwtSecret;
    jwt.embedded = true;
  }
  const masterKey = masterKeyFromEnv ?? vaultKeyOf(dataDir, secrets!, generated);
  return {
    port,
    host,
    dataDir,
    jwt,
    signerKey: signerKeyEnv || secrets!.signerKey,
    deadlineCheckIntervalMs,
    ...(eventStoreUrl ? { eventStoreUrl } : {}),
    ...(mongodbUrl ? { mongodbUrl } : {}),
    mongodbDb,
    signerIdentity,
    eventsSynchronous,
    readWaitMaxMs,
    apiProcesses,
    startupTimeoutMs,
    generated,
    rateLimits: limits,
    corsOrigins: origins,
    trustProxy: proxies,
    vault: { masterKey, masterKeyId: masterKeyIdOf(masterKey), retentionMonths, retentionCheckIntervalMs },
    audit: { signingKey: auditKey || auditKeyOf(dataDir, secrets!, generated), checkpointEvery, checkpointIntervalMs },
  };
}

/** A 32-byte key written as base64 (or base64url) or hex; undefined when it is not one. */
function decodeKey(text: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  return key?.length === 32 ? key : undefined;
}

/** Names a master key without revealing it (recorded beside each wrapped data key; see docs/operations.md on rotation). */
export const masterKeyIdOf = (key: Buffer): string => `mk-${createHash('sha256').update('vault-master-key\n').update(key).digest('hex').slice(0, 16)}`;

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
  /** The vault's master key (base64, 32 bytes); added to an older secrets file on the first start that needs it. */
  vaultMasterKey?: string;
  auditSigningKey?: string;
}

/** The embedded vault master key from the secrets file, created (and the file rewritten atomically) when missing. */
function vaultKeyOf(dataDir: string, secrets: StoredSecrets, generated: string[]): Buffer {
  const file = join(dataDir, 'secrets.json');
  if (secrets.vaultMasterKey) return Buffer.from(secrets.vaultMasterKey, 'base64');
  // Another process may have added it meanwhile: read again just before writing.
  const current = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  if (current.vaultMasterKey) return Buffer.from(current.vaultMasterKey, 'base64');
  const updated: StoredSecrets = { ...current, vaultMasterKey: randomBytes(32).toString('base64') };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(updated, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  generated.push(`added a vault master key to ${file} (keep it: without it no signatory data can be read)`);
  return Buffer.from(updated.vaultMasterKey!, 'base64');
}

/** First start without secrets: create them in DATA_DIR, readable by the service's user only. */
function loadOrCreateSecrets(dataDir: string, generated: string[]): StoredSecrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  const secrets: StoredSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    signerKey: randomBytes(48).toString('base64url'),
    vaultMasterKey: randomBytes(32).toString('base64'),
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
