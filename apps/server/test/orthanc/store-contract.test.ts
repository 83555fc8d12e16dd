import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { wadoChecksums } from '../../src/storage/dicomweb/checksum-provider.js';
import { dicomwebStoreFromConfig } from '../../src/storage/dicomweb/dicomweb-config.js';
import { dicomwebStore } from '../../src/storage/dicomweb/dicomweb-store.js';
import type { PacsHttp } from '../../src/storage/dicomweb/pacs-http.js';
import { describeDicomStore } from '../../src/storage/dicomweb/store-contract.js';
import { fileSystemStore } from '../../src/storage/file-system/file-system-store.js';
import { type OrthancProcess, orthancMissing, startOrthanc } from './orthanc-harness.js';

// One suite, every backend (kysely's habit): the file-system store as the baseline, then the
// DICOMweb store on a real Orthanc with each checksum provider.
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
describeDicomStore('file-system', () => {
  const root = mkdtempSync(join(tmpdir(), 'courier-store-'));
  roots.push(root);
  return fileSystemStore(root);
});

describe.skipIf(orthancMissing() !== null)('Orthanc', () => {
  let orthanc: OrthancProcess;
  let http: PacsHttp;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    http = { fetch, headers: { authorization: orthanc.authorization } };
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  describeDicomStore('DICOMweb on Orthanc, Orthanc REST checksums (built from configuration)', () =>
    dicomwebStoreFromConfig({
      url: orthanc.dicomweb,
      user: orthanc.user,
      password: orthanc.password,
      orthancUrl: orthanc.url,
    }),
  );
  describeDicomStore('DICOMweb on Orthanc, generic WADO-RS checksums', () =>
    dicomwebStore({ baseUrl: orthanc.dicomweb, http, checksums: wadoChecksums(http, orthanc.dicomweb) }),
  );
});
