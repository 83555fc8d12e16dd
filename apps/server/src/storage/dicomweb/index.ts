export { type ChecksumProvider, type Digests, type SizedHash, wadoChecksums } from './checksum-provider.js';
export { type DicomwebConfig, dicomwebStoreFromConfig } from './dicomweb-config.js';
export {
  type BatchItem,
  type BatchResult,
  type DicomwebStore,
  type DicomwebStoreOptions,
  dicomwebStore,
} from './dicomweb-store.js';
export { ORTHANC_SHA256_METADATA, orthancChecksums } from './orthanc-checksum.js';
export { PACS_ERROR_CODES, PacsError, type PacsErrorCode } from './pacs-error.js';
export { basicAuth, type PacsHttp } from './pacs-http.js';
