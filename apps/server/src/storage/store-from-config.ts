import { join } from 'node:path';
import type { ServerConfig } from '../config.js';
import type { DicomStore } from './dicom-store.js';
import { dicomwebStoreFromConfig } from './dicomweb/dicomweb-config.js';
import { fileSystemStore } from './file-system/file-system-store.js';

/**
 * The DICOM store a deployment configured: the file-system store under `<dataDir>/dicom`
 * (COURIER_STORE=file-system, the default), or the DICOMweb store of a PACS (COURIER_STORE=dicomweb
 * with COURIER_PACS_URL, credentials, COURIER_PACS_KIND=orthanc for Orthanc's REST checksums or
 * generic for WADO-RS ones, COURIER_PACS_BATCH instances per STOW-RS request and
 * COURIER_PACS_CONCURRENCY requests in flight at commit).
 *
 * @example
 * const store = storeFromConfig(loadConfig(process.env));
 */
export function storeFromConfig(
  config: Pick<ServerConfig, 'dataDir' | 'store'>,
  fetchImpl: typeof fetch = fetch,
): DicomStore {
  const store = config.store;
  if (store.kind === 'file-system') return fileSystemStore(join(config.dataDir, 'dicom'));
  return dicomwebStoreFromConfig(
    {
      url: store.url,
      ...(store.username === undefined ? {} : { user: store.username, password: store.password ?? '' }),
      ...(store.orthancUrl === undefined ? {} : { orthancUrl: store.orthancUrl }),
      batchInstances: store.batchInstances,
      stowConcurrency: store.concurrency,
    },
    fetchImpl,
  );
}
