// The environment-neutral surface of @courier/uploader. Node file access is under "@courier/uploader/node".

/** @deprecated moved to `@courier/deid`; re-exported until every importer has switched. */
export { deidConfigOfSlot } from '@courier/deid';
// Upload engine (issue 7).
export { type Batch, type BatchLimits, DEFAULT_BATCH_LIMITS, effectiveLimits, planBatches } from './batch-plan.js';
export { type BlobFileSource, blobFileSource } from './browser/file-source.js';
export { type MessageTarget, serveScanRequests, workerPoolScanFile } from './browser/scan-worker-pool.js';
export { type DeidentifiedSource, deidentifySource } from './deidentify-source.js';
export { UPLOADER_ERROR_CODES, UploaderError, type UploaderErrorCode } from './errors.js';
export { extractInstance, type InstanceIdentity, identityOf } from './extract-instance.js';
export { extractReferences } from './extract-references.js';
export type { FileSource } from './file-source.js';
export { IGNORED_REASONS, type IgnoredFile, type IgnoredReason, ignoredFile } from './ignored-reasons.js';
export type {
  InstanceRecord,
  PatientAttributes,
  RtAttributes,
  SeriesAttributes,
  StudyAttributes,
} from './instance-record.js';
export { createSha256, type IncrementalHash } from './part-hash.js';
export { type CallInput, type PortalAuth, PortalClient, type PortalClientOptions } from './portal-client.js';
export { plainRecord, RecordInterner } from './record-interner.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  httpStatusOf,
  isRetriable,
  type RetryPolicy,
  sleep,
  withRetry,
} from './retry.js';
export {
  buildRtGraph,
  type InstanceReference,
  isMissingNodeId,
  type MissingNode,
  type ReferenceKind,
  type RtEdge,
  type RtGraph,
  type RtInstanceInput,
  type RtSeriesInput,
  type WeakLink,
} from './rt-graph.js';
export { buildRtTree, type RtTreeLink, type RtTreeNode } from './rt-tree.js';
export {
  type Acknowledgement,
  acknowledgeWarning,
  type SanityAuditEntry,
  sanityAuditEntries,
  type UploadGate,
  uploadGate,
} from './sanity-acknowledgement.js';
export {
  type DeidConfigurationProblem,
  runSanityChecks,
  SANITY_CHECKS,
  type SanityCategory,
  type SanityCheckCode,
  type SanityCheckInput,
  type SanityCheckResult,
  type Severity,
  type SlotExpectations,
  type SubjectFacts,
} from './sanity-checks.js';
export {
  type PortableScanResult,
  portableScanResult,
  restoreScanResult,
  type ScanOptions,
  type ScanProgress,
  type ScanResult,
  scanFiles,
} from './scan.js';
export { DEFAULT_PREFIX_BYTES, type FileScanOutcome, type ScanFileLimits, scanFile } from './scan-file.js';
export { buildScanReport, formatScanReport, type ScanReport, type StudyReport } from './scan-report.js';
export {
  deselectSeries,
  emptySelection,
  impliedSeries,
  type MissingReference,
  missingFromSelection,
  requiredBy,
  type SelectionState,
  type SelectionStatus,
  selectAll,
  selectedSeries,
  selectionStatus,
  selectSeries,
} from './selection.js';
export { type RtDetails, type SeriesDetails, seriesDetails } from './series-details.js';
export { isSecondaryCaptureSopClass, modalityOfSopClass } from './sop-class-modality.js';
export {
  hashInstance,
  instanceChunks,
  READ_CHUNK_BYTES,
  type SentInstance,
  type StowInstance,
  stowBodyBlob,
  stowBodyStream,
  stowBoundary,
  stowContentType,
  stowOverhead,
} from './stow-body.js';
export { buildStudyTree, type SeriesNode, type StudyNode } from './study-tree.js';
export {
  runUpload,
  UPLOAD_STEPS,
  type UploadEngineOptions,
  type UploadErrorRow,
  type UploadEvent,
  type UploadItem,
  type UploadOutcome,
  type UploadStep,
} from './upload-engine.js';
export { UploadLog, type UploadLogEntry } from './upload-log.js';
export {
  type BatchInstanceResult,
  batchPath,
  type CommitAnswer,
  commitUploadSession,
  forEachReceiptPage,
  getCommitStatus,
  parseBatchResponse,
} from './upload-requests.js';
export { isZipPrefix, zipMemberSources } from './zip-source.js';
