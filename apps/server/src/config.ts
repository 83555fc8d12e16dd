import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the Portal reads from its environment; see apps/server/README.md for the table. */
export interface ServerConfig {
  /** TCP port; 0 picks a free one (tests). Env PORT, default 8080. */
  port: number;
  /**
   * Address to listen on. Env HOST, default 127.0.0.1: the demo is reachable only from this machine
   * until an operator deliberately sets 0.0.0.0 (normally behind a TLS proxy).
   */
  host: string;
  /** Folder for the SQLite file and the DICOM store. Env COURIER_DATA_DIR, default ./data. */
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; unset means SQLite at `<dataDir>/courier.sqlite`. Env DATABASE_URL. */
  databaseUrl: string | undefined;
  /** Set the Secure flag on cookies (serve over TLS). Env COURIER_SECURE_COOKIES=1, default off. */
  secureCookies: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (client address in the audit log). Env COURIER_TRUST_PROXY=1. */
  trustProxy: boolean;
  /** A session ends after this long without a request. Env COURIER_SESSION_IDLE_MINUTES, default 30. */
  sessionIdleMs: number;
  /** Failed logins allowed per user name, and per address ×4, within the window. Env COURIER_LOGIN_MAX_FAILURES, default 5. */
  loginMaxFailures: number;
  /** The rate-limit window. Env COURIER_LOGIN_WINDOW_MINUTES, default 15. */
  loginWindowMs: number;
  /** An upload session unused for this long expires. Env COURIER_UPLOAD_TTL_HOURS, default 24. */
  uploadTtlMs: number;
  /** Largest batch body the server accepts, advertised to the Uploader. Env COURIER_MAX_BATCH_MB, default 64. */
  maxBatchBytes: number;
  /** Seed the demo study when the database has no users. Env COURIER_DEMO=0 turns it off; default on. */
  demo: boolean;
  /** pino log level, or 'silent'. Env LOG_LEVEL, default info. */
  logLevel: string;
  /**
   * The built web app served at `/` (skipped when it has no index.html). Env COURIER_WEB_DIR,
   * default the repository's apps/web/dist.
   */
  webDir: string;
}

/** apps/web/dist beside this package (the same from src/ and from a built dist/). */
const DEFAULT_WEB_DIR: string = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The documented defaults, before the environment is applied. */
export const DEFAULT_CONFIG: ServerConfig = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  databaseUrl: undefined,
  secureCookies: false,
  trustProxy: false,
  sessionIdleMs: 30 * 60_000,
  loginMaxFailures: 5,
  loginWindowMs: 15 * 60_000,
  uploadTtlMs: 24 * 3_600_000,
  maxBatchBytes: 64 * 1024 * 1024,
  demo: true,
  logLevel: 'info',
  webDir: DEFAULT_WEB_DIR,
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new RangeError(`${name} must be 1/0 (or true/false), got ${JSON.stringify(raw)}`);
}

/**
 * Reads the configuration from environment variables, failing loudly on a malformed value rather
 * than starting with a surprise.
 *
 * @example
 * const config = loadConfig(process.env); // { port: 8080, host: '127.0.0.1', dataDir: '/abs/data', … }
 */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  return {
    port: integer(env, 'PORT', DEFAULT_CONFIG.port, 0, 65535),
    host: env.HOST || DEFAULT_CONFIG.host,
    dataDir: resolve(env.COURIER_DATA_DIR || DEFAULT_CONFIG.dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    secureCookies: flag(env, 'COURIER_SECURE_COOKIES', DEFAULT_CONFIG.secureCookies),
    trustProxy: flag(env, 'COURIER_TRUST_PROXY', DEFAULT_CONFIG.trustProxy),
    sessionIdleMs: integer(env, 'COURIER_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60) * 60_000,
    loginMaxFailures: integer(env, 'COURIER_LOGIN_MAX_FAILURES', DEFAULT_CONFIG.loginMaxFailures, 1, 1000),
    loginWindowMs: integer(env, 'COURIER_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60) * 60_000,
    uploadTtlMs: integer(env, 'COURIER_UPLOAD_TTL_HOURS', 24, 1, 24 * 30) * 3_600_000,
    maxBatchBytes: integer(env, 'COURIER_MAX_BATCH_MB', 64, 1, 4096) * 1024 * 1024,
    demo: flag(env, 'COURIER_DEMO', DEFAULT_CONFIG.demo),
    logLevel: env.LOG_LEVEL || DEFAULT_CONFIG.logLevel,
    webDir: resolve(env.COURIER_WEB_DIR || DEFAULT_CONFIG.webDir),
  };
}
