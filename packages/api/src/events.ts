import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, type StudyParams, StudyParamsSchema } from './common.js';
import type { Endpoint } from './endpoint.js';
import type { SubjectParams } from './subjects.js';

/** An upload slot: an item of an event that holds one DICOM Study Instance UID. */
export interface SlotDefinition {
  id: string;
  eventDefinitionId: string;
  /** What goes in it, e.g. `Planning CT`. */
  label: string;
  /** Modalities expected (PS3.3 C.7.3.1.1.1 defined terms, e.g. `CT`, `RTPLAN`); empty = any. */
  modalities: string[];
  order: number;
}
/** Schema of {@link SlotDefinition}. */
export const SlotDefinitionSchema: z.ZodType<SlotDefinition> = z.object({
  id: Id,
  eventDefinitionId: Id,
  label: z.string(),
  modalities: z.array(z.string()),
  order: z.number().int(),
});

/** An event of the study's schedule, e.g. `Baseline`, with its upload slots. */
export interface EventDefinition {
  id: string;
  studyId: string;
  name: string;
  /** A repeating event can be scheduled several times per subject. */
  repeating: boolean;
  order: number;
  slots: SlotDefinition[];
}
/** Schema of {@link EventDefinition}. */
export const EventDefinitionSchema: z.ZodType<EventDefinition> = z.object({
  id: Id,
  studyId: Id,
  name: z.string(),
  repeating: z.boolean(),
  order: z.number().int(),
  slots: z.array(SlotDefinitionSchema),
});

/** Body of `POST /api/studies/:studyId/event-definitions`. */
export interface CreateEventDefinitionRequest {
  name: string;
  repeating?: boolean | undefined;
  order?: number | undefined;
}
/** Schema of {@link CreateEventDefinitionRequest}. */
export const CreateEventDefinitionRequestSchema: z.ZodType<CreateEventDefinitionRequest> = z.object({
  name: z.string().trim().min(1).max(100),
  repeating: z.boolean().optional(),
  order: z.number().int().min(0).max(10_000).optional(),
});

/** Modality defined terms are upper-case letters and digits, at most 16 (CS). */
const Modality = z.string().regex(/^[A-Z0-9_ ]{1,16}$/);

/** Body of `POST /api/studies/:studyId/event-definitions/:eventDefinitionId/slots`. */
export interface CreateSlotDefinitionRequest {
  label: string;
  modalities?: string[] | undefined;
  order?: number | undefined;
}
/** Schema of {@link CreateSlotDefinitionRequest}. */
export const CreateSlotDefinitionRequestSchema: z.ZodType<CreateSlotDefinitionRequest> = z.object({
  label: z.string().trim().min(1).max(100),
  modalities: z.array(Modality).max(20).optional(),
  order: z.number().int().min(0).max(10_000).optional(),
});

/** An event scheduled for a subject. */
export interface ScheduledEvent {
  id: string;
  subjectId: string;
  eventDefinitionId: string;
  name: string;
  repeating: boolean;
  /** 1 for the first occurrence of the event, 2 for the second of a repeating one, … */
  occurrence: number;
  date: string | null;
  status: 'scheduled' | 'completed' | 'skipped';
  /** Slots of the event that hold a study. */
  filledSlots: number;
  totalSlots: number;
}
/** Schema of {@link ScheduledEvent}. */
export const ScheduledEventSchema: z.ZodType<ScheduledEvent> = z.object({
  id: Id,
  subjectId: Id,
  eventDefinitionId: Id,
  name: z.string(),
  repeating: z.boolean(),
  occurrence: z.number().int(),
  date: IsoDate.nullable(),
  status: z.enum(['scheduled', 'completed', 'skipped']),
  filledSlots: z.number().int(),
  totalSlots: z.number().int(),
});

/** Body of `POST …/subjects/:subjectId/events`. */
export interface ScheduleEventRequest {
  eventDefinitionId: string;
  date?: string | undefined;
}
/** Schema of {@link ScheduleEventRequest}. */
export const ScheduleEventRequestSchema: z.ZodType<ScheduleEventRequest> = z.object({
  eventDefinitionId: Id,
  date: IsoDate.optional(),
});

/** The DICOM study assigned to a slot. */
export interface SlotValue {
  studyInstanceUid: string;
  assignedAt: string;
  /** User name of who assigned it. */
  assignedBy: string;
  /** Display name of who assigned it (what a table shows). */
  assignedByName: string;
  uploadId: string | null;
  /** Study Date as stored (de-identified: shifted or removed per the study), YYYY-MM-DD; null when absent. */
  studyDate: string | null;
  /** Modalities of the stored instances, sorted; empty for values assigned before they were recorded. */
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
}
/** Schema of {@link SlotValue}. */
export const SlotValueSchema: z.ZodType<SlotValue> = z.object({
  studyInstanceUid: z.string(),
  assignedAt: IsoDateTime,
  assignedBy: z.string(),
  assignedByName: z.string(),
  uploadId: Id.nullable(),
  studyDate: IsoDate.nullable(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int(),
  instanceCount: z.number().int(),
});

/** A slot of a scheduled event with its current value (null when empty). */
export interface EventSlot {
  slotDefinitionId: string;
  label: string;
  modalities: string[];
  value: SlotValue | null;
}
/** Schema of {@link EventSlot}. */
export const EventSlotSchema: z.ZodType<EventSlot> = z.object({
  slotDefinitionId: Id,
  label: z.string(),
  modalities: z.array(z.string()),
  value: SlotValueSchema.nullable(),
});

/** Path parameters naming an event definition. */
export interface EventDefinitionParams extends StudyParams {
  eventDefinitionId: string;
}
/** Path parameters naming a scheduled event of a subject. */
export interface SubjectEventParams extends SubjectParams {
  eventId: string;
}

/** The study's event definitions with their slots. */
export const listEventDefinitions: Endpoint<StudyParams, unknown, unknown, EventDefinition[]> = {
  id: 'listEventDefinitions',
  method: 'GET',
  path: '/api/studies/:studyId/event-definitions',
  tag: 'studies',
  summary: 'Event definitions of a study with their upload slots',
  permission: 'any member of the study',
  authenticated: true,
  params: StudyParamsSchema,
  response: z.array(EventDefinitionSchema),
  status: 200,
};

/** Define an event. */
export const createEventDefinition: Endpoint<StudyParams, unknown, CreateEventDefinitionRequest, EventDefinition> = {
  id: 'createEventDefinition',
  method: 'POST',
  path: '/api/studies/:studyId/event-definitions',
  tag: 'admin',
  summary: 'Define an event of the study schedule',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  body: CreateEventDefinitionRequestSchema,
  response: EventDefinitionSchema,
  status: 201,
};

/** Define an upload slot of an event. */
export const createSlotDefinition: Endpoint<
  EventDefinitionParams,
  unknown,
  CreateSlotDefinitionRequest,
  SlotDefinition
> = {
  id: 'createSlotDefinition',
  method: 'POST',
  path: '/api/studies/:studyId/event-definitions/:eventDefinitionId/slots',
  tag: 'admin',
  summary: 'Define an upload slot of an event',
  permission: 'study admins and study managers',
  authenticated: true,
  params: z.object({ studyId: Id, eventDefinitionId: Id }),
  body: CreateSlotDefinitionRequestSchema,
  response: SlotDefinitionSchema,
  status: 201,
};

/** Events scheduled for a subject. */
export const listSubjectEvents: Endpoint<SubjectParams, unknown, unknown, ScheduledEvent[]> = {
  id: 'listSubjectEvents',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId/events',
  tag: 'subjects',
  summary: 'Events scheduled for a subject, in schedule order',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: z.object({ studyId: Id, subjectId: Id }),
  response: z.array(ScheduledEventSchema),
  status: 200,
};

/** Schedule an event for a subject (again, for a repeating one). */
export const scheduleEvent: Endpoint<SubjectParams, unknown, ScheduleEventRequest, ScheduledEvent> = {
  id: 'scheduleEvent',
  method: 'POST',
  path: '/api/studies/:studyId/subjects/:subjectId/events',
  tag: 'subjects',
  summary: 'Schedule an event for a subject (a repeating event again)',
  permission: 'study admins, study managers, and site uploaders of the subject’s site',
  authenticated: true,
  params: z.object({ studyId: Id, subjectId: Id }),
  body: ScheduleEventRequestSchema,
  response: ScheduledEventSchema,
  status: 201,
};

/** Slots of a scheduled event with the assigned studies. */
export const listEventSlots: Endpoint<SubjectEventParams, unknown, unknown, EventSlot[]> = {
  id: 'listEventSlots',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId/events/:eventId/slots',
  tag: 'subjects',
  summary: 'Upload slots of a scheduled event with the DICOM study assigned to each',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: z.object({ studyId: Id, subjectId: Id, eventId: Id }),
  response: z.array(EventSlotSchema),
  status: 200,
};
