import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, stagingRoot } from './config.js';

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
      COURIER_SESSION_MAX_HOURS: '3',
      COURIER_STAGING_DIR: '/mnt/shared/staging',
      COURIER_STORE: 'dicomweb',
      COURIER_PACS_URL: 'https://pacs.example.org/dicom-web/',
      COURIER_PACS_USERNAME: 'courier',
      COURIER_PACS_PASSWORD: 'secret',
      COURIER_PACS_KIND: 'orthanc',
      COURIER_PACS_BATCH: '10',
      COURIER_PACS_CONCURRENCY: '3',
      COURIER_DEMO: '0',
      LOG_LEVEL: 'warn',
      COURIER_WEB_DIR: '/srv/courier-web',
      COURIER_SMTP_URL: 'smtp://mail.example.org:587',
      COURIER_MAIL_FROM: 'Trial imaging <imaging@example.org>',
      COURIER_PUBLIC_URL: 'https://courier.example.org/',
      COURIER_MAIL_INTERVAL_SECONDS: '5',
      COURIER_COMMIT_LEASE_SECONDS: '120',
      COURIER_COMMIT_INTERVAL_SECONDS: '2',
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
      sessionMaxMs: 3 * 3_600_000,
      stagingDir: '/mnt/shared/staging',
      store: {
        kind: 'dicomweb',
        url: 'https://pacs.example.org/dicom-web',
        username: 'courier',
        password: 'secret',
        pacsKind: 'orthanc',
        orthancUrl: 'https://pacs.example.org',
        batchInstances: 10,
        concurrency: 3,
      },
      demo: false,
      logLevel: 'warn',
      webDir: '/srv/courier-web',
      smtpUrl: 'smtp://mail.example.org:587',
      mailFrom: 'Trial imaging <imaging@example.org>',
      publicUrl: 'https://courier.example.org',
      mailIntervalMs: 5000,
      commitLeaseMs: 120_000,
      commitIntervalMs: 2000,
    });
  });

  it('refuses a malformed number or flag instead of guessing', () => {
    expect(() => loadConfig({ PORT: '80a' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ COURIER_DEMO: 'maybe' })).toThrow(/COURIER_DEMO/);
    expect(() => loadConfig({ COURIER_STORE: 'pacs' })).toThrow(/COURIER_STORE/);
    expect(() => loadConfig({ COURIER_STORE: 'dicomweb' })).toThrow(/COURIER_PACS_URL/);
    expect(() =>
      loadConfig({ COURIER_STORE: 'dicomweb', COURIER_PACS_URL: 'http://p/dicom-web', COURIER_PACS_KIND: 'dcm4chee' }),
    ).toThrow(/COURIER_PACS_KIND/);
  });

  it('stages under the data folder unless COURIER_STAGING_DIR names shared storage', () => {
    expect(stagingRoot(loadConfig({ COURIER_DATA_DIR: '/srv/courier' }))).toBe('/srv/courier/staging');
    expect(stagingRoot(loadConfig({ COURIER_STAGING_DIR: '/mnt/nfs/staging' }))).toBe('/mnt/nfs/staging');
  });

  it('asks a generic DICOMweb PACS for WADO-RS checksums and derives no Orthanc REST root', () => {
    const config = loadConfig({
      COURIER_STORE: 'dicomweb',
      COURIER_PACS_URL: 'http://pacs:8080/dcm4chee-arc/aets/DCM4CHEE/rs',
    });
    expect(config.store).toMatchObject({
      pacsKind: 'generic',
      orthancUrl: undefined,
      username: undefined,
      batchInstances: 25,
    });
  });
});
