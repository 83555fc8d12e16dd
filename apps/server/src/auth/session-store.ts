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
 * Looks a session up by its cookie token; expired rows are deleted and reported as `expired`.
 *
 * @example
 * const found = await findSession(db, cookieToken, now);
 * if (found.state !== 'active') throw new ApiError('SESSION_EXPIRED');
 */
export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ state: 'active'; row: SessionTable } | { state: 'expired' | 'unknown' }> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', tokenHash(token)).executeTakeFirst();
  if (row === undefined) return { state: 'unknown' };
  if (row.expiresAt <= now.toISOString()) {
    await db.deleteFrom('sessions').where('id', '=', row.id).execute();
    return { state: 'expired' };
  }
  return { state: 'active', row };
}

/**
 * Extends a session's idle timeout from `now` (called on every authenticated request).
 *
 * @example
 * const expiresAt = await touchSession(db, row.id, now, config.sessionIdleMs);
 */
export async function touchSession(db: Kysely<Database>, id: string, now: Date, idleMs: number): Promise<string> {
  const expiresAt = new Date(now.getTime() + idleMs).toISOString();
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
