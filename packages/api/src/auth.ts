import { z } from 'zod';
import { Id, IsoDateTime, ROLES, type Role } from './common.js';
import type { Endpoint } from './endpoint.js';

/** Body of `POST /api/auth/login`. */
export interface LoginRequest {
  username: string;
  password: string;
}
/** Schema of {@link LoginRequest}. */
export const LoginRequestSchema: z.ZodType<LoginRequest> = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});

/** A user as others see it. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  /** System administrators create studies and users and read the whole audit log. */
  systemAdmin: boolean;
}
/** Schema of {@link UserSummary}. */
export const UserSummarySchema: z.ZodType<UserSummary> = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  systemAdmin: z.boolean(),
});

/** One role a user holds in a study, at one site or (siteId null) at all sites. */
export interface MembershipOfUser {
  membershipId: string;
  studyId: string;
  role: Role;
  siteId: string | null;
}
/** Schema of {@link MembershipOfUser}. */
export const MembershipOfUserSchema: z.ZodType<MembershipOfUser> = z.object({
  membershipId: Id,
  studyId: Id,
  role: z.enum(ROLES),
  siteId: Id.nullable(),
});

/** The current user and session: answer of `GET /api/me` and of login. */
export interface Me {
  user: UserSummary;
  memberships: MembershipOfUser[];
  /** The study the web app shows; null when the user has none or authenticates with a token. */
  activeStudyId: string | null;
  /** Send as `x-csrf-token` on every state-changing request made with the session cookie. Null for tokens. */
  csrfToken: string | null;
  /** When the session ends unless used before; null for tokens. */
  sessionExpiresAt: string | null;
  authenticatedBy: 'session' | 'token';
}
/** Schema of {@link Me}. */
export const MeSchema: z.ZodType<Me> = z.object({
  user: UserSummarySchema,
  memberships: z.array(MembershipOfUserSchema),
  activeStudyId: Id.nullable(),
  csrfToken: z.string().nullable(),
  sessionExpiresAt: IsoDateTime.nullable(),
  authenticatedBy: z.enum(['session', 'token']),
});

/** Body of `PUT /api/me/active-study`. */
export interface ActiveStudyRequest {
  studyId: string;
}
/** Schema of {@link ActiveStudyRequest}. */
export const ActiveStudyRequestSchema: z.ZodType<ActiveStudyRequest> = z.object({ studyId: Id });

/** Body of `POST /api/tokens`. */
export interface CreateApiTokenRequest {
  name: string;
}
/** Schema of {@link CreateApiTokenRequest}. */
export const CreateApiTokenRequestSchema: z.ZodType<CreateApiTokenRequest> = z.object({
  name: z.string().trim().min(1).max(100),
});

/** A personal API token as listed (the secret is never shown again). */
export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
/** Schema of {@link ApiTokenView}. */
export const ApiTokenViewSchema: z.ZodType<ApiTokenView> = z.object({
  id: Id,
  name: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
});

/** A token just created: `token` is shown this once; send it as `Authorization: Bearer <token>`. */
export interface ApiTokenCreated extends ApiTokenView {
  token: string;
}
/** Schema of {@link ApiTokenCreated}. */
export const ApiTokenCreatedSchema: z.ZodType<ApiTokenCreated> = z.object({
  id: Id,
  name: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
  token: z.string(),
});

/** Path parameters naming a token. */
export interface TokenParams {
  tokenId: string;
}

/** Log in with user name and password; sets the session cookie. Rate limited. */
export const login: Endpoint<unknown, unknown, LoginRequest, Me> = {
  id: 'login',
  method: 'POST',
  path: '/api/auth/login',
  tag: 'auth',
  summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token',
  permission: 'anyone (failed attempts are rate limited per user name and address)',
  authenticated: false,
  body: LoginRequestSchema,
  response: MeSchema,
  status: 200,
};

/** End the session. */
export const logout: Endpoint = {
  id: 'logout',
  method: 'POST',
  path: '/api/auth/logout',
  tag: 'auth',
  summary: 'Log out: the session is deleted and the cookie cleared',
  permission: 'any authenticated user',
  authenticated: true,
  status: 204,
};

/** The current user. */
export const getMe: Endpoint<unknown, unknown, unknown, Me> = {
  id: 'getMe',
  method: 'GET',
  path: '/api/me',
  tag: 'auth',
  summary: 'The current user, memberships, active study and CSRF token',
  permission: 'any authenticated user',
  authenticated: true,
  response: MeSchema,
  status: 200,
};

/** Switch the active study of the session. */
export const setActiveStudy: Endpoint<unknown, unknown, ActiveStudyRequest, Me> = {
  id: 'setActiveStudy',
  method: 'PUT',
  path: '/api/me/active-study',
  tag: 'auth',
  summary: 'Switch the active study of the session',
  permission: 'a member of the study (or a system administrator)',
  authenticated: true,
  body: ActiveStudyRequestSchema,
  response: MeSchema,
  status: 200,
};

/** List the user's API tokens. */
export const listApiTokens: Endpoint<unknown, unknown, unknown, ApiTokenView[]> = {
  id: 'listApiTokens',
  method: 'GET',
  path: '/api/tokens',
  tag: 'auth',
  summary: "The current user's personal API tokens",
  permission: 'any authenticated user (own tokens only)',
  authenticated: true,
  response: z.array(ApiTokenViewSchema),
  status: 200,
};

/** Create a personal API token. */
export const createApiToken: Endpoint<unknown, unknown, CreateApiTokenRequest, ApiTokenCreated> = {
  id: 'createApiToken',
  method: 'POST',
  path: '/api/tokens',
  tag: 'auth',
  summary: 'Create a personal API token for the command line; the secret is returned once',
  permission: 'any authenticated user',
  authenticated: true,
  body: CreateApiTokenRequestSchema,
  response: ApiTokenCreatedSchema,
  status: 201,
};

/** Revoke a personal API token. */
export const revokeApiToken: Endpoint<TokenParams> = {
  id: 'revokeApiToken',
  method: 'DELETE',
  path: '/api/tokens/:tokenId',
  tag: 'auth',
  summary: 'Revoke one of your API tokens',
  permission: 'the token owner',
  authenticated: true,
  params: z.object({ tokenId: Id }),
  status: 204,
};

/** Body of `POST /api/me/password`. */
export interface ChangePasswordRequest {
  currentPassword: string;
  /** At least 12 characters. */
  newPassword: string;
}
/** Schema of {@link ChangePasswordRequest}. */
export const ChangePasswordRequestSchema: z.ZodType<ChangePasswordRequest> = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(12).max(1000),
});

/** Change one's own password (demo users get a one-time password to replace). */
export const changePassword: Endpoint<unknown, unknown, ChangePasswordRequest> = {
  id: 'changePassword',
  method: 'POST',
  path: '/api/me/password',
  tag: 'auth',
  summary: "Change one's password; the user's other sessions end",
  permission: 'any user logged in with a session (failed attempts count towards the login rate limit)',
  authenticated: true,
  body: ChangePasswordRequestSchema,
  status: 204,
};
