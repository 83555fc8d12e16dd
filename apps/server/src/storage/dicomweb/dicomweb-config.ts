import { wadoChecksums } from './checksum-provider.js';
import { type DicomwebStore, dicomwebStore } from './dicomweb-store.js';
import { orthancChecksums } from './orthanc-checksum.js';
import { basicAuth, type PacsHttp } from './pacs-http.js';

/** What a deployment configures for a DICOMweb PACS (see {@link dicomwebStoreFromConfig}). */
export interface DicomwebConfig {
  /** The DICOMweb root, e.g. `https://pacs.example.org/dicom-web`. */
  url: string;
  /** HTTP Basic credentials (Orthanc RegisteredUsers), or a bearer token; neither for an open PACS. */
  user?: string;
  password?: string;
  bearerToken?: string;
  /** Orthanc's REST root, when the PACS is Orthanc: enables the cheap MD5/metadata checksums. */
  orthancUrl?: string;
  /** Requests in flight for checks and listings (default 4). */
  concurrency?: number;
  /** putMany: instances per STOW-RS request (default 25) and STOW-RS requests in flight (default 2). */
  batchInstances?: number;
  stowConcurrency?: number;
}

/**
 * Builds the DICOMweb store from deployment settings: the authentication header, and Orthanc's
 * REST checksums when `orthancUrl` is given, else the generic WADO-RS checksums.
 *
 * @example
 * const store = dicomwebStoreFromConfig({ url: 'http://127.0.0.1:8042/dicom-web', user: 'courier',
 *   password: process.env.COURIER_PACS_PASSWORD, orthancUrl: 'http://127.0.0.1:8042' });
 */
export function dicomwebStoreFromConfig(config: DicomwebConfig, fetchImpl: typeof fetch = fetch): DicomwebStore {
  const headers: Record<string, string> = {};
  if (config.bearerToken !== undefined) headers.authorization = `Bearer ${config.bearerToken}`;
  else if (config.user !== undefined) headers.authorization = basicAuth(config.user, config.password ?? '');
  const http: PacsHttp = { fetch: fetchImpl, headers };
  const checksums =
    config.orthancUrl === undefined ? wadoChecksums(http, config.url) : orthancChecksums(http, config.orthancUrl);
  return dicomwebStore({
    baseUrl: config.url,
    http,
    checksums,
    ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
    ...(config.batchInstances === undefined ? {} : { batchInstances: config.batchInstances }),
    ...(config.stowConcurrency === undefined ? {} : { stowConcurrency: config.stowConcurrency }),
  });
}
