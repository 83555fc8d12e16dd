import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment, listening on loopback only', () => {
    const config = loadConfig({});
    expect(config).toEqual({ ...DEFAULT_CONFIG, dataDir: resolve('./data') });
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      COURIER_DATA_DIR: '/srv/courier',
      DATABASE_URL: 'postgres://u@localhost/db',
      COURIER_SECURE_COOKIES: '1',
      COURIER_TRUST_PROXY: 'true',
      COURIER_SESSION_IDLE_MINUTES: '5',
      COURIER_LOGIN_MAX_FAILURES: '3',
      COURIER_LOGIN_WINDOW_MINUTES: '2',
      COURIER_UPLOAD_TTL_HOURS: '2',
      COURIER_MAX_BATCH_MB: '8',
      COURIER_DEMO: '0',
      LOG_LEVEL: 'warn',
      COURIER_WEB_DIR: '/srv/courier-web',
    });
    expect(config).toEqual({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/srv/courier',
      databaseUrl: 'postgres://u@localhost/db',
      secureCookies: true,
      trustProxy: true,
      sessionIdleMs: 300_000,
      loginMaxFailures: 3,
      loginWindowMs: 120_000,
      uploadTtlMs: 7_200_000,
      maxBatchBytes: 8 * 1024 * 1024,
      demo: false,
      logLevel: 'warn',
      webDir: '/srv/courier-web',
    });
  });

  it('refuses a malformed number or flag instead of guessing', () => {
    expect(() => loadConfig({ PORT: '80a' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ COURIER_DEMO: 'maybe' })).toThrow(/COURIER_DEMO/);
  });
});
