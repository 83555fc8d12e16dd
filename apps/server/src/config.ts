import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where committed studies go: the embedded file-system store under `<dataDir>/dicom`, or a PACS over
 * DICOMweb (STOW-RS / QIDO-RS / WADO-RS, PS3.18 10.5, 10.6, 10.4).
 */
export type StoreConfig =
  | { kind: 'file-system' }
  | {
      kind: 'dicomweb';
      /** The DICOMweb root, e.g. `https://pacs.example.org/dicom-web`. Env COURIER_PACS_URL. */
      url: string;
      /** HTTP Basic credentials (Orthanc RegisteredUsers). Env COURIER_PACS_USERNAME / COURIER_PACS_PASSWORD. */
      username: string | undefined;
      password: string | undefined;
      /**
       * How stored bytes are proven: `orthanc` (its REST API's MD5 and size of the stored file, the
       * SHA-256 kept as user metadata) or `generic` (WADO-RS retrieve and hash). Env COURIER_PACS_KIND.
       */
      pacsKind: 'orthanc' | 'generic';
      /** Orthanc's REST root. Env COURIER_PACS_ORTHANC_URL, default the DICOMweb URL without `/dicom-web`. */
      orthancUrl: string | undefined;
      /** Instances per STOW-RS request at commit. Env COURIER_PACS_BATCH, default 25. */
      batchInstances: number;
      /** STOW-RS requests in flight per commit. Env COURIER_PACS_CONCURRENCY, default 2. */
      concurrency: number;
    };

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
  /**
   * A session ends this long after its login however active it is (then 401 SESSION_EXPIRED with
   * reason `max-age`). Env COURIER_SESSION_MAX_HOURS, default 12.
   */
  sessionMaxMs: number;
  /** Failed logins allowed per user name, and per address ×4, within the window. Env COURIER_LOGIN_MAX_FAILURES, default 5. */
  loginMaxFailures: number;
  /** The rate-limit window. Env COURIER_LOGIN_WINDOW_MINUTES, default 15. */
  loginWindowMs: number;
  /** An upload session unused for this long expires. Env COURIER_UPLOAD_TTL_HOURS, default 24. */
  uploadTtlMs: number;
  /** Largest batch body the server accepts, advertised to the Uploader. Env COURIER_MAX_BATCH_MB, default 64. */
  maxBatchBytes: number;
  /**
   * Where upload sessions stage their instances until commit, one folder per session. Every Portal
   * instance of a deployment must see the same folder (shared storage). Env COURIER_STAGING_DIR;
   * undefined = `<dataDir>/staging` (see `stagingRoot`).
   */
  stagingDir: string | undefined;
  /** The DICOM store (env COURIER_STORE=file-system|dicomweb, default file-system, and COURIER_PACS_*). */
  store: StoreConfig;
  /** Seed the demo study when the database has no users. Env COURIER_DEMO=0 turns it off; default on. */
  demo: boolean;
  /** pino log level, or 'silent'. Env LOG_LEVEL, default info. */
  logLevel: string;
  /**
   * The built web app served at `/` (skipped when it has no index.html). Env COURIER_WEB_DIR,
   * default the repository's apps/web/dist.
   */
  webDir: string;
  /**
   * SMTP server of the mail notifications, e.g. `smtp://user:pass@mail.example.org:587` or
   * `smtps://…:465` (nodemailer URL syntax). Env COURIER_SMTP_URL; unset = mails stay queued in the
   * outbox (visible to admins) until it is set.
   */
  smtpUrl: string | undefined;
  /** Sender of the notifications. Env COURIER_MAIL_FROM, default `Courier <courier@localhost>`. */
  mailFrom: string;
  /** How the Portal is reached by its users, for links in mails. Env COURIER_PUBLIC_URL, default http://HOST:PORT. */
  publicUrl: string;
  /** How often the mail sender looks for due mails. Env COURIER_MAIL_INTERVAL_SECONDS, default 30. */
  mailIntervalMs: number;
  /**
   * How long a Portal instance holds a claimed upload commit before another may take it over (it
   * renews the lease every third of this while it works). Env COURIER_COMMIT_LEASE_SECONDS, default 60.
   */
  commitLeaseMs: number;
  /** How often each Portal instance looks for queued or abandoned commits. Env COURIER_COMMIT_INTERVAL_SECONDS, default 5. */
  commitIntervalMs: number;
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
  sessionMaxMs: 12 * 3_600_000,
  loginMaxFailures: 5,
  loginWindowMs: 15 * 60_000,
  uploadTtlMs: 24 * 3_600_000,
  maxBatchBytes: 64 * 1024 * 1024,
  stagingDir: undefined,
  store: { kind: 'file-system' },
  demo: true,
  logLevel: 'info',
  webDir: DEFAULT_WEB_DIR,
  smtpUrl: undefined,
  mailFrom: 'Courier <courier@localhost>',
  publicUrl: 'http://127.0.0.1:8080',
  mailIntervalMs: 30_000,
  commitLeaseMs: 60_000,
  commitIntervalMs: 5_000,
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

function storeConfig(env: NodeJS.ProcessEnv): StoreConfig {
  const kind = env.COURIER_STORE || 'file-system';
  if (kind === 'file-system') return { kind };
  if (kind !== 'dicomweb')
    throw new RangeError(`COURIER_STORE must be file-system or dicomweb, got ${JSON.stringify(kind)}`);
  const url = env.COURIER_PACS_URL;
  if (!url || !/^https?:\/\//.test(url)) {
    throw new RangeError('COURIER_STORE=dicomweb needs COURIER_PACS_URL, the http(s) DICOMweb root of the PACS');
  }
  const pacsKind = env.COURIER_PACS_KIND || 'generic';
  if (pacsKind !== 'orthanc' && pacsKind !== 'generic') {
    throw new RangeError(`COURIER_PACS_KIND must be orthanc or generic, got ${JSON.stringify(pacsKind)}`);
  }
  const trimmed = url.replace(/\/+$/, '');
  return {
    kind,
    url: trimmed,
    username: env.COURIER_PACS_USERNAME || undefined,
    password: env.COURIER_PACS_PASSWORD || undefined,
    pacsKind,
    orthancUrl:
      pacsKind === 'orthanc'
        ? (env.COURIER_PACS_ORTHANC_URL || trimmed.replace(/\/dicom-web$/, '')).replace(/\/+$/, '')
        : undefined,
    batchInstances: integer(env, 'COURIER_PACS_BATCH', 25, 1, 1000),
    concurrency: integer(env, 'COURIER_PACS_CONCURRENCY', 2, 1, 32),
  };
}

/**
 * The folder holding every upload session's staging folder: COURIER_STAGING_DIR, or `<dataDir>/staging`.
 *
 * @example
 * stagingRoot({ dataDir: '/srv/courier', stagingDir: undefined }); // '/srv/courier/staging'
 */
export function stagingRoot(config: Pick<ServerConfig, 'dataDir' | 'stagingDir'>): string {
  return config.stagingDir ?? join(config.dataDir, 'staging');
}

/**
 * Reads the configuration from environment variables, failing loudly on a malformed value rather
 * than starting with a surprise.
 *
 * @example
 * const config = loadConfig(process.env); // { port: 8080, host: '127.0.0.1', dataDir: '/abs/data', … }
 */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = integer(env, 'PORT', DEFAULT_CONFIG.port, 0, 65535);
  const host = env.HOST || DEFAULT_CONFIG.host;
  return {
    port,
    host,
    dataDir: resolve(env.COURIER_DATA_DIR || DEFAULT_CONFIG.dataDir),
    databaseUrl: env.DATABASE_URL || undefined,
    secureCookies: flag(env, 'COURIER_SECURE_COOKIES', DEFAULT_CONFIG.secureCookies),
    trustProxy: flag(env, 'COURIER_TRUST_PROXY', DEFAULT_CONFIG.trustProxy),
    sessionIdleMs: integer(env, 'COURIER_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60) * 60_000,
    sessionMaxMs: integer(env, 'COURIER_SESSION_MAX_HOURS', 12, 1, 24 * 30) * 3_600_000,
    loginMaxFailures: integer(env, 'COURIER_LOGIN_MAX_FAILURES', DEFAULT_CONFIG.loginMaxFailures, 1, 1000),
    loginWindowMs: integer(env, 'COURIER_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60) * 60_000,
    uploadTtlMs: integer(env, 'COURIER_UPLOAD_TTL_HOURS', 24, 1, 24 * 30) * 3_600_000,
    maxBatchBytes: integer(env, 'COURIER_MAX_BATCH_MB', 64, 1, 4096) * 1024 * 1024,
    stagingDir: env.COURIER_STAGING_DIR ? resolve(env.COURIER_STAGING_DIR) : undefined,
    store: storeConfig(env),
    demo: flag(env, 'COURIER_DEMO', DEFAULT_CONFIG.demo),
    logLevel: env.LOG_LEVEL || DEFAULT_CONFIG.logLevel,
    webDir: resolve(env.COURIER_WEB_DIR || DEFAULT_CONFIG.webDir),
    smtpUrl: env.COURIER_SMTP_URL || undefined,
    mailFrom: env.COURIER_MAIL_FROM || DEFAULT_CONFIG.mailFrom,
    publicUrl: (env.COURIER_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
      /\/+$/,
      '',
    ),
    mailIntervalMs: integer(env, 'COURIER_MAIL_INTERVAL_SECONDS', 30, 1, 3600) * 1000,
    commitLeaseMs: integer(env, 'COURIER_COMMIT_LEASE_SECONDS', 60, 5, 3600) * 1000,
    commitIntervalMs: integer(env, 'COURIER_COMMIT_INTERVAL_SECONDS', 5, 1, 600) * 1000,
  };
}
