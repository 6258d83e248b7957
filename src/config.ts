import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signatureSettings, type SignatureSettings } from './config-signatures';

import { ConfigError } from './config-error';
import { ORGAN_ID_PATTERN } from './domain/units/unit-rules';

export { ConfigError };

/** The whole configuration of one server process, read once at boot. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  /** `undefined` means: start the embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  port: number;
  /**
   * Worker processes serving HTTP and WebSocket on the one port (WORKERS, default 1: the server runs in
   * one process, as before). With more, a primary process does the once-per-deployment work (embedded
   * PostgreSQL, migrations, seeding) and supervises the workers (src/cluster.ts).
   */
  workers: number;
  /** Where the embedded database, the generated token secret and uploads live. */
  dataDir: string;
  tokenSecret: string;
  tokenTtlMinutes: number;
  adminUsername?: string;
  adminPassword?: string;
  corsOrigins: string[];
  /** `undefined`: load demo data on the first start of the embedded database only. */
  demoData?: boolean;
  uploadDir: string;
  maxUploadBytes: number;
  officeTimeZone: string;
  /** This deployment's agency identifier (mã định danh), used in dossier codes and the document exchange. */
  organId: string;
  exchange: {
    /** How often the sender looks for messages due (ms); it is also woken when one is queued. */
    pollMs: number;
    /** The first retry waits this long; each further one twice as long, up to retryMaxMs. */
    retryBaseMs: number;
    retryMaxMs: number;
    /** How long a peer may take to answer one message. */
    timeoutMs: number;
    /** The largest edXML message taken on POST /exchange/messages or by hand. */
    maxMessageBytes: number;
    /**
     * Whether a peer's endpoint may lead to a loopback, private or link-local address. Never in
     * production; outside it by default (peers in tests and development run on this host), unless
     * EXCHANGE_ALLOW_INTERNAL_PEERS=0.
     */
    allowInternalPeers: boolean;
  };
  /** Open WebSocket connections one account may hold on one server process. */
  wsConnectionsPerAccount: number;
  /**
   * Whether queries whose every root field PostgreSQL can answer as the response itself are answered so
   * (src/read/fast-operation.ts; ANSWER_IN_SQL, default on). Off, every query is executed field by field.
   */
  answerInSql: boolean;
  /** The most connections the ORM's pool opens in one process (DB_POOL_MAX, default 10). */
  dbPoolMax: number;
  /**
   * The bearer token a scraper of GET /metrics must send. Without it /metrics is open outside
   * production and off (404) in production.
   */
  metricsToken?: string;
  /**
   * The pages the server itself serves to browsers, from installed packages only (src/web-pages.ts):
   * GraphiQL at /ide and the live console at /console. On outside production, off in it unless asked.
   */
  web: {
    ide: boolean;
    console: boolean;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Digital signatures on PDFs: the trust anchors the SYSADMIN configured, and the bounds of a check. */
  signatures: SignatureSettings;
  /** Checkpoints of the history's hash chains, kept outside the database (src/audit/checkpoint.ts). */
  audit: AuditSettings;
  /** Sign-in throttling; see the README's Hardening section for how the three counts work together. */
  login: {
    /** Failures of one account from one address in the window before that pair is locked. */
    maxFailuresPerAccountAddress: number;
    /** Failures of one account from every address in the window before attempts on it are slowed. */
    maxFailuresPerAccount: number;
    /** Attempts (on any account) from one address in the window before the address is locked. */
    maxFailuresPerAddress: number;
    /** The first gap between slowed attempts on an account (ms), doubling with each failure up to slowdownMaxMs. */
    slowdownMs: number;
    slowdownMaxMs: number;
    /** The longest a slowed attempt is held waiting for its turn (ms); later turns are refused. */
    maxWaitMs: number;
    windowMinutes: number;
    lockMinutes: number;
    /** How many password hashes may be computed at once; the rest wait. */
    maxHashesInFlight: number;
  };
}

type Env = Record<string, string | undefined>;

/** Where the history's checkpoints go, how often, and the key that signs them. */
export interface AuditSettings {
  /** The HMAC key of checkpoint lines: AUDIT_KEY, or derived from TOKEN_SECRET. Never stored in the database. */
  key: string;
  /** The file checkpoint lines are appended to. */
  checkpointFile: string;
  /** Seconds between checkpoints (also written at shutdown); 0: only when asked (tests). */
  checkpointSeconds: number;
}

/** The most worker processes WORKERS may ask for (each holds its own database connections: README, Several cores). */
export const MAX_WORKERS = 32;

const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const v = read(env, name);
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `must be a whole number between ${min} and ${max} (got "${v}")`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function bool(env: Env, name: string): boolean | undefined {
  const v = read(env, name);
  if (v === undefined) return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(name, `must be 1/true/yes/on or 0/false/no/off (got "${v}")`);
}

function timeZone(env: Env, name: string, dflt: string): string {
  const v = read(env, name) ?? dflt;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Ho_Chi_Minh (got "${v}")`);
  }
  return v;
}

function organId(env: Env): string {
  const v = read(env, 'ORGAN_ID') ?? '000.00.00.H08';
  if (!ORGAN_ID_PATTERN.test(v)) throw new ConfigError('ORGAN_ID', `must be a 13-character agency identifier such as 000.00.00.H08 (got "${v}")`);
  return v;
}

function allowInternalPeers(env: Env, nodeEnv: Config['nodeEnv']): boolean {
  const v = bool(env, 'EXCHANGE_ALLOW_INTERNAL_PEERS');
  if (nodeEnv === 'production') {
    if (v === true)
      throw new ConfigError('EXCHANGE_ALLOW_INTERNAL_PEERS', 'peers on loopback, private or link-local addresses are never allowed when NODE_ENV=production');
    return false;
  }
  return v ?? true;
}

function tokenSecret(env: Env, nodeEnv: Config['nodeEnv'], dataDir: string): string {
  const v = read(env, 'TOKEN_SECRET');
  if (v !== undefined) {
    if (v.length < 32) throw new ConfigError('TOKEN_SECRET', 'must be at least 32 characters long');
    return v;
  }
  if (nodeEnv === 'production') throw new ConfigError('TOKEN_SECRET', 'is required when NODE_ENV=production (at least 32 random characters)');
  // Outside production the secret is generated once and kept, so tokens survive a restart.
  const file = path.join(dataDir, 'token-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * The audit settings, also for `audit:verify`, which must not make up a token secret: without
 * AUDIT_KEY it takes TOKEN_SECRET from the environment or the file the server generated, and
 * `tokenSecretOrNull` is null when there is neither.
 */
export function auditSettings(env: Env, dataDir: string, tokenSecretOrNull: string | null): AuditSettings | null {
  const given = read(env, 'AUDIT_KEY');
  if (given !== undefined && given.length < 32) throw new ConfigError('AUDIT_KEY', 'must be at least 32 characters long');
  const key = given ?? (tokenSecretOrNull === null ? null : createHmac('sha256', tokenSecretOrNull).update('vpdt audit checkpoints v1').digest('hex'));
  if (key === null) return null;
  return {
    key,
    checkpointFile: path.resolve(dataDir, read(env, 'AUDIT_CHECKPOINT_FILE') ?? path.join('audit', 'checkpoints.log')),
    checkpointSeconds: int(env, 'AUDIT_CHECKPOINT_SECONDS', 60, 0, 24 * 3600),
  };
}

/** TOKEN_SECRET as the server would use it, without generating one: for tools run beside the server. */
export function existingTokenSecret(env: Env, dataDir: string): string | null {
  const v = read(env, 'TOKEN_SECRET');
  if (v !== undefined) return v;
  const file = path.join(dataDir, 'token-secret');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/**
 * Reads and validates the configuration. Throws a {@link ConfigError} naming the first bad variable.
 * `cwd` anchors the relative defaults (`./.data`).
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const rawEnv = read(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(rawEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${rawEnv}")`);
  }
  const nodeEnv = rawEnv as Config['nodeEnv'];

  const databaseUrl = read(env, 'DATABASE_URL');
  if (databaseUrl !== undefined) {
    let ok: boolean;
    try {
      const u = new URL(databaseUrl);
      ok = (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.pathname.length > 1;
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError('DATABASE_URL', 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database');
  }

  const dataDir = path.resolve(cwd, read(env, 'DATA_DIR') ?? '.data');
  const adminUsername = read(env, 'ADMIN_USERNAME')?.toLowerCase();
  const adminPassword = read(env, 'ADMIN_PASSWORD');
  if (adminUsername !== undefined && !EMAIL.test(adminUsername)) {
    throw new ConfigError('ADMIN_USERNAME', 'must be an e-mail address (the official provincial address of the administrator)');
  }
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminUsername === undefined ? 'ADMIN_USERNAME' : 'ADMIN_PASSWORD', 'ADMIN_USERNAME and ADMIN_PASSWORD must be given together');
  }
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters long');
  }

  const corsOrigins = (read(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    let ok: boolean;
    try {
      const u = new URL(origin);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === origin.replace(/\/$/, '');
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins such as https://vpdt.example.gov.vn (bad: "${origin}")`);
  }

  const demoData = bool(env, 'DEMO_DATA');
  if (demoData === true && nodeEnv === 'production') {
    throw new ConfigError('DEMO_DATA', 'demo data is never loaded when NODE_ENV=production');
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }

  const metricsToken = read(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && (metricsToken.length < 16 || !/^[\x21-\x7e]+$/.test(metricsToken))) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters without spaces (a random string the scraper sends as a bearer token)');
  }

  const secret = tokenSecret(env, nodeEnv, dataDir);
  return {
    nodeEnv,
    databaseUrl,
    port: int(env, 'PORT', 4000, 0, 65535),
    workers: int(env, 'WORKERS', 1, 1, MAX_WORKERS),
    dataDir,
    tokenSecret: secret,
    audit: auditSettings(env, dataDir, secret)!,
    tokenTtlMinutes: int(env, 'TOKEN_TTL_MINUTES', 480, 1, 7 * 24 * 60),
    adminUsername,
    adminPassword,
    corsOrigins: corsOrigins.map((o) => o.replace(/\/$/, '')),
    demoData: nodeEnv === 'production' ? false : demoData,
    uploadDir: path.resolve(cwd, read(env, 'UPLOAD_DIR') ?? path.join(dataDir, 'files')),
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 50 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
    officeTimeZone: timeZone(env, 'OFFICE_TZ', 'Asia/Ho_Chi_Minh'),
    organId: organId(env),
    wsConnectionsPerAccount: int(env, 'WS_CONNECTIONS_PER_ACCOUNT', 10, 1, 100_000),
    answerInSql: bool(env, 'ANSWER_IN_SQL') ?? true,
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 2, 500),
    metricsToken,
    web: {
      ide: bool(env, 'IDE_ENABLED') ?? nodeEnv !== 'production',
      console: bool(env, 'CONSOLE_ENABLED') ?? nodeEnv !== 'production',
    },
    exchange: {
      pollMs: int(env, 'EXCHANGE_POLL_MS', 1000, 10, 3_600_000),
      retryBaseMs: int(env, 'EXCHANGE_RETRY_BASE_MS', 5000, 10, 3_600_000),
      retryMaxMs: int(env, 'EXCHANGE_RETRY_MAX_MS', 10 * 60 * 1000, 10, 24 * 3_600_000),
      timeoutMs: int(env, 'EXCHANGE_TIMEOUT_MS', 30_000, 100, 600_000),
      maxMessageBytes: int(env, 'EXCHANGE_MAX_MESSAGE_BYTES', 150 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
      allowInternalPeers: allowInternalPeers(env, nodeEnv),
    },
    logLevel,
    signatures: signatureSettings(env, cwd, int(env, 'SIGNATURE_CHECK_TIMEOUT_MS', 30_000, 100, 600_000)),
    login: {
      maxFailuresPerAccountAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS', 5, 1, 1000),
      maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 100000),
      maxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 100, 1, 100000),
      slowdownMs: int(env, 'LOGIN_SLOWDOWN_MS', 1000, 1, 3_600_000),
      slowdownMaxMs: int(env, 'LOGIN_SLOWDOWN_MAX_MS', 60_000, 1, 24 * 3_600_000),
      maxWaitMs: int(env, 'LOGIN_MAX_WAIT_MS', 10_000, 0, 120_000),
      windowMinutes: int(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
      lockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
      maxHashesInFlight: int(env, 'LOGIN_MAX_HASHES_IN_FLIGHT', 4, 1, 64),
    },
  };
}
