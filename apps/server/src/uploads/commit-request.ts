import { ApiError, type CommitError, type CommitState, type UploadCommitStatus } from '@courier/api';
import type { Kysely } from 'kysely';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import { countValue } from '../database/dialect.js';
import type { Database, UploadCommitTable, UploadSessionTable } from '../database/schema.js';
import { slotParameters } from './slot-parameters.js';

/**
 * The states of a commit job that a Portal instance is (or should be) working on: housekeeping
 * keeps such a session open and its staging in place, and a repeated commit request answers the
 * job instead of starting another.
 *
 * @example
 * db.selectFrom('uploadCommits').where('state', 'in', ACTIVE_COMMIT_STATES);
 */
export const ACTIVE_COMMIT_STATES: readonly ['queued', 'storing', 'verifying', 'assigning'] = [
  'queued',
  'storing',
  'verifying',
  'assigning',
];

/**
 * The API view of a commit job row.
 *
 * @example
 * const commit = toCommitState(row); // { state: 'storing', stored: 500, total: 2000, … }
 */
export function toCommitState(row: UploadCommitTable): CommitState {
  return {
    state: row.state,
    overwrite: Number(row.overwrite) === 1,
    stored: Number(row.stored),
    total: Number(row.total),
    attempts: Number(row.attempts),
    requestedAt: row.requestedAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
    error: row.errorJson === null ? null : (JSON.parse(row.errorJson) as CommitError),
  };
}

/**
 * The commit job of a session, or undefined before the first commit request.
 *
 * @example
 * const job = await findCommit(db, uploadId);
 */
export async function findCommit(db: Kysely<Database>, uploadId: string): Promise<UploadCommitTable | undefined> {
  return db.selectFrom('uploadCommits').selectAll().where('uploadId', '=', uploadId).executeTakeFirst();
}

/**
 * What the commit endpoints answer for a session: its status and its commit job.
 *
 * @example
 * return commitStatus(db, row);
 */
export async function commitStatus(db: Kysely<Database>, row: UploadSessionTable): Promise<UploadCommitStatus> {
  const job = await findCommit(db, row.id);
  // Read after the job: a job seen done has committed its session in the same transaction.
  const session = await db.selectFrom('uploadSessions').select('status').where('id', '=', row.id).executeTakeFirst();
  const status = row.status === 'expired' ? row.status : (session?.status ?? row.status);
  return { uploadId: row.id, status, commit: job === undefined ? null : toCommitState(job) };
}

/**
 * Per-state instance counts of a session, counted by the database (a 100,000-instance manifest is
 * not loaded for this).
 */
async function instanceCounts(
  db: Kysely<Database>,
  uploadId: string,
): Promise<{ pending: number; stored: number; rejected: number }> {
  const rows = await db
    .selectFrom('uploadInstances')
    .select((eb) => ['state', eb.fn.countAll().as('n')])
    .where('uploadId', '=', uploadId)
    .groupBy('state')
    .execute();
  const counts = { pending: 0, stored: 0, rejected: 0 };
  for (const row of rows) counts[row.state] = countValue(row.n as string | number);
  return counts;
}

/**
 * Accepts a commit request (POST commit, answered 202): what needs no DICOM store is checked now —
 * the creator commits (403 FORBIDDEN), the session is open (409 UPLOAD_CLOSED), every manifest
 * instance is stored and valid (409 UPLOAD_INCOMPLETE), a filled slot needs `overwrite` (409
 * SLOT_FILLED) — and then a commit job is queued for the commit runners (commit-runner.ts). The
 * job is keyed by the session: while one is queued or running, or once it is done, a repeated
 * request answers it and starts nothing; after a failed job a new request queues it again. The
 * session's expiry moves on by the upload TTL, and housekeeping leaves a session with an active
 * job alone, so the staging the job reads cannot disappear under it.
 *
 * @example
 * const status = await requestCommit(db, config, now, principal, row, { overwrite: false });
 */
export async function requestCommit(
  db: Kysely<Database>,
  config: ServerConfig,
  now: Date,
  principal: Principal,
  row: UploadSessionTable,
  options: { overwrite: boolean },
): Promise<UploadCommitStatus> {
  if (row.createdBy !== principal.userId)
    throw new ApiError('FORBIDDEN', 'only the user who opened the session commits it');
  const existing = await findCommit(db, row.id);
  if (row.status === 'committed' || (existing !== undefined && existing.state !== 'failed')) {
    return commitStatus(db, row);
  }
  if (row.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
  const counts = await instanceCounts(db, row.id);
  const total = counts.pending + counts.stored + counts.rejected;
  if (row.studyInstanceUid === null || total === 0 || counts.pending > 0 || counts.rejected > 0) {
    throw new ApiError('UPLOAD_INCOMPLETE', undefined, {
      details: { manifest: row.studyInstanceUid !== null, instances: total, ...counts },
    });
  }
  const slot = await slotParameters(db, config, {
    studyId: row.studyId,
    subjectId: row.subjectId,
    eventId: row.scheduledEventId,
    slotDefinitionId: row.slotDefinitionId,
  });
  // Checked before queuing (cheap refusal) and again in the assignment transaction (a concurrent
  // commit to the same slot may fill it meanwhile).
  if (slot.currentValue !== null && !options.overwrite) throw slotFilled();
  const at = now.toISOString();
  const fresh = {
    state: 'queued' as const,
    overwrite: options.overwrite ? 1 : 0,
    actorJson: JSON.stringify(actorOf(principal)),
    leaseOwner: null,
    leaseUntil: null,
    stored: 0,
    total,
    errorJson: null,
    requestedAt: at,
    updatedAt: at,
    finishedAt: null,
  };
  await db.transaction().execute(async (trx) => {
    if (existing === undefined) {
      // Two requests racing: the primary key lets one insert win; the other answers its job.
      await trx
        .insertInto('uploadCommits')
        .values({ uploadId: row.id, attempts: 0, ...fresh })
        .onConflict((oc) => oc.column('uploadId').doNothing())
        .execute();
    } else {
      await trx
        .updateTable('uploadCommits')
        .set({ ...fresh, attempts: 0 })
        .where('uploadId', '=', row.id)
        .where('state', '=', 'failed')
        .execute();
    }
    await trx
      .updateTable('uploadSessions')
      .set({ expiresAt: new Date(now.getTime() + config.uploadTtlMs).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .execute();
  });
  return commitStatus(db, row);
}

/**
 * The SLOT_FILLED refusal with its hint.
 *
 * @example
 * if (current !== undefined && !overwrite) throw slotFilled();
 */
export function slotFilled(): ApiError {
  return new ApiError('SLOT_FILLED', undefined, { details: { hint: 'send { "overwrite": true } to replace it' } });
}
