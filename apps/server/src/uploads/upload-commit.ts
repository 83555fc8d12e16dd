import { createReadStream } from 'node:fs';
import { ApiError, type UploadSession } from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import type { Database, UploadSessionTable } from '../database/schema.js';
import { recordCommittedStudy } from '../slots/stored-study-catalogue.js';
import type { DicomStore } from '../storage/dicom-store.js';
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
 * stored (else 409 UPLOAD_INCOMPLETE); each staged file goes into the DICOM store and is verified
 * there by size and SHA-256 against what the batch received (else 502 STORE_VERIFY_FAILED); then
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

  const dir = stagingDir(config.dataDir, row.id);
  const summary: StudySummary = { studyDate: null, modalities: [], seriesCount: 0, instanceCount: instances.length };
  const modalities = new Set<string>();
  for (const [index, instance] of instances.entries()) {
    const key = {
      studyInstanceUid,
      seriesInstanceUid: instance.seriesInstanceUid,
      sopInstanceUid: instance.sopInstanceUid,
    };
    const path = stagedPath(dir, instance.sopInstanceUid);
    if (index === 0) {
      // The study date as stored (shifted or removed per the study's date handling).
      const check = await checkInstance(path, Number(instance.storedSize), slot, studyInstanceUid);
      summary.studyDate = isoDate(check.facts?.studyDate ?? null);
    }
    if (instance.modality !== null) modalities.add(instance.modality);
    let put: { size: number; sha256: string };
    let verified: { size: number; sha256: string } | null;
    try {
      put = await store.put(key, createReadStream(path));
      verified = await store.verify(key);
    } catch (error) {
      throw new ApiError('STORE_VERIFY_FAILED', 'the DICOM store did not accept an instance', {
        details: { sopInstanceUid: instance.sopInstanceUid },
        cause: error,
      });
    }
    const expected = { size: Number(instance.storedSize), sha256: instance.storedSha256 };
    for (const got of [put, verified]) {
      if (got === null || got.size !== expected.size || got.sha256 !== expected.sha256) {
        throw new ApiError('STORE_VERIFY_FAILED', undefined, {
          details: { sopInstanceUid: instance.sopInstanceUid },
        });
      }
    }
  }
  summary.modalities = [...modalities].sort();
  summary.seriesCount = new Set(instances.map((i) => i.seriesInstanceUid)).size;

  const actor = actorOf(principal);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const session = await trx.selectFrom('uploadSessions').select('status').where('id', '=', row.id).executeTakeFirst();
    if (session?.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
    const current = await trx
      .selectFrom('slotValues')
      .selectAll()
      .where('scheduledEventId', '=', row.scheduledEventId)
      .where('slotDefinitionId', '=', row.slotDefinitionId)
      .executeTakeFirst();
    if (current !== undefined) {
      if (!options.overwrite) throw slotFilled();
      await trx
        .insertInto('slotHistory')
        .values({
          scheduledEventId: current.scheduledEventId,
          slotDefinitionId: current.slotDefinitionId,
          studyInstanceUid: current.studyInstanceUid,
          assignedAt: current.assignedAt,
          assignedBy: current.assignedBy,
          uploadId: current.uploadId,
          replacedAt: at,
          replacedBy: principal.userId,
        })
        .execute();
      await trx
        .deleteFrom('slotValues')
        .where('scheduledEventId', '=', row.scheduledEventId)
        .where('slotDefinitionId', '=', row.slotDefinitionId)
        .execute();
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
  await removeStaging(config.dataDir, row.id).catch(() => undefined);
  return uploadView(db, config, { ...row, status: 'committed' });
}

function slotFilled(): ApiError {
  return new ApiError('SLOT_FILLED', undefined, { details: { hint: 'send { "overwrite": true } to replace it' } });
}
