import { z } from 'zod';
import { Id, IsoDate, IsoDateTime } from './common.js';
import type { Endpoint } from './endpoint.js';
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
