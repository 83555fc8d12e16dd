import { randomUUID } from 'node:crypto';
import {
  ApiError,
  type ApiTokenView,
  changePassword,
  createApiToken,
  getMe,
  listApiTokens,
  login,
  logout,
  revokeApiToken,
  setActiveStudy,
} from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { loadStudyAccess } from '../access/study-access.js';
import { appendAudit } from '../audit/audit-log.js';
import type { AppContext } from '../context.js';
import type { ApiTokenTable } from '../database/schema.js';
import { publicRoute, route } from '../http/route.js';
import { clearSessionCookies, setSessionCookies } from './cookies.js';
import { checkLoginRateLimit, LOGIN_FAILED, LOGIN_SUCCEEDED } from './login-rate-limit.js';
import { loadMe } from './me.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password.js';
import { actorOf } from './principal.js';
import { newSecretToken, tokenHash } from './secret-token.js';
import { createSession } from './session-store.js';

function toTokenView(row: ApiTokenTable): ApiTokenView {
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

/**
 * Login, logout, the current user, the active study and personal API tokens.
 *
 * @example
 * await app.register(authPlugin, { context });
 */
export async function authPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
  const { db, config } = context;

  publicRoute(app, login, async ({ body, request, reply }) => {
    const username = body.username.trim().toLowerCase();
    await checkLoginRateLimit(context, username, request.ip);
    const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    // Verify against a dummy hash for unknown names so the answer time does not reveal which exist.
    const valid = await verifyPassword(body.password, user?.passwordHash ?? (await DUMMY_PASSWORD_HASH));
    const now = context.clock();
    if (user === undefined || !valid || user.disabled !== 0) {
      await appendAudit(db, now, { userId: user?.id ?? null, username, ip: request.ip }, { action: LOGIN_FAILED });
      throw new ApiError('INVALID_CREDENTIALS');
    }
    const firstStudy = await db
      .selectFrom('memberships')
      .innerJoin('studies', 'studies.id', 'memberships.studyId')
      .select('studies.id')
      .where('memberships.userId', '=', user.id)
      .orderBy('studies.identifier')
      .executeTakeFirst();
    const session = await createSession(db, user.id, firstStudy?.id ?? null, now, config.sessionIdleMs, request.ip);
    await appendAudit(db, now, { userId: user.id, username, ip: request.ip }, { action: LOGIN_SUCCEEDED });
    setSessionCookies(reply, session.token, session.row.csrfToken, config.secureCookies);
    return loadMe(db, {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      systemAdmin: user.systemAdmin === 1,
      via: 'session',
      session: {
        id: session.row.id,
        csrfToken: session.row.csrfToken,
        activeStudyId: session.row.activeStudyId,
        expiresAt: session.row.expiresAt,
      },
      tokenId: null,
      ip: request.ip,
    });
  });

  route(app, context, logout, async (principal, { reply }) => {
    if (principal.session !== null) await db.deleteFrom('sessions').where('id', '=', principal.session.id).execute();
    await appendAudit(db, context.clock(), actorOf(principal), { action: 'auth.logout' });
    clearSessionCookies(reply, config.secureCookies);
    return undefined;
  });

  route(app, context, getMe, async (principal) => loadMe(db, principal));

  route(app, context, setActiveStudy, async (principal, { body }) => {
    if (principal.session === null) {
      throw new ApiError('VALIDATION_FAILED', 'token-authenticated requests name the study in the path');
    }
    await loadStudyAccess(db, principal, body.studyId);
    await db
      .updateTable('sessions')
      .set({ activeStudyId: body.studyId })
      .where('id', '=', principal.session.id)
      .execute();
    return loadMe(db, { ...principal, session: { ...principal.session, activeStudyId: body.studyId } });
  });

  route(app, context, changePassword, async (principal, { body, request }) => {
    // A token (a script's credential) must not be able to take over the account.
    if (principal.session === null) throw new ApiError('FORBIDDEN', 'change the password from a login session');
    const session = principal.session;
    await checkLoginRateLimit(context, principal.username, request.ip);
    const user = await db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', principal.userId)
      .executeTakeFirstOrThrow();
    const now = context.clock();
    if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
      await appendAudit(db, now, actorOf(principal), { action: LOGIN_FAILED, details: { during: 'password change' } });
      throw new ApiError('INVALID_CREDENTIALS', 'the current password is wrong');
    }
    const passwordHash = await hashPassword(body.newPassword);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ passwordHash }).where('id', '=', principal.userId).execute();
      await trx.deleteFrom('sessions').where('userId', '=', principal.userId).where('id', '!=', session.id).execute();
      await appendAudit(trx, now, actorOf(principal), { action: 'auth.password_changed' });
    });
    return undefined;
  });

  route(app, context, listApiTokens, async (principal) => {
    const rows = await db
      .selectFrom('apiTokens')
      .selectAll()
      .where('userId', '=', principal.userId)
      .orderBy('createdAt')
      .execute();
    return rows.map(toTokenView);
  });

  route(app, context, createApiToken, async (principal, { body }) => {
    const now = context.clock();
    const token = newSecretToken('courier_pat_');
    const row: ApiTokenTable = {
      id: randomUUID(),
      userId: principal.userId,
      name: body.name,
      tokenHash: tokenHash(token),
      createdAt: now.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('apiTokens').values(row).execute();
      await appendAudit(trx, now, actorOf(principal), {
        action: 'token.created',
        targetType: 'api_token',
        targetId: row.id,
        details: { name: row.name },
      });
    });
    return { ...toTokenView(row), token };
  });

  route(app, context, revokeApiToken, async (principal, { params }) => {
    const now = context.clock();
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('apiTokens')
        .select(['id', 'revokedAt'])
        .where('id', '=', params.tokenId)
        .where('userId', '=', principal.userId)
        .executeTakeFirst();
      if (row === undefined) throw new ApiError('NOT_FOUND', 'no such token of yours');
      if (row.revokedAt !== null) return;
      await trx.updateTable('apiTokens').set({ revokedAt: now.toISOString() }).where('id', '=', row.id).execute();
      await appendAudit(trx, now, actorOf(principal), {
        action: 'token.revoked',
        targetType: 'api_token',
        targetId: row.id,
      });
    });
    return undefined;
  });
}
