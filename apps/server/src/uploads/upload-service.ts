import { randomUUID } from 'node:crypto';
import {
  ApiError,
  type CreateUploadRequest,
  type Manifest,
  type Page,
  type ReceiptQuery,
  type UploadInstanceStatus,
  type UploadListQuery,
  type UploadSession,
  type UploadSummary,
} from '@courier/api';
import type { Kysely } from 'kysely';
import { loadStudyAccess, requireCapability, requireUnlocked } from '../access/study-access.js';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import { countValue } from '../database/dialect.js';
import type { Database, UploadInstanceTable, UploadSessionTable } from '../database/schema.js';
import { findSubject } from '../edc/subject-service.js';
import { ACTIVE_COMMIT_STATES, findCommit, toCommitState } from './commit-request.js';
import { slotParameters } from './slot-parameters.js';

/** Rows per INSERT: below SQLite's 32 766 and PostgreSQL's 65 535 bound parameters at 8 columns. */
const INSERT_CHUNK = 1000;

/**
 * The full view of a session: slot parameters, manifest summary and per-instance state.
 *
 * @example
 * return uploadView(db, config, row);
 */
export async function uploadView(
  db: Kysely<Database>,
  config: ServerConfig,
  row: UploadSessionTable,
): Promise<UploadSession> {
  const slot = await slotParameters(db, config, {
    studyId: row.studyId,
    subjectId: row.subjectId,
    eventId: row.scheduledEventId,
    slotDefinitionId: row.slotDefinitionId,
  });
  const creator = await db.selectFrom('users').select('username').where('id', '=', row.createdBy).executeTakeFirst();
  const instances = await db
    .selectFrom('uploadInstances')
    .selectAll()
    .where('uploadId', '=', row.id)
    .orderBy('seriesInstanceUid')
    .orderBy('sopInstanceUid')
    .execute();
  const counts = { pending: 0, stored: 0, rejected: 0 };
  for (const instance of instances) counts[instance.state]++;
  const commit = await findCommit(db, row.id);
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt,
    createdBy: creator?.username ?? 'unknown',
    expiresAt: row.expiresAt,
    slot,
    manifest:
      row.studyInstanceUid === null
        ? null
        : {
            studyInstanceUid: row.studyInstanceUid,
            instanceCount: instances.length,
            totalBytes: instances.reduce((sum, i) => sum + Number(i.expectedSize), 0),
          },
    counts,
    commit: commit === undefined ? null : toCommitState(commit),
    instances: instances.map(toInstanceStatus),
  };
}

function toInstanceStatus(i: UploadInstanceTable): UploadInstanceStatus {
  return {
    sopInstanceUid: i.sopInstanceUid,
    seriesInstanceUid: i.seriesInstanceUid,
    size: Number(i.expectedSize),
    state: i.state,
    reason: i.reason,
    storedSha256: i.storedSha256,
  };
}

/**
 * A page of a session's per-instance receipts, ordered by SOP Instance UID (a stable order for
 * paging, served by the table's primary key).
 *
 * @example
 * const page = await listReceipts(db, row.id, { offset: 0, limit: 1000 });
 */
export async function listReceipts(
  db: Kysely<Database>,
  uploadId: string,
  query: ReceiptQuery,
): Promise<Page<UploadInstanceStatus>> {
  const base = db.selectFrom('uploadInstances').where('uploadId', '=', uploadId);
  const total = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('sopInstanceUid').offset(query.offset).limit(query.limit).execute();
  return { items: rows.map(toInstanceStatus), total: countValue(total.n), offset: query.offset, limit: query.limit };
}

/**
 * Opens an upload session for a slot after checking, from the session and the slot alone, that
 * the user may upload to the subject's site and the study is active.
 *
 * @example
 * const session = await createUpload(db, config, now, principal, { studyId, subjectId, eventId, slotDefinitionId });
 */
export async function createUpload(
  db: Kysely<Database>,
  config: ServerConfig,
  now: Date,
  principal: Principal,
  input: CreateUploadRequest,
): Promise<UploadSession> {
  const access = await loadStudyAccess(db, principal, input.studyId);
  const subject = await findSubject(db, input.studyId, input.subjectId);
  requireCapability(access, 'upload', subject.siteId);
  requireUnlocked(access);
  await slotParameters(db, config, input); // NOT_FOUND unless event and slot belong to the subject
  const row: UploadSessionTable = {
    id: randomUUID(),
    studyId: input.studyId,
    subjectId: input.subjectId,
    scheduledEventId: input.eventId,
    slotDefinitionId: input.slotDefinitionId,
    createdBy: principal.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + config.uploadTtlMs).toISOString(),
    status: 'open',
    studyInstanceUid: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('uploadSessions').values(row).execute();
    await appendAudit(trx, now, actorOf(principal), {
      action: 'upload.created',
      studyId: row.studyId,
      targetType: 'upload',
      targetId: row.id,
      details: { subjectId: row.subjectId, eventId: row.scheduledEventId, slotDefinitionId: row.slotDefinitionId },
    });
  });
  return uploadView(db, config, row);
}

/**
 * Loads a session the principal may see: its creator, or an admin of its study (FORBIDDEN
 * otherwise). An open session past its expiry is marked expired here, unless its commit is running.
 *
 * @example
 * const row = await loadUpload(db, now, principal, params.uploadId);
 */
export async function loadUpload(
  db: Kysely<Database>,
  now: Date,
  principal: Principal,
  uploadId: string,
): Promise<UploadSessionTable> {
  const row = await db.selectFrom('uploadSessions').selectAll().where('id', '=', uploadId).executeTakeFirst();
  if (row === undefined) throw new ApiError('NOT_FOUND', 'no such upload session');
  if (row.createdBy !== principal.userId) {
    requireCapability(await loadStudyAccess(db, principal, row.studyId), 'administer');
  }
  if (row.status === 'open' && row.expiresAt <= now.toISOString()) {
    // A session whose commit is queued or running does not expire under it.
    const commit = await findCommit(db, row.id);
    if (commit !== undefined && (ACTIVE_COMMIT_STATES as readonly string[]).includes(commit.state)) return row;
    await db.updateTable('uploadSessions').set({ status: 'expired' }).where('id', '=', row.id).execute();
    return { ...row, status: 'expired' };
  }
  return row;
}

function sameManifest(instances: UploadInstanceTable[], studyUid: string | null, manifest: Manifest): boolean {
  if (studyUid !== manifest.studyInstanceUid || instances.length !== manifest.instances.length) return false;
  const known = new Map(instances.map((i) => [i.sopInstanceUid, i]));
  return manifest.instances.every((m) => {
    const i = known.get(m.sopInstanceUid);
    return i !== undefined && Number(i.expectedSize) === m.size && i.seriesInstanceUid === m.seriesInstanceUid;
  });
}

/**
 * Registers (or, while nothing is stored, replaces) the manifest of an open session. The same
 * manifest again changes nothing, so a client may resend it when resuming.
 *
 * @example
 * await putManifest(db, config, now, principal, row, { studyInstanceUid, instances });
 */
export async function putManifest(
  db: Kysely<Database>,
  config: ServerConfig,
  now: Date,
  principal: Principal,
  row: UploadSessionTable,
  manifest: Manifest,
): Promise<UploadSession> {
  if (row.createdBy !== principal.userId)
    throw new ApiError('FORBIDDEN', 'only the user who opened the session sends to it');
  if (row.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
  const expiresAt = new Date(now.getTime() + config.uploadTtlMs).toISOString();
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('uploadInstances').selectAll().where('uploadId', '=', row.id).execute();
    if (sameManifest(existing, row.studyInstanceUid, manifest)) return;
    if (existing.some((i) => i.state !== 'pending')) throw new ApiError('MANIFEST_LOCKED');
    await trx.deleteFrom('uploadInstances').where('uploadId', '=', row.id).execute();
    for (let start = 0; start < manifest.instances.length; start += INSERT_CHUNK) {
      await trx
        .insertInto('uploadInstances')
        .values(
          manifest.instances.slice(start, start + INSERT_CHUNK).map((i) => ({
            uploadId: row.id,
            sopInstanceUid: i.sopInstanceUid,
            sopClassUid: i.sopClassUid,
            seriesInstanceUid: i.seriesInstanceUid,
            modality: i.modality ?? null,
            expectedSize: i.size,
            expectedSha256: i.sha256 ?? null,
            state: 'pending' as const,
            reason: null,
            storedSize: null,
            storedSha256: null,
            receivedAt: null,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('uploadSessions')
      .set({ studyInstanceUid: manifest.studyInstanceUid, expiresAt })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, now, actorOf(principal), {
      action: 'upload.manifest_registered',
      studyId: row.studyId,
      targetType: 'upload',
      targetId: row.id,
      details: {
        instanceCount: manifest.instances.length,
        totalBytes: manifest.instances.reduce((sum, i) => sum + i.size, 0),
      },
    });
  });
  const updated = await db.selectFrom('uploadSessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  return uploadView(db, config, updated);
}

/**
 * The principal's own upload sessions, newest first (at most 100), with manifest summary and
 * counts; open sessions past their expiry are reported as expired.
 *
 * @example
 * const open = await listUploads(db, now, principal, { slotDefinitionId, eventId, status: 'open' });
 */
export async function listUploads(
  db: Kysely<Database>,
  now: Date,
  principal: Principal,
  query: UploadListQuery,
): Promise<UploadSummary[]> {
  let select = db.selectFrom('uploadSessions').selectAll().where('createdBy', '=', principal.userId);
  if (query.studyId !== undefined) select = select.where('studyId', '=', query.studyId);
  if (query.subjectId !== undefined) select = select.where('subjectId', '=', query.subjectId);
  if (query.eventId !== undefined) select = select.where('scheduledEventId', '=', query.eventId);
  if (query.slotDefinitionId !== undefined) select = select.where('slotDefinitionId', '=', query.slotDefinitionId);
  const rows = await select.orderBy('createdAt', 'desc').orderBy('id').limit(100).execute();
  const result: UploadSummary[] = [];
  for (const row of rows) {
    const status = row.status === 'open' && row.expiresAt <= now.toISOString() ? 'expired' : row.status;
    if (query.status !== undefined && status !== query.status) continue;
    const instances = await db
      .selectFrom('uploadInstances')
      .select(['state', 'expectedSize'])
      .where('uploadId', '=', row.id)
      .execute();
    const counts = { pending: 0, stored: 0, rejected: 0 };
    for (const instance of instances) counts[instance.state]++;
    result.push({
      id: row.id,
      status,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      studyId: row.studyId,
      subjectId: row.subjectId,
      eventId: row.scheduledEventId,
      slotDefinitionId: row.slotDefinitionId,
      manifest:
        row.studyInstanceUid === null
          ? null
          : {
              studyInstanceUid: row.studyInstanceUid,
              instanceCount: instances.length,
              totalBytes: instances.reduce((sum, i) => sum + Number(i.expectedSize), 0),
            },
      counts,
    });
  }
  return result;
}
