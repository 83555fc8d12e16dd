import { ApiError, type CommitError } from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { ServerConfig } from '../config.js';
import type { Actor, Clock } from '../context.js';
import type { Database, UploadCommitTable, UploadInstanceTable, UploadSessionTable } from '../database/schema.js';
import { enqueueUploadMail } from '../notifications/enqueue.js';
import { currentSlotValue, moveToHistory } from '../slots/slot-value.js';
import { recordCommittedStudy } from '../slots/stored-study-catalogue.js';
import type { DicomStore, InstanceKey, PutResult, StagedInstance } from '../storage/dicom-store.js';
import { type CommitLease, CommitLeaseLost } from './commit-lease.js';
import { slotFilled } from './commit-request.js';
import { checkInstance } from './instance-check.js';
import { slotParameters } from './slot-parameters.js';
import { removeStaging, stagedPath, stagingDir } from './staging.js';

/** What the slot value shows of the committed study, gathered from the stored instances. */
export interface StudySummary {
  /** YYYY-MM-DD from Study Date (0008,0020) of the first instance (de-identified as stored), or null. */
  studyDate: string | null;
  modalities: string[];
  seriesCount: number;
  instanceCount: number;
}

function isoDate(da: string | null): string | null {
  return da === null ? null : `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
}

/** Instances handed to the store per `putMany` call: the progress (and lease renewal) step. */
const STORE_CHUNK = 500;

/** Instance rows read per query when a job loads its manifest. */
const LOAD_PAGE = 5000;

/**
 * The manifest rows of a session, read in pages by SOP Instance UID (keyset: the same collation
 * orders and compares, on SQLite and PostgreSQL) with a turn of the event loop between pages: a
 * synchronous SQLite read of 100,000 rows would otherwise stall every other request of this Portal
 * instance for a second or more (longer on a loaded machine).
 */
async function loadInstances(db: Kysely<Database>, uploadId: string): Promise<UploadInstanceTable[]> {
  const all: UploadInstanceTable[] = [];
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('uploadInstances')
      .selectAll()
      .where('uploadId', '=', uploadId)
      .where('sopInstanceUid', '>', after)
      .orderBy('sopInstanceUid')
      .limit(LOAD_PAGE)
      .execute();
    for (const row of page) all.push(row);
    const last = page.at(-1);
    if (page.length < LOAD_PAGE || last === undefined) return all;
    after = last.sopInstanceUid;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Claims of one job after which it fails rather than being taken over again. */
const MAX_COMMIT_ATTEMPTS = 5;

/**
 * Runs a claimed commit job (issue 6, upload sessions step 4; run by commit-runner.ts in whichever
 * Portal instance claimed it): every manifest instance must be stored (else UPLOAD_INCOMPLETE); the
 * staged files go into the DICOM store with `putMany`, {@link STORE_CHUNK} at a time with the
 * progress written to the job, and each is proven there by size and SHA-256 against what the
 * batch received, then found in the study's listing (else STORE_VERIFY_FAILED; see
 * {@link DicomStore} for what proof means); then one database transaction settles the job as done
 * (only while this runner holds its lease), assigns the Study Instance UID to the slot, moves a
 * previous value to the slot history (only with `overwrite`, else SLOT_FILLED), marks the session
 * committed, queues the mails and appends the audit records — so they happen exactly once however
 * often the job was taken over. A refusal or failure settles the job as failed with its error
 * (and an `upload.commit_refused` audit record, in the same transaction) and leaves the slot and
 * the session as they were, staging included, so the session can be committed again. Storing is
 * idempotent: a runner that takes over an abandoned job puts the same bytes again and re-verifies.
 *
 * @example
 * await executeCommit(db, config, store, clock, job, lease);
 */
export async function executeCommit(
  db: Kysely<Database>,
  config: ServerConfig,
  store: DicomStore,
  clock: Clock,
  job: UploadCommitTable,
  lease: CommitLease,
): Promise<void> {
  const actor = JSON.parse(job.actorJson) as Actor;
  const row = await db.selectFrom('uploadSessions').selectAll().where('id', '=', job.uploadId).executeTakeFirst();
  try {
    if (row === undefined) throw new ApiError('NOT_FOUND', 'no such upload session');
    // A job that keeps losing its runner (a study that crashes the process, say) ends instead of
    // being taken over for ever; the session can be committed again once the cause is fixed.
    if (Number(job.attempts) > MAX_COMMIT_ATTEMPTS) {
      throw new ApiError('INTERNAL_ERROR', `the commit was interrupted ${MAX_COMMIT_ATTEMPTS} times`, {
        details: { attempts: Number(job.attempts) - 1 },
      });
    }
    await commitClaimed(db, config, store, clock, row, actor, Number(job.overwrite) === 1, lease);
  } catch (error) {
    if (error instanceof CommitLeaseLost) return;
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), { cause: error });
    const failure: CommitError = {
      code: apiError.code,
      message: apiError.message,
      ...(apiError.details === undefined ? {} : { details: apiError.details }),
    };
    const now = clock();
    try {
      await db.transaction().execute(async (trx) => {
        await lease.settle(trx, { state: 'failed', errorJson: JSON.stringify(failure) });
        if (row !== undefined) {
          // A refused or failed commit changes nothing but is worth an audit record (issue 6:
          // upload sessions created/committed/failed).
          await appendAudit(trx, now, actor, {
            action: 'upload.commit_refused',
            studyId: row.studyId,
            targetType: 'upload',
            targetId: row.id,
            details: { code: failure.code, ...(typeof failure.details === 'object' ? failure.details : {}) },
          });
        }
      });
    } catch (settleError) {
      if (!(settleError instanceof CommitLeaseLost)) throw settleError;
    }
  }
}

async function commitClaimed(
  db: Kysely<Database>,
  config: ServerConfig,
  store: DicomStore,
  clock: Clock,
  row: UploadSessionTable,
  actor: Actor,
  overwrite: boolean,
  lease: CommitLease,
): Promise<void> {
  if (row.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
  const studyInstanceUid = row.studyInstanceUid;
  const instances = await loadInstances(db, row.id);
  const pending = instances.filter((i) => i.state === 'pending').length;
  const rejected = instances.filter((i) => i.state === 'rejected').length;
  if (studyInstanceUid === null || instances.length === 0 || pending > 0 || rejected > 0) {
    throw new ApiError('UPLOAD_INCOMPLETE', undefined, {
      details: { manifest: studyInstanceUid !== null, instances: instances.length, pending, rejected },
    });
  }
  const slotIds = {
    studyId: row.studyId,
    subjectId: row.subjectId,
    eventId: row.scheduledEventId,
    slotDefinitionId: row.slotDefinitionId,
  };
  const slot = await slotParameters(db, config, slotIds);
  if (slot.currentValue !== null && !overwrite) throw slotFilled();

  const dir = stagingDir(config, row.id);
  const summary: StudySummary = { studyDate: null, modalities: [], seriesCount: 0, instanceCount: instances.length };
  const modalities = new Set<string>();
  for (const instance of instances) if (instance.modality !== null) modalities.add(instance.modality);
  const first = instances[0];
  if (first !== undefined) {
    // The study date as stored (shifted or removed per the study's date handling): a header read.
    const check = await checkInstance(
      stagedPath(dir, first.sopInstanceUid),
      Number(first.storedSize),
      slot,
      studyInstanceUid,
    );
    summary.studyDate = isoDate(check.facts?.studyDate ?? null);
  }
  await lease.progress({ state: 'storing', stored: 0 });
  await storeAndVerify(store, dir, studyInstanceUid, instances, lease);
  summary.modalities = [...modalities].sort();
  summary.seriesCount = new Set(instances.map((i) => i.seriesInstanceUid)).size;
  await lease.progress({ state: 'assigning' });

  const userId = actor.userId ?? row.createdBy;
  const now = clock();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    // First: the job is settled only by the runner holding it (this also locks its row on
    // PostgreSQL), so the assignment, mails and audit records below happen exactly once.
    await lease.settle(trx, { state: 'done', stored: instances.length });
    const session = await trx.selectFrom('uploadSessions').select('status').where('id', '=', row.id).executeTakeFirst();
    if (session?.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
    const current = await currentSlotValue(trx, row.scheduledEventId, row.slotDefinitionId);
    if (current !== undefined) {
      if (!overwrite) throw slotFilled();
      await moveToHistory(trx, current, { at, by: userId, action: 'replaced', reason: null });
    }
    await trx
      .insertInto('slotValues')
      .values({
        scheduledEventId: row.scheduledEventId,
        slotDefinitionId: row.slotDefinitionId,
        studyInstanceUid,
        assignedAt: at,
        assignedBy: userId,
        uploadId: row.id,
        studyDate: summary.studyDate,
        modalitiesJson: JSON.stringify(summary.modalities),
        seriesCount: summary.seriesCount,
        instanceCount: summary.instanceCount,
      })
      .execute();
    // The stored-study catalogue (slot management, issue 11) commits with the slot value.
    await recordCommittedStudy(trx, { ...slotIds, uploadId: row.id, studyInstanceUid, stagingDir: dir, instances, at });
    await trx.updateTable('uploadSessions').set({ status: 'committed' }).where('id', '=', row.id).execute();
    // The notification is queued in this transaction: it exists exactly when the assignment does.
    await enqueueUploadMail(trx, config, now, {
      kind: current === undefined ? 'slot.assigned' : 'slot.overwritten',
      upload: row,
      studyInstanceUid,
      previousStudyInstanceUid: current?.studyInstanceUid ?? null,
      seriesCount: summary.seriesCount,
      instanceCount: summary.instanceCount,
    });
    await appendAudit(trx, now, actor, {
      action: current === undefined ? 'slot.assigned' : 'slot.overwritten',
      studyId: row.studyId,
      targetType: 'slot',
      targetId: `${row.scheduledEventId}/${row.slotDefinitionId}`,
      details: {
        subjectId: row.subjectId,
        uploadId: row.id,
        studyInstanceUid,
        ...(current === undefined ? {} : { previousStudyInstanceUid: current.studyInstanceUid }),
      },
    });
    await appendAudit(trx, now, actor, {
      action: 'upload.committed',
      studyId: row.studyId,
      targetType: 'upload',
      targetId: row.id,
      details: { ...summary, totalBytes: instances.reduce((n, i) => n + Number(i.storedSize), 0) },
    });
  });
  // The store holds the study now; staging is only a copy. A failure to remove it is cleaned by
  // housekeeping later.
  await removeStaging(config, row.id).catch(() => undefined);
}

/**
 * Puts the staged instances into the store with `putMany` in chunks (each batched, bounded concurrency) with
 * the size and SHA-256 taken when each batch was received — nothing is re-read here — and requires
 * each result to prove exactly those bytes; then lists the study's keys in the store (a directory
 * listing, or QIDO-RS on a PACS) and requires every SOP Instance UID under its series. Any
 * difference is STORE_VERIFY_FAILED naming the first instance, before anything is assigned.
 */
async function storeAndVerify(
  store: DicomStore,
  dir: string,
  studyInstanceUid: string,
  instances: readonly UploadInstanceTable[],
  lease: CommitLease,
): Promise<void> {
  const staged: StagedInstance[] = instances.map((instance) => ({
    key: { studyInstanceUid, seriesInstanceUid: instance.seriesInstanceUid, sopInstanceUid: instance.sopInstanceUid },
    path: stagedPath(dir, instance.sopInstanceUid),
    size: Number(instance.storedSize),
    sha256: instance.storedSha256 ?? '',
  }));
  const storeFailed = (error: unknown) =>
    new ApiError('STORE_VERIFY_FAILED', 'the DICOM store did not accept the study', {
      details: { reason: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  for (let start = 0; start < staged.length; start += STORE_CHUNK) {
    const chunk = staged.slice(start, start + STORE_CHUNK);
    let results: PutResult[];
    try {
      results = await store.putMany(chunk);
    } catch (error) {
      throw storeFailed(error);
    }
    lease.check();
    proveStored(chunk, results);
    await lease.progress({ stored: start + chunk.length });
  }
  await lease.progress({ state: 'verifying' });
  let present: InstanceKey[];
  try {
    present = await store.listKeys(studyInstanceUid);
  } catch (error) {
    throw storeFailed(error);
  }
  lease.check();
  const where = new Map(present.map((key) => [key.sopInstanceUid, key.seriesInstanceUid]));
  const lost = staged.find((item) => where.get(item.key.sopInstanceUid) !== item.key.seriesInstanceUid);
  if (lost !== undefined) {
    throw new ApiError('STORE_VERIFY_FAILED', undefined, {
      details: { sopInstanceUid: lost.key.sopInstanceUid, reason: 'not listed in the study after storing' },
    });
  }
}

/** Each result must prove exactly the staged bytes (size and SHA-256), else STORE_VERIFY_FAILED. */
function proveStored(staged: readonly StagedInstance[], results: readonly PutResult[]): void {
  for (const [index, item] of staged.entries()) {
    const result = results[index];
    const reason =
      result === undefined || result.key.sopInstanceUid !== item.key.sopInstanceUid
        ? 'the store answered for another instance'
        : !result.ok
          ? result.reason
          : result.stored.size !== item.size || result.stored.sha256 !== item.sha256
            ? `the store holds ${result.stored.size} bytes sha256 ${result.stored.sha256}`
            : null;
    if (reason !== null) {
      throw new ApiError('STORE_VERIFY_FAILED', undefined, {
        details: { sopInstanceUid: item.key.sopInstanceUid, reason },
      });
    }
  }
}
