import { z } from 'zod';
import { Id, IsoDateTime, ROLES, type Role, type StudyParams, StudyParamsSchema } from './common.js';
import type { Endpoint } from './endpoint.js';

/** How subject dates are written into uploaded files (PS3.15 E.3.6 Retain Longitudinal Temporal Information). */
export const DATE_HANDLINGS: readonly ['remove', 'keep', 'shift'] = ['remove', 'keep', 'shift'];
/** `remove`: dates emptied per the Basic Profile; `keep`: full dates kept; `shift`: by the subject's offset. */
export type DateHandling = (typeof DATE_HANDLINGS)[number];

/** A study's de-identification configuration: a PS3.15 profile and its options. */
export interface DeidConfig {
  /** PS3.15 Annex E profile; only the Basic Application Level Confidentiality Profile for now. */
  profile: 'basic';
  /** Option names as @courier/deid names them, e.g. `retainLongitudinalTemporalInformationModifiedDates`. */
  options: string[];
}
/** Schema of {@link DeidConfig}. */
export const DeidConfigSchema: z.ZodType<DeidConfig> = z.object({
  profile: z.literal('basic'),
  options: z.array(z.string().min(1).max(100)).max(20),
});

/** A study as its members see it (never with the UID secret). */
export interface Study {
  id: string;
  /** Short unique identifier, e.g. `RT-DEMO-01`. */
  identifier: string;
  name: string;
  sponsor: string;
  protocolId: string;
  status: 'active' | 'locked';
  deid: DeidConfig;
  dateHandling: DateHandling;
  createdAt: string;
}
const studyShape = {
  id: Id,
  identifier: z.string(),
  name: z.string(),
  sponsor: z.string(),
  protocolId: z.string(),
  status: z.enum(['active', 'locked']),
  deid: DeidConfigSchema,
  dateHandling: z.enum(DATE_HANDLINGS),
  createdAt: IsoDateTime,
};
/** Schema of {@link Study}. */
export const StudySchema: z.ZodType<Study> = z.object(studyShape);

/** A site of a study. */
export interface Site {
  id: string;
  studyId: string;
  /** Short code unique in the study, e.g. `S01`. */
  code: string;
  name: string;
}
/** Schema of {@link Site}. */
export const SiteSchema: z.ZodType<Site> = z.object({ id: Id, studyId: Id, code: z.string(), name: z.string() });

/** A study with the current user's access to it. */
export interface StudyOfUser extends Study {
  roles: Role[];
  /** True when the user sees every site; otherwise only `siteIds`. */
  allSites: boolean;
  siteIds: string[];
  sites: Site[];
}
/** Schema of {@link StudyOfUser}. */
export const StudyOfUserSchema: z.ZodType<StudyOfUser> = z.object({
  ...studyShape,
  roles: z.array(z.enum(ROLES)),
  allSites: z.boolean(),
  siteIds: z.array(Id),
  sites: z.array(SiteSchema),
});

const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'letters, digits, dot, dash, underscore; at most 32');

/** Body of `POST /api/studies`. */
export interface CreateStudyRequest {
  identifier: string;
  name: string;
  sponsor: string;
  protocolId: string;
  deid?: DeidConfig | undefined;
  dateHandling?: DateHandling | undefined;
}
/** Schema of {@link CreateStudyRequest}. */
export const CreateStudyRequestSchema: z.ZodType<CreateStudyRequest> = z.object({
  identifier: Code,
  name: z.string().trim().min(1).max(200),
  sponsor: z.string().trim().min(1).max(64),
  protocolId: z.string().trim().min(1).max(64),
  deid: DeidConfigSchema.optional(),
  dateHandling: z.enum(DATE_HANDLINGS).optional(),
});

/** Body of `PATCH /api/studies/:studyId`. */
export interface UpdateStudyRequest {
  name?: string | undefined;
  status?: 'active' | 'locked' | undefined;
}
/** Schema of {@link UpdateStudyRequest}. */
export const UpdateStudyRequestSchema: z.ZodType<UpdateStudyRequest> = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  status: z.enum(['active', 'locked']).optional(),
});

/** Body of `POST /api/studies/:studyId/sites`. */
export interface CreateSiteRequest {
  code: string;
  name: string;
}
/** Schema of {@link CreateSiteRequest}. */
export const CreateSiteRequestSchema: z.ZodType<CreateSiteRequest> = z.object({
  code: Code,
  name: z.string().trim().min(1).max(200),
});

/** The studies the current user belongs to (all studies for a system administrator). */
export const listStudies: Endpoint<unknown, unknown, unknown, StudyOfUser[]> = {
  id: 'listStudies',
  method: 'GET',
  path: '/api/studies',
  tag: 'studies',
  summary: 'Studies of the current user, with roles and visible sites',
  permission: 'any authenticated user (own memberships; system administrators see all)',
  authenticated: true,
  response: z.array(StudyOfUserSchema),
  status: 200,
};

/** One study. */
export const getStudy: Endpoint<StudyParams, unknown, unknown, StudyOfUser> = {
  id: 'getStudy',
  method: 'GET',
  path: '/api/studies/:studyId',
  tag: 'studies',
  summary: 'One study with its sites and the current user’s access',
  permission: 'any member of the study',
  authenticated: true,
  params: StudyParamsSchema,
  response: StudyOfUserSchema,
  status: 200,
};

/** Create a study. */
export const createStudy: Endpoint<unknown, unknown, CreateStudyRequest, Study> = {
  id: 'createStudy',
  method: 'POST',
  path: '/api/studies',
  tag: 'admin',
  summary: 'Create a study (a per-study UID secret is generated)',
  permission: 'system administrators',
  authenticated: true,
  body: CreateStudyRequestSchema,
  response: StudySchema,
  status: 201,
};

/** Rename, lock or unlock a study. */
export const updateStudy: Endpoint<StudyParams, unknown, UpdateStudyRequest, Study> = {
  id: 'updateStudy',
  method: 'PATCH',
  path: '/api/studies/:studyId',
  tag: 'admin',
  summary: 'Rename, lock or unlock a study',
  permission: 'study admins',
  authenticated: true,
  params: StudyParamsSchema,
  body: UpdateStudyRequestSchema,
  response: StudySchema,
  status: 200,
};

/** Add a site. */
export const createSite: Endpoint<StudyParams, unknown, CreateSiteRequest, Site> = {
  id: 'createSite',
  method: 'POST',
  path: '/api/studies/:studyId/sites',
  tag: 'admin',
  summary: 'Add a site to a study',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  body: CreateSiteRequestSchema,
  response: SiteSchema,
  status: 201,
};
