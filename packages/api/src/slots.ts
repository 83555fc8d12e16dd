import { z } from 'zod';
import { Id, IsoDate, IsoDateTime } from './common.js';
import type { Endpoint } from './endpoint.js';
import { type EventSlot, EventSlotSchema, type SubjectEventParams } from './events.js';
import type { SubjectParams } from './subjects.js';
import { Uid } from './uploads.js';

// Slot management (issue 11): the studies stored for a subject, assigning one of them to a slot,
// clearing a slot, and every value a slot ever had.

/** A time of day, `HH:MM:SS` (from a DICOM TM value, fractions dropped). */
const TimeOfDay: z.ZodType<string> = z.string().regex(/^\d{2}:\d{2}:\d{2}$/);

/** One series of a stored study, as its stored headers say. */
export interface StoredSeries {
  seriesInstanceUid: string;
  /** Series Number (0020,0011), or null when absent. */
  seriesNumber: number | null;
  /** Modality (0008,0060). */
  modality: string | null;
  /** Series Description (0008,103E) as stored (de-identified), '' when absent. */
  description: string;
  instanceCount: number;
  /** Series Date (0008,0021), YYYY-MM-DD, or null. */
  seriesDate: string | null;
  /** Series Time (0008,0031), HH:MM:SS, or null. */
  seriesTime: string | null;
  /** The upload that brought (the last instances of) the series; null for one found in a PACS. */
  uploadId: string | null;
}
/** Schema of {@link StoredSeries}. */
export const StoredSeriesSchema: z.ZodType<StoredSeries> = z.object({
  seriesInstanceUid: Uid,
  seriesNumber: z.number().int().nullable(),
  modality: z.string().nullable(),
  description: z.string(),
  instanceCount: z.number().int(),
  seriesDate: IsoDate.nullable(),
  seriesTime: TimeOfDay.nullable(),
  uploadId: Id.nullable(),
});

/** A slot that holds a stored study. */
export interface StoredStudyAssignment {
  eventId: string;
  eventName: string;
  occurrence: number;
  slotDefinitionId: string;
  slotLabel: string;
}
/** Schema of {@link StoredStudyAssignment}. */
export const StoredStudyAssignmentSchema: z.ZodType<StoredStudyAssignment> = z.object({
  eventId: Id,
  eventName: z.string(),
  occurrence: z.number().int(),
  slotDefinitionId: Id,
  slotLabel: z.string(),
});

/** A DICOM study in the store for a subject, with its series and the slots that hold it. */
export interface StoredStudy {
  studyInstanceUid: string;
  /** Patient ID (0010,0020) as stored: the subject's pseudonym. */
  patientId: string;
  /** Study Date (0008,0020) as stored (shifted or removed per the study), YYYY-MM-DD, or null. */
  studyDate: string | null;
  /** Study Time (0008,0030), HH:MM:SS, or null. */
  studyTime: string | null;
  /** Study Description (0008,1030) as stored, '' when absent. */
  description: string;
  /** Modalities of the series, sorted. */
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
  /** `upload`: brought by a Courier upload; `pacs`: found in the PACS store by Patient ID. */
  source: 'upload' | 'pacs';
  firstUploadId: string | null;
  lastUploadId: string | null;
  /** When the catalogue first recorded the study. */
  storedAt: string;
  series: StoredSeries[];
  /** The slots of this subject that hold the study now. */
  assignedTo: StoredStudyAssignment[];
}
/** Schema of {@link StoredStudy}. */
export const StoredStudySchema: z.ZodType<StoredStudy> = z.object({
  studyInstanceUid: Uid,
  patientId: z.string(),
  studyDate: IsoDate.nullable(),
  studyTime: TimeOfDay.nullable(),
  description: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int(),
  instanceCount: z.number().int(),
  source: z.enum(['upload', 'pacs']),
  firstUploadId: Id.nullable(),
  lastUploadId: Id.nullable(),
  storedAt: IsoDateTime,
  series: z.array(StoredSeriesSchema),
  assignedTo: z.array(StoredStudyAssignmentSchema),
});

/** Body of `POST …/slots/:slotDefinitionId/assign`. */
export interface AssignSlotRequest {
  /** A study stored for this subject (see `listStoredStudies`). */
  studyInstanceUid: string;
  /** Replace the study the slot holds (its value goes to the slot history); else 409 SLOT_FILLED. */
  overwrite?: boolean | undefined;
  /** Why (kept in the slot history when a value is replaced, and in the audit log). */
  reason?: string | undefined;
}
/** Schema of {@link AssignSlotRequest}. */
export const AssignSlotRequestSchema: z.ZodType<AssignSlotRequest> = z.object({
  studyInstanceUid: Uid,
  overwrite: z.boolean().optional(),
  reason: z.string().trim().max(500).optional(),
});

/** Body of `POST …/slots/:slotDefinitionId/clear`. */
export interface ClearSlotRequest {
  /** Why the assignment is removed: required, kept in the slot history and the audit log. */
  reason: string;
}
/** Schema of {@link ClearSlotRequest}. */
export const ClearSlotRequestSchema: z.ZodType<ClearSlotRequest> = z.object({
  reason: z.string().trim().min(1, 'a reason is required').max(500),
});

/** One value a slot held (the current one first, then older ones, newest first). */
export interface SlotHistoryEntry {
  studyInstanceUid: string;
  /** True for the value the slot holds now. */
  current: boolean;
  assignedAt: string;
  /** User name of who assigned it. */
  assignedBy: string;
  assignedByName: string;
  /** `upload`: committed by an upload session (`uploadId`); `assign`: an existing stored study assigned. */
  how: 'upload' | 'assign';
  uploadId: string | null;
  /** When and by whom the value left the slot; null for the current value. */
  endedAt: string | null;
  endedBy: string | null;
  endedByName: string | null;
  /** `replaced` by a later upload or assignment, or `cleared`; null for the current value. */
  end: 'replaced' | 'cleared' | null;
  /** Why it ended (a clear's reason, or the reason given with a replacing assignment). */
  reason: string | null;
}
/** Schema of {@link SlotHistoryEntry}. */
export const SlotHistoryEntrySchema: z.ZodType<SlotHistoryEntry> = z.object({
  studyInstanceUid: z.string(),
  current: z.boolean(),
  assignedAt: IsoDateTime,
  assignedBy: z.string(),
  assignedByName: z.string(),
  how: z.enum(['upload', 'assign']),
  uploadId: Id.nullable(),
  endedAt: IsoDateTime.nullable(),
  endedBy: z.string().nullable(),
  endedByName: z.string().nullable(),
  end: z.enum(['replaced', 'cleared']).nullable(),
  reason: z.string().nullable(),
});

/** Path parameters naming a stored study of a subject. */
export interface StoredStudyParams extends SubjectParams {
  studyInstanceUid: string;
}
/** Path parameters naming a slot of a subject's scheduled event. */
export interface SlotParams extends SubjectEventParams {
  slotDefinitionId: string;
}
const SlotParamsSchema: z.ZodType<SlotParams> = z.object({
  studyId: Id,
  subjectId: Id,
  eventId: Id,
  slotDefinitionId: Id,
});

/** The studies stored for a subject. */
export const listStoredStudies: Endpoint<SubjectParams, unknown, unknown, StoredStudy[]> = {
  id: 'listStoredStudies',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId/stored-studies',
  tag: 'subjects',
  summary: 'DICOM studies stored for a subject (from any upload), with series and the slots holding them',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: z.object({ studyId: Id, subjectId: Id }),
  response: z.array(StoredStudySchema),
  status: 200,
};

/** One stored study of a subject with its series (the DICOM tab's row expansion). */
export const getStoredStudy: Endpoint<StoredStudyParams, unknown, unknown, StoredStudy> = {
  id: 'getStoredStudy',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId/stored-studies/:studyInstanceUid',
  tag: 'subjects',
  summary: 'One stored DICOM study of a subject with its series',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: z.object({ studyId: Id, subjectId: Id, studyInstanceUid: Uid }),
  response: StoredStudySchema,
  status: 200,
};

/** Assign a stored study of the subject to a slot. */
export const assignSlot: Endpoint<SlotParams, unknown, AssignSlotRequest, EventSlot> = {
  id: 'assignSlot',
  method: 'POST',
  path: '/api/studies/:studyId/subjects/:subjectId/events/:eventId/slots/:slotDefinitionId/assign',
  tag: 'subjects',
  summary: 'Assign a DICOM study already stored for the subject to a slot (409 SLOT_FILLED without overwrite)',
  permission: 'study admins, study managers, and site uploaders of the subject’s site',
  authenticated: true,
  params: SlotParamsSchema,
  body: AssignSlotRequestSchema,
  response: EventSlotSchema,
  status: 200,
};

/** Remove a slot's assignment (the stored study stays). */
export const clearSlot: Endpoint<SlotParams, unknown, ClearSlotRequest, EventSlot> = {
  id: 'clearSlot',
  method: 'POST',
  path: '/api/studies/:studyId/subjects/:subjectId/events/:eventId/slots/:slotDefinitionId/clear',
  tag: 'subjects',
  summary: 'Clear a slot with a reason; the stored study stays and the value goes to the slot history',
  permission: 'study admins and study managers',
  authenticated: true,
  params: SlotParamsSchema,
  body: ClearSlotRequestSchema,
  response: EventSlotSchema,
  status: 200,
};

/** Every value a slot held. */
export const getSlotHistory: Endpoint<SlotParams, unknown, unknown, SlotHistoryEntry[]> = {
  id: 'getSlotHistory',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId/events/:eventId/slots/:slotDefinitionId/history',
  tag: 'subjects',
  summary: 'Every value a slot held: who assigned it, when, how (upload or assign), how it ended and why',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: SlotParamsSchema,
  response: z.array(SlotHistoryEntrySchema),
  status: 200,
};
