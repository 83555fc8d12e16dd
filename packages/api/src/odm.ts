import { z } from 'zod';
import { type StudyParams, StudyParamsSchema } from './common.js';
import type { Endpoint } from './endpoint.js';

/** The largest ODM document accepted for import, in characters (a whole OpenClinica study is far less). */
export const ODM_MAX_CHARS: number = 5 * 1024 * 1024;

/**
 * Why an ODM document was refused, sent as `details.odm` of a 400 VALIDATION_FAILED. Stable codes:
 * clients and docs rely on them.
 */
export const ODM_PROBLEMS = {
  ODM_TOO_LARGE: 'the document exceeds 5 MiB (ODM_MAX_CHARS characters)',
  ODM_DOCTYPE_FORBIDDEN: 'DOCTYPE and ENTITY declarations are refused (XML external entities, entity expansion)',
  ODM_NOT_WELL_FORMED: 'the document is not well-formed XML',
  ODM_NOT_ODM: 'the root element is not a CDISC ODM 1.3 <ODM>',
  ODM_NO_STUDY: 'the document has no Study with a MetaDataVersion',
  ODM_BROKEN_REF: 'a StudyEventRef, FormRef, ItemGroupRef or ItemRef names a definition that does not exist',
} as const;
/** One of {@link ODM_PROBLEMS}. */
export type OdmProblem = keyof typeof ODM_PROBLEMS;

/** Body of the ODM import endpoints: the XML text of an ODM 1.3 document. */
export interface OdmImportRequest {
  odm: string;
}
/**
 * Schema of {@link OdmImportRequest}. The size bound ({@link ODM_MAX_CHARS}) is enforced by the
 * server's ODM reader, which answers with the code `ODM_TOO_LARGE`.
 */
export const OdmImportRequestSchema: z.ZodType<OdmImportRequest> = z.object({
  odm: z.string().min(1),
});

/** What an import does (did) to one thing: create it, link an existing one by name, update it, nothing. */
export type OdmAction = 'create' | 'link' | 'update' | 'unchanged';
const OdmActionSchema = z.enum(['create', 'link', 'update', 'unchanged']);

/** An upload slot found in the ODM: an ItemDef marked as holding a DICOM Study Instance UID. */
export interface OdmSlotPreview {
  formOid: string;
  itemGroupOid: string;
  itemOid: string;
  label: string;
  modalities: string[];
  action: OdmAction;
}
/** Schema of {@link OdmSlotPreview}. */
export const OdmSlotPreviewSchema: z.ZodType<OdmSlotPreview> = z.object({
  formOid: z.string(),
  itemGroupOid: z.string(),
  itemOid: z.string(),
  label: z.string(),
  modalities: z.array(z.string()),
  action: OdmActionSchema,
});

/** A StudyEventDef with upload slots, as it maps to an event definition. */
export interface OdmEventPreview {
  studyEventOid: string;
  name: string;
  repeating: boolean;
  action: OdmAction;
  slots: OdmSlotPreview[];
}
/** Schema of {@link OdmEventPreview}. */
export const OdmEventPreviewSchema: z.ZodType<OdmEventPreview> = z.object({
  studyEventOid: z.string(),
  name: z.string(),
  repeating: z.boolean(),
  action: OdmActionSchema,
  slots: z.array(OdmSlotPreviewSchema),
});

/** The answer of a preview (nothing changed) or of an import (`applied: true`). */
export interface OdmImportResult {
  applied: boolean;
  studyOid: string;
  studyName: string;
  metaDataVersionOid: string;
  events: OdmEventPreview[];
  /** StudyEventDefs without an upload slot: not imported. */
  skippedEvents: { studyEventOid: string; name: string }[];
  /** Oddities that did not stop the import (a label made unique, an unknown modality dropped, …). */
  warnings: string[];
}
/** Schema of {@link OdmImportResult}. */
export const OdmImportResultSchema: z.ZodType<OdmImportResult> = z.object({
  applied: z.boolean(),
  studyOid: z.string(),
  studyName: z.string(),
  metaDataVersionOid: z.string(),
  events: z.array(OdmEventPreviewSchema),
  skippedEvents: z.array(z.object({ studyEventOid: z.string(), name: z.string() })),
  warnings: z.array(z.string()),
});

/** Dry run of an ODM metadata import. */
export const previewOdmImport: Endpoint<StudyParams, unknown, OdmImportRequest, OdmImportResult> = {
  id: 'previewOdmImport',
  method: 'POST',
  path: '/api/studies/:studyId/odm/preview',
  tag: 'admin',
  summary: 'Show what importing a CDISC ODM 1.3 study definition would create or change (changes nothing)',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  body: OdmImportRequestSchema,
  response: OdmImportResultSchema,
  status: 200,
};

/** Import ODM metadata into event and slot definitions (idempotent). */
export const importOdm: Endpoint<StudyParams, unknown, OdmImportRequest, OdmImportResult> = {
  id: 'importOdm',
  method: 'POST',
  path: '/api/studies/:studyId/odm/import',
  tag: 'admin',
  summary:
    'Import the events and upload slots of a CDISC ODM 1.3 study definition (a re-import changes only what changed)',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  body: OdmImportRequestSchema,
  response: OdmImportResultSchema,
  status: 200,
};

/**
 * Export of the slot values as ODM 1.3 ClinicalData. The answer is `application/xml` (an ODM
 * document), not JSON: the descriptor therefore has no response schema.
 */
export const exportOdmClinicalData: Endpoint<StudyParams, unknown, unknown, unknown> = {
  id: 'exportOdmClinicalData',
  method: 'GET',
  path: '/api/studies/:studyId/odm/clinical-data',
  tag: 'admin',
  summary: 'The assigned Study Instance UIDs as a CDISC ODM 1.3 ClinicalData document (application/xml)',
  permission: 'any member of the study; subjects of the sites the caller sees',
  authenticated: true,
  media: 'application/xml',
  params: StudyParamsSchema,
  status: 200,
};
