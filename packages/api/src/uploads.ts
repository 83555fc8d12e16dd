import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, type Page, pageOf } from './common.js';
import type { Endpoint } from './endpoint.js';
import { API_ERROR_CODE_LIST, type ApiErrorCode } from './errors.js';
import { type SlotValue, SlotValueSchema } from './events.js';
import { DATE_HANDLINGS, type DateHandling, type DeidConfig, DeidConfigSchema } from './studies.js';
import { SEXES, type Sex } from './subjects.js';

/**
 * A DICOM UID (PS3.5 9.1): numeric components separated by dots, no leading zeros, at most 64
 * characters.
 */
export const Uid: z.ZodType<string> = z
  .string()
  .max(64)
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/, 'not a DICOM UID (PS3.5 9.1)');

/**
 * Values for the Clinical Trial Subject, Study and Series modules (PS3.3 C.7.1.3, C.7.2.3,
 * C.7.3.2), keyed by attribute keyword, which the Uploader writes into every instance.
 */
export interface ClinicalTrialAttributes {
  ClinicalTrialSponsorName: string;
  ClinicalTrialProtocolID: string;
  ClinicalTrialProtocolName: string;
  ClinicalTrialSiteID: string;
  ClinicalTrialSiteName: string;
  ClinicalTrialSubjectID: string;
  ClinicalTrialTimePointID: string;
  ClinicalTrialTimePointDescription: string;
}
/** Schema of {@link ClinicalTrialAttributes}. */
export const ClinicalTrialAttributesSchema: z.ZodType<ClinicalTrialAttributes> = z.object({
  ClinicalTrialSponsorName: z.string(),
  ClinicalTrialProtocolID: z.string(),
  ClinicalTrialProtocolName: z.string(),
  ClinicalTrialSiteID: z.string(),
  ClinicalTrialSiteName: z.string(),
  ClinicalTrialSubjectID: z.string(),
  ClinicalTrialTimePointID: z.string(),
  ClinicalTrialTimePointDescription: z.string(),
});

/** Everything the Uploader needs to de-identify and address files for one slot. */
export interface SlotParameters {
  studyId: string;
  studyIdentifier: string;
  siteId: string;
  subjectId: string;
  subjectLabel: string;
  /** Written as Patient ID and Patient Name; the server refuses instances with anything else. */
  pseudonym: string;
  sex: Sex;
  birthDate: string | null;
  birthYear: number;
  eventId: string;
  eventName: string;
  eventOccurrence: number;
  slotDefinitionId: string;
  slotLabel: string;
  expectedModalities: string[];
  deid: DeidConfig;
  dateHandling: DateHandling;
  /** Days to add to every date when `dateHandling` is `shift`; null otherwise. */
  dateOffsetDays: number | null;
  /** Key of the deterministic UID remapping; never written into a file or a log. */
  uidSecret: string;
  clinicalTrial: ClinicalTrialAttributes;
  /** What the slot holds now: committing over it needs `overwrite: true`. */
  currentValue: SlotValue | null;
  /** Batch limits the server accepts (bytes and instances per request). */
  limits: { maxBatchBytes: number; maxBatchInstances: number; maxManifestInstances: number };
}
/** Schema of {@link SlotParameters}. */
export const SlotParametersSchema: z.ZodType<SlotParameters> = z.object({
  studyId: Id,
  studyIdentifier: z.string(),
  siteId: Id,
  subjectId: Id,
  subjectLabel: z.string(),
  pseudonym: z.string(),
  sex: z.enum(SEXES),
  birthDate: IsoDate.nullable(),
  birthYear: z.number().int(),
  eventId: Id,
  eventName: z.string(),
  eventOccurrence: z.number().int(),
  slotDefinitionId: Id,
  slotLabel: z.string(),
  expectedModalities: z.array(z.string()),
  deid: DeidConfigSchema,
  dateHandling: z.enum(DATE_HANDLINGS),
  dateOffsetDays: z.number().int().nullable(),
  uidSecret: z.string(),
  clinicalTrial: ClinicalTrialAttributesSchema,
  currentValue: SlotValueSchema.nullable(),
  limits: z.object({
    maxBatchBytes: z.number().int(),
    maxBatchInstances: z.number().int(),
    maxManifestInstances: z.number().int(),
  }),
});

/** One instance the client announces it will send (after de-identification). */
export interface ManifestInstance {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesInstanceUid: string;
  modality?: string | undefined;
  /** Size in bytes of the de-identified Part 10 file. */
  size: number;
  /** SHA-256 (hex) of the de-identified file, when the client computed it. */
  sha256?: string | undefined;
}
/** Schema of {@link ManifestInstance}. */
export const ManifestInstanceSchema: z.ZodType<ManifestInstance> = z.object({
  sopInstanceUid: Uid,
  sopClassUid: Uid,
  seriesInstanceUid: Uid,
  modality: z
    .string()
    .regex(/^[A-Z0-9_ ]{1,16}$/)
    .optional(),
  size: z
    .number()
    .int()
    .min(132)
    .max(2 ** 42),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** Body of `PUT /api/uploads/:uploadId/manifest`: the de-identified study and its instances. */
export interface Manifest {
  studyInstanceUid: string;
  instances: ManifestInstance[];
}
/** Schema of {@link Manifest}: SOP Instance UIDs must be unique. */
export const ManifestSchema: z.ZodType<Manifest> = z
  .object({
    studyInstanceUid: Uid,
    instances: z.array(ManifestInstanceSchema).min(1).max(100_000),
  })
  .refine((m) => new Set(m.instances.map((i) => i.sopInstanceUid)).size === m.instances.length, {
    message: 'SOP Instance UIDs must be unique',
    path: ['instances'],
  });

/** Where one manifest instance stands. */
export interface UploadInstanceStatus {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  size: number;
  state: 'pending' | 'stored' | 'rejected';
  /** Why it was rejected (an error or warning code), else null. */
  reason: string | null;
  /** SHA-256 of the stored bytes, once stored. */
  storedSha256: string | null;
}
/** Schema of {@link UploadInstanceStatus}. */
export const UploadInstanceStatusSchema: z.ZodType<UploadInstanceStatus> = z.object({
  sopInstanceUid: Uid,
  seriesInstanceUid: Uid,
  size: z.number().int(),
  state: z.enum(['pending', 'stored', 'rejected']),
  reason: z.string().nullable(),
  storedSha256: z.string().nullable(),
});

/**
 * Where an asynchronous commit stands. `queued` until a Portal instance claims it; `storing` while
 * the staged instances go into the DICOM store (`stored` of `total` proven by size and SHA-256);
 * `verifying` while the study's listing in the store is checked; `assigning` during the one
 * transaction that assigns the slot; `done` once the slot holds the study; `failed` when the
 * commit was refused or the store did not prove the study (the slot and staging are unchanged and
 * the session may be committed again).
 */
export const COMMIT_STATES = ['queued', 'storing', 'verifying', 'assigning', 'done', 'failed'] as const;
/** One of {@link COMMIT_STATES}. */
export type CommitStateName = (typeof COMMIT_STATES)[number];

/** Why a commit failed: the same error codes the synchronous commit answered (e.g. STORE_VERIFY_FAILED). */
export interface CommitError {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

/**
 * The commit job of an upload session (`commit` of {@link UploadSession}).
 *
 * @example
 * const c: CommitState = { state: 'storing', overwrite: false, stored: 500, total: 2000, attempts: 1, requestedAt, updatedAt, finishedAt: null, error: null };
 */
export interface CommitState {
  state: CommitStateName;
  overwrite: boolean;
  /** Instances put into the DICOM store and proven there (size and SHA-256) so far. */
  stored: number;
  /** Instances of the manifest. */
  total: number;
  /** How often a Portal instance claimed the job since it was requested (more than 1 after a takeover). */
  attempts: number;
  requestedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Set when `state` is `failed`. */
  error: CommitError | null;
}
/** Schema of {@link CommitState}. */
export const CommitStateSchema: z.ZodType<CommitState> = z.object({
  state: z.enum(COMMIT_STATES),
  overwrite: z.boolean(),
  stored: z.number().int(),
  total: z.number().int(),
  attempts: z.number().int(),
  requestedAt: IsoDateTime,
  updatedAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
  error: z
    .object({
      code: z.enum(API_ERROR_CODE_LIST as [ApiErrorCode, ...ApiErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    })
    .nullable(),
});

/** An upload session: the slot's parameters, the manifest and what is stored so far. */
export interface UploadSession {
  id: string;
  status: 'open' | 'committed' | 'failed' | 'expired';
  createdAt: string;
  createdBy: string;
  /** The session expires (and its staging is cleaned) when unused until then. */
  expiresAt: string;
  slot: SlotParameters;
  /** Null until the client registers its manifest. */
  manifest: { studyInstanceUid: string; instanceCount: number; totalBytes: number } | null;
  counts: { pending: number; stored: number; rejected: number };
  /** The commit job, once a commit was requested; null before. */
  commit: CommitState | null;
  instances: UploadInstanceStatus[];
}
/** Schema of {@link UploadSession}. */
export const UploadSessionSchema: z.ZodType<UploadSession> = z.object({
  id: Id,
  status: z.enum(['open', 'committed', 'failed', 'expired']),
  createdAt: IsoDateTime,
  createdBy: z.string(),
  expiresAt: IsoDateTime,
  slot: SlotParametersSchema,
  manifest: z
    .object({ studyInstanceUid: Uid, instanceCount: z.number().int(), totalBytes: z.number().int() })
    .nullable(),
  counts: z.object({ pending: z.number().int(), stored: z.number().int(), rejected: z.number().int() }),
  commit: CommitStateSchema.nullable(),
  instances: z.array(UploadInstanceStatusSchema),
});

/** Body of `POST /api/uploads`: the slot of a subject's scheduled event. */
export interface CreateUploadRequest {
  studyId: string;
  subjectId: string;
  eventId: string;
  slotDefinitionId: string;
}
/** Schema of {@link CreateUploadRequest}. */
export const CreateUploadRequestSchema: z.ZodType<CreateUploadRequest> = z.object({
  studyId: Id,
  subjectId: Id,
  eventId: Id,
  slotDefinitionId: Id,
});

/** Path parameters naming an upload session. */
export interface UploadParams {
  uploadId: string;
}
const UploadParamsSchema: z.ZodType<UploadParams> = z.object({ uploadId: Id });

/** Open an upload session for a slot. */
export const createUpload: Endpoint<unknown, unknown, CreateUploadRequest, UploadSession> = {
  id: 'createUpload',
  method: 'POST',
  path: '/api/uploads',
  tag: 'uploads',
  summary: 'Open an upload session for a slot; returns the slot parameters the Uploader needs',
  permission: 'study admins, study managers, and site uploaders of the subject’s site; the study must be active',
  authenticated: true,
  body: CreateUploadRequestSchema,
  response: UploadSessionSchema,
  status: 201,
};

/** Register the manifest of an upload session. */
export const putUploadManifest: Endpoint<UploadParams, unknown, Manifest, UploadSession> = {
  id: 'putUploadManifest',
  method: 'PUT',
  path: '/api/uploads/:uploadId/manifest',
  tag: 'uploads',
  summary: 'Register the instances the client will send; the same manifest again is a no-op',
  permission: 'the user who opened the session',
  authenticated: true,
  params: UploadParamsSchema,
  body: ManifestSchema,
  response: UploadSessionSchema,
  status: 200,
};

/** The state of an upload session, to resume after a failure, a reload or a re-login. */
export const getUpload: Endpoint<UploadParams, unknown, unknown, UploadSession> = {
  id: 'getUpload',
  method: 'GET',
  path: '/api/uploads/:uploadId',
  tag: 'uploads',
  summary: 'The session with its slot parameters and which manifest instances are stored',
  permission: 'the user who opened the session, and study admins',
  authenticated: true,
  params: UploadParamsSchema,
  response: UploadSessionSchema,
  status: 200,
};

/** An upload session in a list: without slot parameters and per-instance states. */
export interface UploadSummary {
  id: string;
  status: UploadSession['status'];
  createdAt: string;
  expiresAt: string;
  studyId: string;
  subjectId: string;
  eventId: string;
  slotDefinitionId: string;
  manifest: UploadSession['manifest'];
  counts: UploadSession['counts'];
}
/** Schema of {@link UploadSummary}. */
export const UploadSummarySchema: z.ZodType<UploadSummary> = z.object({
  id: Id,
  status: z.enum(['open', 'committed', 'failed', 'expired']),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  studyId: Id,
  subjectId: Id,
  eventId: Id,
  slotDefinitionId: Id,
  manifest: z
    .object({ studyInstanceUid: Uid, instanceCount: z.number().int(), totalBytes: z.number().int() })
    .nullable(),
  counts: z.object({ pending: z.number().int(), stored: z.number().int(), rejected: z.number().int() }),
});

/** Query of `GET /api/uploads`: filters, all optional. */
export interface UploadListQuery {
  studyId?: string | undefined;
  subjectId?: string | undefined;
  eventId?: string | undefined;
  slotDefinitionId?: string | undefined;
  status?: UploadSession['status'] | undefined;
}
/** Schema of {@link UploadListQuery}. */
export const UploadListQuerySchema: z.ZodType<UploadListQuery> = z.object({
  studyId: Id.optional(),
  subjectId: Id.optional(),
  eventId: Id.optional(),
  slotDefinitionId: Id.optional(),
  status: z.enum(['open', 'committed', 'failed', 'expired']).optional(),
});

/** The caller's upload sessions, newest first: how an Uploader reloaded without the id finds its session. */
export const listUploads: Endpoint<unknown, UploadListQuery, unknown, UploadSummary[]> = {
  id: 'listUploads',
  method: 'GET',
  path: '/api/uploads',
  tag: 'uploads',
  summary: 'Your upload sessions, newest first (at most 100), filtered by slot and status — to resume after a reload',
  permission: 'any authenticated user (own sessions only)',
  authenticated: true,
  query: UploadListQuerySchema,
  response: z.array(UploadSummarySchema),
  status: 200,
};

/**
 * Why the Portal refused one instance of a batch (the `reason` of a rejected instance).
 * - `NOT_DICOM`: the part is not a readable DICOM Part 10 file (PS3.10 7.1).
 * - `NOT_IN_MANIFEST`: its SOP Instance UID is not in the session's manifest.
 * - `MANIFEST_MISMATCH`: SOP Class, Series Instance UID, size or SHA-256 differ from the manifest.
 * - `STUDY_MISMATCH`: its Study Instance UID is not the manifest's (one study per session).
 * - `NOT_PSEUDONYMISED`: Patient ID or Patient Name is not the slot's pseudonym.
 * - `IDENTITY_NOT_REMOVED`: Patient Identity Removed (0012,0062) is not YES (PS3.15 E.1.1).
 * - `RESIDUAL_IDENTITY`: an attribute the study's profile removes or replaces is still there.
 * - `BATCH_LIMIT`: the part exceeds the advertised number of instances per batch.
 */
export const INSTANCE_REJECTIONS = [
  'NOT_DICOM',
  'NOT_IN_MANIFEST',
  'MANIFEST_MISMATCH',
  'STUDY_MISMATCH',
  'NOT_PSEUDONYMISED',
  'IDENTITY_NOT_REMOVED',
  'RESIDUAL_IDENTITY',
  'BATCH_LIMIT',
] as const;
/** One of {@link INSTANCE_REJECTIONS}. */
export type InstanceRejection = (typeof INSTANCE_REJECTIONS)[number];

/** What the Portal did with one part of a batch. */
export interface BatchInstanceReceipt {
  /** From the file; empty when the part could not be read. */
  sopInstanceUid: string;
  state: 'stored' | 'rejected';
  /** A code of {@link INSTANCE_REJECTIONS} when rejected, else null. */
  reason: InstanceRejection | null;
  /** Human detail of the rejection (which attribute), else null. Never holds a value read from the file. */
  detail: string | null;
  /** Bytes received for this part. */
  size: number;
  /** SHA-256 (hex) of the bytes received; null when the part was not read whole. */
  sha256: string | null;
  /** True when the same bytes were already stored (the batch was sent again). */
  alreadyStored: boolean;
}
/** Schema of {@link BatchInstanceReceipt}. */
export const BatchInstanceReceiptSchema: z.ZodType<BatchInstanceReceipt> = z.object({
  sopInstanceUid: z.string(),
  state: z.enum(['stored', 'rejected']),
  reason: z.enum(INSTANCE_REJECTIONS).nullable(),
  detail: z.string().nullable(),
  size: z.number().int(),
  sha256: z.string().nullable(),
  alreadyStored: z.boolean(),
});

/** Response of a batch: one receipt per part, in body order. */
export interface BatchResponse {
  instances: BatchInstanceReceipt[];
}
/** Schema of {@link BatchResponse}. */
export const BatchResponseSchema: z.ZodType<BatchResponse> = z.object({
  instances: z.array(BatchInstanceReceiptSchema),
});

/**
 * Send instances of the manifest as a STOW-RS body (PS3.18 10.5): `Content-Type:
 * multipart/related; type="application/dicom"; boundary=…`, one Part 10 file per part. Not JSON,
 * so the descriptor has no `body`: clients send it with their own request (see
 * packages/uploader stow-body.ts). The whole body, boundaries included, may not exceed
 * `slot.limits.maxBatchBytes` (413 PAYLOAD_TOO_LARGE); a rejected instance does not fail the batch.
 *
 * @example
 * await fetch(baseUrl + endpointPath(storeUploadBatch, { uploadId }), { method: 'POST', headers: { 'content-type': stowContentType(b) }, body });
 */
export const storeUploadBatch: Endpoint<UploadParams, unknown, unknown, BatchResponse> = {
  id: 'storeUploadBatch',
  method: 'POST',
  path: '/api/uploads/:uploadId/instances',
  tag: 'uploads',
  summary:
    'Store instances (multipart/related; type="application/dicom", STOW-RS); each is re-checked, rejected ones listed with a reason; the same instance again is stored once',
  permission: 'the user who opened the session',
  authenticated: true,
  params: UploadParamsSchema,
  response: BatchResponseSchema,
  status: 200,
};

/** Body of `POST /api/uploads/:uploadId/commit`. */
export interface CommitUploadRequest {
  /** Replace the study the slot holds (its value goes to the slot history); else 409 SLOT_FILLED. */
  overwrite?: boolean | undefined;
}
/** Schema of {@link CommitUploadRequest}. */
export const CommitUploadRequestSchema: z.ZodType<CommitUploadRequest> = z.object({
  overwrite: z.boolean().optional(),
});

/** What the commit endpoints answer: the session's status and its commit job, without per-instance lists. */
export interface UploadCommitStatus {
  uploadId: string;
  status: UploadSession['status'];
  commit: CommitState | null;
}
/** Schema of {@link UploadCommitStatus}. */
export const UploadCommitStatusSchema: z.ZodType<UploadCommitStatus> = z.object({
  uploadId: Id,
  status: z.enum(['open', 'committed', 'failed', 'expired']),
  commit: CommitStateSchema.nullable(),
});

/**
 * Commit a session, asynchronously (202 Accepted): the checks that need no store (creator, open,
 * every manifest instance stored and valid — else 409 UPLOAD_INCOMPLETE —, a filled slot needs
 * `overwrite` — else 409 SLOT_FILLED) answer at once; then a commit job is queued that any Portal
 * instance runs under a lease: the staged instances are stored in the DICOM store and verified
 * there (size and SHA-256), then the Study Instance UID is assigned to the slot in one
 * transaction. Poll {@link getUploadCommit} (the answer carries `Retry-After` while the job runs)
 * until `done` or `failed`; a failed job carries the error code the commit failed with (e.g.
 * STORE_VERIFY_FAILED) and changed nothing, so the session can be committed again. A repeated
 * request while a job runs, or after it is done, answers the current job and starts nothing.
 *
 * @example
 * let status = await client.call(commitUpload, { params: { uploadId }, body: { overwrite: false } });
 */
export const commitUpload: Endpoint<UploadParams, unknown, CommitUploadRequest, UploadCommitStatus> = {
  id: 'commitUpload',
  method: 'POST',
  path: '/api/uploads/:uploadId/commit',
  tag: 'uploads',
  summary:
    'Queue the commit: store the complete study, verify it and assign it to the slot (overwrite: true to replace a filled slot); 202, poll the commit status',
  permission: 'the user who opened the session',
  authenticated: true,
  params: UploadParamsSchema,
  body: CommitUploadRequestSchema,
  response: UploadCommitStatusSchema,
  status: 202,
};

/**
 * The commit job of a session: state, instances stored of total, and the error of a failed job.
 * Answers `Retry-After` (seconds) while the job is queued or running.
 *
 * @example
 * const { commit } = await client.call(getUploadCommit, { params: { uploadId } });
 */
export const getUploadCommit: Endpoint<UploadParams, unknown, unknown, UploadCommitStatus> = {
  id: 'getUploadCommit',
  method: 'GET',
  path: '/api/uploads/:uploadId/commit',
  tag: 'uploads',
  summary: 'The commit job of the session: queued, storing, verifying, assigning, done or failed, with progress',
  permission: 'the user who opened the session, and study admins',
  authenticated: true,
  params: UploadParamsSchema,
  response: UploadCommitStatusSchema,
  status: 200,
};

/** Query of `GET /api/uploads/:uploadId/receipts`: a page of up to 10,000 instances. */
export interface ReceiptQuery {
  offset: number;
  limit: number;
}
/** Schema of {@link ReceiptQuery} (default 1,000 per page). */
export const ReceiptQuerySchema: z.ZodType<ReceiptQuery> = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/**
 * The per-instance receipts of a session, paged, ordered by SOP Instance UID: each instance's
 * state, size and the SHA-256 of the stored bytes — what a client compares with what it sent
 * after the commit is done, without fetching the whole session (100,000 instances).
 *
 * @example
 * const page = await client.call(listUploadReceipts, { params: { uploadId }, query: { offset: 0, limit: 5000 } });
 */
export const listUploadReceipts: Endpoint<UploadParams, ReceiptQuery, unknown, Page<UploadInstanceStatus>> = {
  id: 'listUploadReceipts',
  method: 'GET',
  path: '/api/uploads/:uploadId/receipts',
  tag: 'uploads',
  summary: 'Per-instance receipts (state, size, SHA-256 of the stored bytes), paged by SOP Instance UID',
  permission: 'the user who opened the session, and study admins',
  authenticated: true,
  params: UploadParamsSchema,
  query: ReceiptQuerySchema,
  response: pageOf(UploadInstanceStatusSchema),
  status: 200,
};
