import { ApiError, type UploadSession } from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import type { Database, UploadInstanceTable, UploadSessionTable } from '../database/schema.js';
import { enqueueUploadMail } from '../notifications/enqueue.js';
import { currentSlotValue, moveToHistory } from '../slots/slot-value.js';
import { recordCommittedStudy } from '../slots/stored-study-catalogue.js';
import type { DicomStore, InstanceKey, PutResult, StagedInstance } from '../storage/dicom-store.js';
import { checkInstance } from './instance-check.js';
import { slotParameters } from './slot-parameters.js';
import { removeStaging, stagedPath, stagingDir } from './staging.js';
import { uploadView } from './upload-service.js';

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

/**
 * Commits an open session (issue 6, upload sessions step 4): every manifest instance must be
 * stored (else 409 UPLOAD_INCOMPLETE); the staged files go into the DICOM store in one `putMany`
 * and each is proven there by size and SHA-256 against what the batch received, then found in the
 * study's listing (else 502 STORE_VERIFY_FAILED; see {@link DicomStore} for what proof means); then
 * one database transaction assigns the Study Instance UID to the slot, moves a previous value to
 * the slot history (only with `overwrite`, else 409 SLOT_FILLED), marks the session committed
 * and appends the audit records. Any failure before that transaction leaves the slot and the
 * session as they were, staging included, so the same commit can be retried; instances already
 * put in the store are harmless (a retry puts the same bytes again). Committing a committed
 * session again answers it unchanged, so a client whose connection dropped can ask again.
 *
 * @example
 * const session = await commitSession(db, config, store, now, principal, row, { overwrite: false });
 */
export async function commitSession(
  db: Kysely<Database>,
  config: ServerConfig,
  store: DicomStore,
  now: Date,
  principal: Principal,
  row: UploadSessionTable,
  options: { overwrite: boolean },
): Promise<UploadSession> {
  if (row.createdBy !== principal.userId)
    throw new ApiError('FORBIDDEN', 'only the user who opened the session commits it');
  if (row.status === 'committed') return uploadView(db, config, row);
  if (row.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
  const studyInstanceUid = row.studyInstanceUid;
  const instances = await db.selectFrom('uploadInstances').selectAll().where('uploadId', '=', row.id).execute();
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
  // Checked before storing anything (cheap refusal), and again inside the transaction (a
  // concurrent commit to the same slot may have filled it meanwhile).
  if (slot.currentValue !== null && !options.overwrite) throw slotFilled();

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
  await storeAndVerify(store, dir, studyInstanceUid, instances);
  summary.modalities = [...modalities].sort();
  summary.seriesCount = new Set(instances.map((i) => i.seriesInstanceUid)).size;

  const actor = actorOf(principal);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const session = await trx.selectFrom('uploadSessions').select('status').where('id', '=', row.id).executeTakeFirst();
    if (session?.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
    const current = await currentSlotValue(trx, row.scheduledEventId, row.slotDefinitionId);
    if (current !== undefined) {
      if (!options.overwrite) throw slotFilled();
      await moveToHistory(trx, current, { at, by: principal.userId, action: 'replaced', reason: null });
    }
    await trx
      .insertInto('slotValues')
      .values({
        scheduledEventId: row.scheduledEventId,
        slotDefinitionId: row.slotDefinitionId,
        studyInstanceUid,
        assignedAt: at,
        assignedBy: principal.userId,
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
  return uploadView(db, config, { ...row, status: 'committed' });
}

/**
 * Puts the staged instances into the store in one `putMany` (batched, bounded concurrency) with
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
): Promise<void> {
  const staged: StagedInstance[] = instances.map((instance) => ({
    key: { studyInstanceUid, seriesInstanceUid: instance.seriesInstanceUid, sopInstanceUid: instance.sopInstanceUid },
    path: stagedPath(dir, instance.sopInstanceUid),
    size: Number(instance.storedSize),
    sha256: instance.storedSha256 ?? '',
  }));
  let results: PutResult[];
  let present: InstanceKey[];
  try {
    results = await store.putMany(staged);
    present = await store.listKeys(studyInstanceUid);
  } catch (error) {
    throw new ApiError('STORE_VERIFY_FAILED', 'the DICOM store did not accept the study', {
      details: { reason: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
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
  const where = new Map(present.map((key) => [key.sopInstanceUid, key.seriesInstanceUid]));
  const lost = staged.find((item) => where.get(item.key.sopInstanceUid) !== item.key.seriesInstanceUid);
  if (lost !== undefined) {
    throw new ApiError('STORE_VERIFY_FAILED', undefined, {
      details: { sopInstanceUid: lost.key.sopInstanceUid, reason: 'not listed in the study after storing' },
    });
  }
}

function slotFilled(): ApiError {
  return new ApiError('SLOT_FILLED', undefined, { details: { hint: 'send { "overwrite": true } to replace it' } });
}
