import type { Kysely } from 'kysely';
import { purgeExpiredSessions } from './auth/session-store.js';
import type { Database } from './database/schema.js';

/** What one housekeeping pass removed or closed. */
export interface HousekeepingResult {
  sessionsPurged: number;
  uploadsExpired: number;
}

/**
 * Deletes expired login sessions and marks open upload sessions past their expiry as expired.
 * Lookups already treat both as ended; this keeps the tables small and the state explicit.
 * (Cleaning the staging files of expired uploads comes with batches.)
 *
 * @example
 * const { sessionsPurged } = await housekeeping(db, new Date());
 */
export async function housekeeping(db: Kysely<Database>, now: Date): Promise<HousekeepingResult> {
  const sessionsPurged = await purgeExpiredSessions(db, now);
  const expired = await db
    .updateTable('uploadSessions')
    .set({ status: 'expired' })
    .where('status', '=', 'open')
    .where('expiresAt', '<=', now.toISOString())
    .executeTakeFirst();
  return { sessionsPurged, uploadsExpired: Number(expired.numUpdatedRows) };
}

/** How often the Portal runs {@link housekeeping}. */
export const HOUSEKEEPING_INTERVAL_MS: number = 10 * 60_000;
