import type { Me } from '@courier/api';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { Principal } from './principal.js';

/**
 * The `Me` answer for a principal: the user, its memberships and the session's active study.
 *
 * @example
 * return loadMe(db, principal);
 */
export async function loadMe(db: Kysely<Database>, principal: Principal): Promise<Me> {
  const memberships = await db
    .selectFrom('memberships')
    .select(['id', 'studyId', 'role', 'siteId'])
    .where('userId', '=', principal.userId)
    .orderBy('studyId')
    .orderBy('role')
    .execute();
  return {
    user: {
      id: principal.userId,
      username: principal.username,
      displayName: principal.displayName,
      systemAdmin: principal.systemAdmin,
    },
    memberships: memberships.map((m) => ({ membershipId: m.id, studyId: m.studyId, role: m.role, siteId: m.siteId })),
    activeStudyId: principal.session?.activeStudyId ?? null,
    csrfToken: principal.session?.csrfToken ?? null,
    sessionExpiresAt: principal.session?.expiresAt ?? null,
    authenticatedBy: principal.via,
  };
}
