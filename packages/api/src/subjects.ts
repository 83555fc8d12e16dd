import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, type Page, PageQueryShape, pageOf, type StudyParams } from './common.js';
import type { Endpoint } from './endpoint.js';

/** Patient's Sex values (0010,0040), PS3.3 C.7.1.1: female, male, other. */
export const SEXES: readonly ['F', 'M', 'O'] = ['F', 'M', 'O'];
/** A subject's sex as DICOM writes it. */
export type Sex = (typeof SEXES)[number];

/** A subject enrolled in a study at one site. */
export interface Subject {
  id: string;
  studyId: string;
  siteId: string;
  /** The study subject label the site uses, e.g. `S01-003`. */
  label: string;
  /** The Portal-generated pseudonym written as Patient ID and Patient Name into uploads. */
  pseudonym: string;
  sex: Sex;
  /** Full birth date when the study records it, else null. */
  birthDate: string | null;
  /** Birth year (always known). */
  birthYear: number;
  enrolmentDate: string;
  status: 'enrolled' | 'withdrawn' | 'completed';
  createdAt: string;
}
/** Schema of {@link Subject}. */
export const SubjectSchema: z.ZodType<Subject> = z.object({
  id: Id,
  studyId: Id,
  siteId: Id,
  label: z.string(),
  pseudonym: z.string(),
  sex: z.enum(SEXES),
  birthDate: IsoDate.nullable(),
  birthYear: z.number().int(),
  enrolmentDate: IsoDate,
  status: z.enum(['enrolled', 'withdrawn', 'completed']),
  createdAt: IsoDateTime,
});

/** Body of `POST /api/studies/:studyId/subjects`: give either `birthDate` or `birthYear`. */
export interface EnrolSubjectRequest {
  siteId: string;
  label: string;
  sex: Sex;
  birthDate?: string | undefined;
  birthYear?: number | undefined;
  /** Defaults to today. */
  enrolmentDate?: string | undefined;
}
/** Schema of {@link EnrolSubjectRequest}. */
export const EnrolSubjectRequestSchema: z.ZodType<EnrolSubjectRequest> = z
  .object({
    siteId: Id,
    label: z.string().trim().min(1).max(64),
    sex: z.enum(SEXES),
    birthDate: IsoDate.optional(),
    birthYear: z.number().int().min(1900).max(2100).optional(),
    enrolmentDate: IsoDate.optional(),
  })
  .refine((body) => (body.birthDate === undefined) !== (body.birthYear === undefined), {
    message: 'give exactly one of birthDate and birthYear',
    path: ['birthDate'],
  });

/** Query of the subject list. */
export interface SubjectListQuery {
  /** Case-insensitive search in label and pseudonym. */
  q?: string | undefined;
  siteId?: string | undefined;
  offset: number;
  limit: number;
}
/** Schema of {@link SubjectListQuery}. */
export const SubjectListQuerySchema: z.ZodType<SubjectListQuery> = z.object({
  q: z.string().trim().max(64).optional(),
  siteId: Id.optional(),
  ...PageQueryShape,
});

/** Path parameters naming a subject. */
export interface SubjectParams extends StudyParams {
  subjectId: string;
}
/** Schema of {@link SubjectParams}. */
export const SubjectParamsSchema: z.ZodType<SubjectParams> = z.object({ studyId: Id, subjectId: Id });

/** Subjects of a study, paged and searchable; a site uploader sees only own sites. */
export const listSubjects: Endpoint<StudyParams, SubjectListQuery, unknown, Page<Subject>> = {
  id: 'listSubjects',
  method: 'GET',
  path: '/api/studies/:studyId/subjects',
  tag: 'subjects',
  summary: 'Subjects of a study (paged, searchable by label or pseudonym, filtered to the visible sites)',
  permission: 'any member of the study; site uploaders see only their sites',
  authenticated: true,
  params: z.object({ studyId: Id }),
  query: SubjectListQuerySchema,
  response: pageOf(SubjectSchema),
  status: 200,
};

/** One subject. */
export const getSubject: Endpoint<SubjectParams, unknown, unknown, Subject> = {
  id: 'getSubject',
  method: 'GET',
  path: '/api/studies/:studyId/subjects/:subjectId',
  tag: 'subjects',
  summary: 'One subject',
  permission: 'any member of the study who sees the subject’s site',
  authenticated: true,
  params: SubjectParamsSchema,
  response: SubjectSchema,
  status: 200,
};

/** Enrol a subject; its non-repeating events are scheduled and a pseudonym generated. */
export const enrolSubject: Endpoint<StudyParams, unknown, EnrolSubjectRequest, Subject> = {
  id: 'enrolSubject',
  method: 'POST',
  path: '/api/studies/:studyId/subjects',
  tag: 'admin',
  summary: 'Enrol a subject at a site: a pseudonym is generated and non-repeating events scheduled',
  permission: 'study admins and study managers',
  authenticated: true,
  params: z.object({ studyId: Id }),
  body: EnrolSubjectRequestSchema,
  response: SubjectSchema,
  status: 201,
};

/** Body of `PATCH /api/studies/:studyId/subjects/:subjectId`. */
export interface UpdateSubjectRequest {
  label?: string | undefined;
  status?: 'enrolled' | 'withdrawn' | 'completed' | undefined;
}
/** Schema of {@link UpdateSubjectRequest}. */
export const UpdateSubjectRequestSchema: z.ZodType<UpdateSubjectRequest> = z.object({
  label: z.string().trim().min(1).max(64).optional(),
  status: z.enum(['enrolled', 'withdrawn', 'completed']).optional(),
});

/** Relabel a subject or change its status. */
export const updateSubject: Endpoint<SubjectParams, unknown, UpdateSubjectRequest, Subject> = {
  id: 'updateSubject',
  method: 'PATCH',
  path: '/api/studies/:studyId/subjects/:subjectId',
  tag: 'admin',
  summary: 'Relabel a subject or change its status (the pseudonym never changes)',
  permission: 'study admins and study managers',
  authenticated: true,
  params: SubjectParamsSchema,
  body: UpdateSubjectRequestSchema,
  response: SubjectSchema,
  status: 200,
};
