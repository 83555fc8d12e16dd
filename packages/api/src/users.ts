import { z } from 'zod';
import { type UserSummary, UserSummarySchema } from './auth.js';
import { Id, ROLES, type Role, type StudyParams, StudyParamsSchema } from './common.js';
import type { Endpoint } from './endpoint.js';

/** Body of `POST /api/users`. Without `password` the server generates one and returns it once. */
export interface CreateUserRequest {
  username: string;
  displayName: string;
  password?: string | undefined;
  systemAdmin?: boolean | undefined;
}
/** Schema of {@link CreateUserRequest}. */
export const CreateUserRequestSchema: z.ZodType<CreateUserRequest> = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, 'lower-case letters, digits, . _ @ -; 2 to 64'),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(12).max(1000).optional(),
  systemAdmin: z.boolean().optional(),
});

/** Answer of `POST /api/users`: `generatedPassword` is present (once) when none was given. */
export interface UserCreated {
  user: UserSummary;
  generatedPassword: string | null;
}
/** Schema of {@link UserCreated}. */
export const UserCreatedSchema: z.ZodType<UserCreated> = z.object({
  user: UserSummarySchema,
  generatedPassword: z.string().nullable(),
});

/** A membership as a study admin sees it. */
export interface Membership {
  id: string;
  studyId: string;
  userId: string;
  username: string;
  role: Role;
  /** Null: all sites (always for admins and study managers); a site restricts uploaders and monitors. */
  siteId: string | null;
}
/** Schema of {@link Membership}. */
export const MembershipSchema: z.ZodType<Membership> = z.object({
  id: Id,
  studyId: Id,
  userId: Id,
  username: z.string(),
  role: z.enum(ROLES),
  siteId: Id.nullable(),
});

/** Body of `POST /api/studies/:studyId/memberships`; a site uploader needs a `siteId`. */
export interface CreateMembershipRequest {
  userId: string;
  role: Role;
  siteId: string | null;
}
/** Schema of {@link CreateMembershipRequest}. */
export const CreateMembershipRequestSchema: z.ZodType<CreateMembershipRequest> = z
  .object({ userId: Id, role: z.enum(ROLES), siteId: Id.nullable() })
  .refine((m) => m.role !== 'site_uploader' || m.siteId !== null, {
    message: 'a site uploader needs a site',
    path: ['siteId'],
  })
  .refine((m) => (m.role !== 'admin' && m.role !== 'study_manager') || m.siteId === null, {
    message: 'admins and study managers act on all sites',
    path: ['siteId'],
  });

/** Path parameters naming a membership. */
export interface MembershipParams extends StudyParams {
  membershipId: string;
}

/** All users. */
export const listUsers: Endpoint<unknown, unknown, unknown, UserSummary[]> = {
  id: 'listUsers',
  method: 'GET',
  path: '/api/users',
  tag: 'admin',
  summary: 'All users',
  permission: 'system administrators',
  authenticated: true,
  response: z.array(UserSummarySchema),
  status: 200,
};

/** Create a user. */
export const createUser: Endpoint<unknown, unknown, CreateUserRequest, UserCreated> = {
  id: 'createUser',
  method: 'POST',
  path: '/api/users',
  tag: 'admin',
  summary: 'Create a user (a password is generated when none is given)',
  permission: 'system administrators',
  authenticated: true,
  body: CreateUserRequestSchema,
  response: UserCreatedSchema,
  status: 201,
};

/** Memberships of a study. */
export const listMemberships: Endpoint<StudyParams, unknown, unknown, Membership[]> = {
  id: 'listMemberships',
  method: 'GET',
  path: '/api/studies/:studyId/memberships',
  tag: 'admin',
  summary: 'Who holds which role at which site of the study',
  permission: 'study admins and study managers',
  authenticated: true,
  params: StudyParamsSchema,
  response: z.array(MembershipSchema),
  status: 200,
};

/** Grant a role. */
export const createMembership: Endpoint<StudyParams, unknown, CreateMembershipRequest, Membership> = {
  id: 'createMembership',
  method: 'POST',
  path: '/api/studies/:studyId/memberships',
  tag: 'admin',
  summary: 'Grant a user a role in the study (at one site or all)',
  permission: 'study admins',
  authenticated: true,
  params: StudyParamsSchema,
  body: CreateMembershipRequestSchema,
  response: MembershipSchema,
  status: 201,
};

/** Withdraw a role. */
export const deleteMembership: Endpoint<MembershipParams> = {
  id: 'deleteMembership',
  method: 'DELETE',
  path: '/api/studies/:studyId/memberships/:membershipId',
  tag: 'admin',
  summary: 'Withdraw a membership',
  permission: 'study admins',
  authenticated: true,
  params: z.object({ studyId: Id, membershipId: Id }),
  status: 204,
};

/** Body of `PATCH /api/users/:userId`. */
export interface UpdateUserRequest {
  displayName?: string | undefined;
  /** A disabled user cannot log in; its sessions end and its API tokens stop working. */
  disabled?: boolean | undefined;
  systemAdmin?: boolean | undefined;
}
/** Schema of {@link UpdateUserRequest}. */
export const UpdateUserRequestSchema: z.ZodType<UpdateUserRequest> = z.object({
  displayName: z.string().trim().min(1).max(200).optional(),
  disabled: z.boolean().optional(),
  systemAdmin: z.boolean().optional(),
});

/** Path parameters naming a user. */
export interface UserParams {
  userId: string;
}

/** Rename, disable or re-enable a user. */
export const updateUser: Endpoint<UserParams, unknown, UpdateUserRequest, UserSummary> = {
  id: 'updateUser',
  method: 'PATCH',
  path: '/api/users/:userId',
  tag: 'admin',
  summary: 'Rename, disable (ending its sessions) or re-enable a user; grant or withdraw system administration',
  permission: 'system administrators (not on themselves for disabled and systemAdmin)',
  authenticated: true,
  params: z.object({ userId: Id }),
  body: UpdateUserRequestSchema,
  response: UserSummarySchema,
  status: 200,
};
