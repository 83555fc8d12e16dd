import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { purgeExpiredSessions } from './auth/session-store.js';
import { stagingRoot } from './config.js';
import type { Database } from './database/schema.js';
import { ACTIVE_COMMIT_STATES } from './uploads/commit-request.js';
import { removeStaging, type StagingLocation } from './uploads/staging.js';

/** What one housekeeping pass removed or closed. */
export interface HousekeepingResult {
  sessionsPurged: number;
  uploadsExpired: number;
  /** Staging folders removed: of sessions no longer open (expired, failed, committed) or unknown. */
  stagingRemoved: number;
}

/**
 * Deletes expired login sessions, marks open upload sessions past their expiry as expired and,
 * given where staging lives (the configuration, so COURIER_STAGING_DIR on shared storage counts, or a
 * data folder meaning `<dataDir>/staging`), removes the staging of every upload session that is not open (issue
 * 6, step 5: abandoned sessions expire and their staging is cleaned; a commit removes its own
 * staging, this catches one that failed to). Lookups already treat expired sessions as ended; this
 * keeps tables and disk small and the state explicit. A session whose commit job is queued or
 * running is neither expired nor cleaned: a commit runner is reading its staging.
 *
 * @example
 * const { sessionsPurged, stagingRemoved } = await housekeeping(db, new Date(), config);
 */
export async function housekeeping(
  db: Kysely<Database>,
  now: Date,
  staging?: StagingLocation,
): Promise<HousekeepingResult> {
  const sessionsPurged = await purgeExpiredSessions(db, now);
  const expired = await db
    .updateTable('uploadSessions')
    .set({ status: 'expired' })
    .where('status', '=', 'open')
    .where('expiresAt', '<=', now.toISOString())
    // A session being committed keeps its staging until its commit job ends (migration 0006).
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('uploadCommits')
            .select('uploadCommits.uploadId')
            .whereRef('uploadCommits.uploadId', '=', 'uploadSessions.id')
            .where('uploadCommits.state', 'in', ACTIVE_COMMIT_STATES),
        ),
      ),
    )
    .executeTakeFirst();
  const stagingRemoved = staging === undefined ? 0 : await cleanStaging(db, staging);
  return { sessionsPurged, uploadsExpired: Number(expired.numUpdatedRows), stagingRemoved };
}

async function cleanStaging(db: Kysely<Database>, staging: StagingLocation): Promise<number> {
  const root = typeof staging === 'string' ? join(staging, 'staging') : stagingRoot(staging);
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const ids = names.filter((name) => /^[0-9a-f-]{36}$/.test(name));
  if (ids.length === 0) return 0;
  const open = new Set(
    (
      await db.selectFrom('uploadSessions').select('id').where('id', 'in', ids).where('status', '=', 'open').execute()
    ).map((r) => r.id),
  );
  let removed = 0;
  for (const id of ids) {
    if (open.has(id)) continue;
    await removeStaging(staging, id);
    removed++;
  }
  return removed;
}

/** How often the Portal runs {@link housekeeping}. */
export const HOUSEKEEPING_INTERVAL_MS: number = 10 * 60_000;
