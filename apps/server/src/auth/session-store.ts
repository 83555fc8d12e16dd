import type { Kysely } from 'kysely';
import type { Database, SessionTable } from '../database/schema.js';
import { newSecretToken, tokenHash } from './secret-token.js';

/** A new session: `token` goes into the cookie and is never stored; the row holds its hash. */
export interface NewSession {
  token: string;
  row: SessionTable;
}

/**
 * Creates a server-side session for a user that ends after `idleMs` without use.
 *
 * @example
 * const { token, row } = await createSession(db, user.id, activeStudyId, now, config.sessionIdleMs, ip);
 */
export async function createSession(
  db: Kysely<Database>,
  userId: string,
  activeStudyId: string | null,
  now: Date,
  idleMs: number,
  ip: string | null,
): Promise<NewSession> {
  const token = newSecretToken();
  const row: SessionTable = {
    id: tokenHash(token),
    userId,
    activeStudyId,
    csrfToken: newSecretToken(),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + idleMs).toISOString(),
    ip,
  };
  await db.insertInto('sessions').values(row).execute();
  return { token, row };
}

/**
 * Why a session no longer authenticates, sent as `details.reason` of 401 SESSION_EXPIRED so a
 * client can tell the user: `idle` (no request for the idle timeout), `max-age` (the absolute
 * lifetime since login, COURIER_SESSION_MAX_HOURS, ran out however active the session was),
 * `ended` (logged out, purged, or never known).
 */
export type SessionEndReason = 'idle' | 'max-age' | 'ended';

/** The absolute end of a session: its login time plus the maximum lifetime. */
export function sessionMaxEnd(row: Pick<SessionTable, 'createdAt'>, maxMs: number): Date {
  return new Date(Date.parse(row.createdAt) + maxMs);
}

/**
 * Looks a session up by its cookie token; a session past its idle expiry or, given `maxMs`, past
 * its absolute lifetime since login is deleted and reported as `expired` with the reason.
 *
 * @example
 * const found = await findSession(db, cookieToken, now, config.sessionMaxMs);
 * if (found.state !== 'active') throw new ApiError('SESSION_EXPIRED', undefined, { details: { reason: found.reason } });
 */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
  maxMs?: number,
): Promise<{ state: 'active'; row: SessionTable } | { state: 'expired' | 'unknown'; reason: SessionEndReason }> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', tokenHash(token)).executeTakeFirst();
  if (row === undefined) return { state: 'unknown', reason: 'ended' };
  // The absolute lifetime is checked first: an active session that also went idle past it reports max-age.
  const reason: SessionEndReason | null =
    maxMs !== undefined && sessionMaxEnd(row, maxMs) <= now
      ? 'max-age'
      : row.expiresAt <= now.toISOString()
        ? 'idle'
        : null;
  if (reason !== null) {
    await db.deleteFrom('sessions').where('id', '=', row.id).execute();
    return { state: 'expired', reason };
  }
  return { state: 'active', row };
}

/**
 * Extends a session's idle timeout from `now` (called on every authenticated request), never past
 * `maxEnd`, the absolute end of the session when given.
 *
 * @example
 * const expiresAt = await touchSession(db, row.id, now, config.sessionIdleMs, sessionMaxEnd(row, config.sessionMaxMs));
 */
export async function touchSession(
  db: Kysely<Database>,
  id: string,
  now: Date,
  idleMs: number,
  maxEnd?: Date,
): Promise<string> {
  const idleEnd = now.getTime() + idleMs;
  const expiresAt = new Date(maxEnd === undefined ? idleEnd : Math.min(idleEnd, maxEnd.getTime())).toISOString();
  await db.updateTable('sessions').set({ lastSeenAt: now.toISOString(), expiresAt }).where('id', '=', id).execute();
  return expiresAt;
}

/**
 * Deletes sessions that expired before `now` (housekeeping; lookups already refuse them).
 *
 * @example
 * await purgeExpiredSessions(db, new Date());
 */
export async function purgeExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expiresAt', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
