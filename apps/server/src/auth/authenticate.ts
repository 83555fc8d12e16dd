import { ApiError } from '@courier/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { CSRF_HEADER, SESSION_COOKIE } from './cookies.js';
import type { Principal } from './principal.js';
import { sameSecret, tokenHash } from './secret-token.js';
import { findSession, sessionMaxEnd, touchSession } from './session-store.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function fromBearer(context: AppContext, request: FastifyRequest, token: string): Promise<Principal> {
  const now = context.clock();
  const row = await context.db
    .selectFrom('apiTokens')
    .innerJoin('users', 'users.id', 'apiTokens.userId')
    .select(['apiTokens.id as tokenId', 'apiTokens.revokedAt', 'users.id as userId', 'users.username'])
    .select(['users.displayName', 'users.systemAdmin', 'users.disabled'])
    .where('apiTokens.tokenHash', '=', tokenHash(token))
    .executeTakeFirst();
  if (row === undefined || row.revokedAt !== null || row.disabled !== 0) throw new ApiError('TOKEN_INVALID');
  await context.db
    .updateTable('apiTokens')
    .set({ lastUsedAt: now.toISOString() })
    .where('id', '=', row.tokenId)
    .execute();
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    systemAdmin: row.systemAdmin === 1,
    via: 'token',
    session: null,
    tokenId: row.tokenId,
    ip: request.ip,
  };
}

async function fromCookie(context: AppContext, request: FastifyRequest, token: string): Promise<Principal> {
  const now = context.clock();
  const found = await findSession(context.db, token, now, context.config.sessionMaxMs);
  // An unknown token is reported like an expired one: the cookie names a session that ended
  // (logged out elsewhere, purged), and the client's remedy is the same — log in and resume.
  // details.reason says which (idle, max-age, ended), machine-readable for the client.
  if (found.state !== 'active') throw new ApiError('SESSION_EXPIRED', undefined, { details: { reason: found.reason } });
  const { row } = found;
  const user = await context.db.selectFrom('users').selectAll().where('id', '=', row.userId).executeTakeFirst();
  if (user === undefined || user.disabled !== 0) {
    throw new ApiError('SESSION_EXPIRED', undefined, { details: { reason: 'ended' } });
  }
  // CSRF (OWASP double-submit, checked against the token stored with the session): a state
  // change made with the cookie must repeat the session's CSRF token in a header, which a
  // cross-site form or image cannot set.
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !sameSecret(header, row.csrfToken)) throw new ApiError('CSRF_INVALID');
  }
  const expiresAt = await touchSession(
    context.db,
    row.id,
    now,
    context.config.sessionIdleMs,
    sessionMaxEnd(row, context.config.sessionMaxMs),
  );
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    systemAdmin: user.systemAdmin === 1,
    via: 'session',
    session: { id: row.id, csrfToken: row.csrfToken, activeStudyId: row.activeStudyId, expiresAt },
    tokenId: null,
    ip: request.ip,
  };
}

/**
 * Authenticates a request: `Authorization: Bearer <personal API token>` first, else the session
 * cookie. Throws AUTH_REQUIRED (neither), TOKEN_INVALID, SESSION_EXPIRED or CSRF_INVALID.
 *
 * @example
 * const principal = await authenticate(context, request, reply);
 */
export async function authenticate(
  context: AppContext,
  request: FastifyRequest,
  _reply: FastifyReply,
): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match === null) throw new ApiError('TOKEN_INVALID', 'expected "Authorization: Bearer <token>"');
    return fromBearer(context, request, match[1]!);
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie !== undefined && cookie !== '') return fromCookie(context, request, cookie);
  throw new ApiError('AUTH_REQUIRED');
}
