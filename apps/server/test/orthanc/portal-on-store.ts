import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../src/config.js';
import type { DicomStore } from '../../src/storage/dicom-store.js';
import { type RunningPortal, testClock } from '../portal-harness.js';
import { createTestDatabase } from '../test-database.js';

/**
 * Like `startPortal` of the server harness, with the DICOM store chosen by the test: a store
 * wrapper that loses or alters bytes, or — `undefined` — the store `buildApp` makes from the
 * configuration (`overrides.store`, e.g. the DICOMweb store of a throw-away Orthanc).
 *
 * @example
 * const portal = await startPortalOn(undefined, { store: { kind: 'dicomweb', url: orthanc.dicomweb, … } });
 */
export async function startPortalOn(
  store: DicomStore | undefined,
  overrides: Partial<ServerConfig> = {},
): Promise<RunningPortal> {
  const database = await createTestDatabase();
  const clock = testClock();
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    demo: false,
    uploadTtlMs: 60 * 60_000,
    ...overrides,
  };
  const portal = await buildApp(config, { backend: database.open(), clock, ...(store === undefined ? {} : { store }) });
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = portal.app.server.address() as AddressInfo;
  return {
    ...portal,
    baseUrl: `http://127.0.0.1:${port}`,
    clock,
    database,
    async stop() {
      await portal.app.close();
      await database.cleanup();
    },
  };
}
