import { createReadStream } from 'node:fs';
import { ApiError, type StoredSeries, type StoredStudy, type StoredStudyAssignment } from '@courier/api';
import type { Kysely } from 'kysely';
import type { Database, StoredSeriesTable, StoredStudyTable } from '../database/schema.js';
import { stagedPath } from '../uploads/staging.js';
import { readStoredHeader, type StoredHeader } from './stored-header.js';

/** A committed instance as upload-commit.ts knows it. */
export interface CommittedInstance {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  storedSize: number | string | null;
}

/** What {@link recordCommittedStudy} needs of a commit. */
export interface CommittedStudy {
  studyId: string;
  subjectId: string;
  uploadId: string;
  studyInstanceUid: string;
  /** The session's staging folder: the verified copies of what the store now holds. */
  stagingDir: string;
  instances: readonly CommittedInstance[];
  at: string;
}

/**
 * Records a committed upload in the stored-study catalogue, inside the commit's transaction (so the
 * catalogue and the slot value commit or fail together). Reads one header per series from the
 * staging (the bytes just verified in the store; header only, never pixels) for the study's date,
 * time and description and each series' number, modality, description, date and time. A later
 * upload of more series of the same study (an RTDOSE for last month's CT) adds them; instance
 * counts are the distinct SOP Instance UIDs of every committed upload of the study.
 *
 * @example
 * await recordCommittedStudy(trx, { studyId, subjectId, uploadId, studyInstanceUid, stagingDir, instances, at });
 */
export async function recordCommittedStudy(db: Kysely<Database>, commit: CommittedStudy): Promise<void> {
  const bySeries = new Map<string, CommittedInstance>();
  for (const instance of [...commit.instances].sort((a, b) => a.sopInstanceUid.localeCompare(b.sopInstanceUid))) {
    if (!bySeries.has(instance.seriesInstanceUid)) bySeries.set(instance.seriesInstanceUid, instance);
  }
  const headers = new Map<string, StoredHeader>();
  for (const [seriesUid, instance] of bySeries) {
    const path = stagedPath(commit.stagingDir, instance.sopInstanceUid);
    headers.set(seriesUid, await readStoredHeader(createReadStream(path), Number(instance.storedSize)));
  }
  const counts = await committedCounts(db, commit);
  for (const [seriesInstanceUid, header] of headers) {
    const row: StoredSeriesTable = {
      subjectId: commit.subjectId,
      studyInstanceUid: commit.studyInstanceUid,
      seriesInstanceUid,
      seriesNumber: header.seriesNumber,
      modality: header.modality,
      description: header.seriesDescription,
      instanceCount: counts.get(seriesInstanceUid) ?? 0,
      seriesDate: header.seriesDate,
      seriesTime: header.seriesTime,
      uploadId: commit.uploadId,
    };
    const { subjectId, studyInstanceUid, ...changes } = row;
    await db
      .insertInto('storedSeries')
      .values(row)
      .onConflict((oc) => oc.columns(['subjectId', 'studyInstanceUid', 'seriesInstanceUid']).doUpdateSet(changes))
      .execute();
  }
  // Series of earlier uploads keep their headers; their counts may have grown.
  for (const [seriesInstanceUid, count] of counts) {
    if (headers.has(seriesInstanceUid)) continue;
    await db
      .updateTable('storedSeries')
      .set({ instanceCount: count })
      .where('subjectId', '=', commit.subjectId)
      .where('studyInstanceUid', '=', commit.studyInstanceUid)
      .where('seriesInstanceUid', '=', seriesInstanceUid)
      .execute();
  }
  const series = await db
    .selectFrom('storedSeries')
    .select(['modality', 'instanceCount'])
    .where('subjectId', '=', commit.subjectId)
    .where('studyInstanceUid', '=', commit.studyInstanceUid)
    .execute();
  const first = headers.values().next().value as StoredHeader;
  const summary = {
    patientId: first.patientId,
    studyDate: first.studyDate,
    studyTime: first.studyTime,
    description: first.studyDescription,
    modalitiesJson: JSON.stringify(modalitiesOf(series)),
    seriesCount: series.length,
    instanceCount: series.reduce((n, s) => n + Number(s.instanceCount), 0),
    lastUploadId: commit.uploadId,
    updatedAt: commit.at,
  };
  const study: StoredStudyTable = {
    studyId: commit.studyId,
    subjectId: commit.subjectId,
    studyInstanceUid: commit.studyInstanceUid,
    ...summary,
    firstUploadId: commit.uploadId,
    source: 'upload',
    createdAt: commit.at,
  };
  await db
    .insertInto('storedStudies')
    .values(study)
    .onConflict((oc) => oc.columns(['subjectId', 'studyInstanceUid']).doUpdateSet(summary))
    .execute();
}

/** Distinct stored SOP Instance UIDs per series over the committed uploads of the study, this one included. */
async function committedCounts(db: Kysely<Database>, commit: CommittedStudy): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('uploadInstances as i')
    .innerJoin('uploadSessions as s', 's.id', 'i.uploadId')
    .select(['i.seriesInstanceUid', (eb) => eb.fn.count<number>('i.sopInstanceUid').distinct().as('n')])
    .where('s.subjectId', '=', commit.subjectId)
    .where('s.studyInstanceUid', '=', commit.studyInstanceUid)
    .where('i.state', '=', 'stored')
    .where((eb) => eb.or([eb('s.status', '=', 'committed'), eb('s.id', '=', commit.uploadId)]))
    .groupBy('i.seriesInstanceUid')
    .execute();
  return new Map(rows.map((r) => [r.seriesInstanceUid, Number(r.n)]));
}

function modalitiesOf(series: { modality: string | null }[]): string[] {
  return [...new Set(series.map((s) => s.modality).filter((m): m is string => m !== null && m !== ''))].sort();
}

function toSeries(row: StoredSeriesTable): StoredSeries {
  return {
    seriesInstanceUid: row.seriesInstanceUid,
    seriesNumber: row.seriesNumber === null ? null : Number(row.seriesNumber),
    modality: row.modality,
    description: row.description,
    instanceCount: Number(row.instanceCount),
    seriesDate: row.seriesDate,
    seriesTime: row.seriesTime,
    uploadId: row.uploadId,
  };
}

/** Series in Series Number order (unnumbered last), then by UID, as a viewer lists them. */
function bySeriesNumber(a: StoredSeriesTable, b: StoredSeriesTable): number {
  const na = a.seriesNumber === null ? Number.POSITIVE_INFINITY : Number(a.seriesNumber);
  const nb = b.seriesNumber === null ? Number.POSITIVE_INFINITY : Number(b.seriesNumber);
  return na === nb ? a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) : na - nb;
}

/**
 * The studies stored for a subject, newest study date first, each with its series and the slots
 * of the subject that hold it now. Optionally only one study.
 *
 * @example
 * const studies = await listStoredStudies(db, subject.id);
 */
export async function listStoredStudies(
  db: Kysely<Database>,
  subjectId: string,
  studyInstanceUid?: string,
): Promise<StoredStudy[]> {
  let studiesQuery = db.selectFrom('storedStudies').selectAll().where('subjectId', '=', subjectId);
  let seriesQuery = db.selectFrom('storedSeries').selectAll().where('subjectId', '=', subjectId);
  if (studyInstanceUid !== undefined) {
    studiesQuery = studiesQuery.where('studyInstanceUid', '=', studyInstanceUid);
    seriesQuery = seriesQuery.where('studyInstanceUid', '=', studyInstanceUid);
  }
  const studies = await studiesQuery.execute();
  if (studies.length === 0) return [];
  const series = await seriesQuery.execute();
  const assignments = await db
    .selectFrom('slotValues as v')
    .innerJoin('scheduledEvents as e', 'e.id', 'v.scheduledEventId')
    .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
    .innerJoin('slotDefinitions as s', 's.id', 'v.slotDefinitionId')
    .select(['v.studyInstanceUid', 'e.id as eventId', 'd.name as eventName', 'e.occurrence'])
    .select(['s.id as slotDefinitionId', 's.label as slotLabel'])
    .where('e.subjectId', '=', subjectId)
    .orderBy('d.position')
    .orderBy('e.occurrence')
    .orderBy('s.position')
    .execute();
  const slotsOf = (uid: string): StoredStudyAssignment[] =>
    assignments
      .filter((a) => a.studyInstanceUid === uid)
      .map((a) => ({
        eventId: a.eventId,
        eventName: a.eventName,
        occurrence: Number(a.occurrence),
        slotDefinitionId: a.slotDefinitionId,
        slotLabel: a.slotLabel,
      }));
  return studies
    .sort(
      (a, b) =>
        (b.studyDate ?? '').localeCompare(a.studyDate ?? '') ||
        (b.studyTime ?? '').localeCompare(a.studyTime ?? '') ||
        b.createdAt.localeCompare(a.createdAt),
    )
    .map((row) => ({
      studyInstanceUid: row.studyInstanceUid,
      patientId: row.patientId,
      studyDate: row.studyDate,
      studyTime: row.studyTime,
      description: row.description,
      modalities: JSON.parse(row.modalitiesJson) as string[],
      seriesCount: Number(row.seriesCount),
      instanceCount: Number(row.instanceCount),
      source: row.source,
      firstUploadId: row.firstUploadId,
      lastUploadId: row.lastUploadId,
      storedAt: row.createdAt,
      series: series
        .filter((s) => s.studyInstanceUid === row.studyInstanceUid)
        .sort(bySeriesNumber)
        .map(toSeries),
      assignedTo: slotsOf(row.studyInstanceUid),
    }));
}

/**
 * One stored study of a subject, or 404 NOT_FOUND.
 *
 * @example
 * const study = await findStoredStudy(db, subject.id, '2.25.1234');
 */
export async function findStoredStudy(
  db: Kysely<Database>,
  subjectId: string,
  studyInstanceUid: string,
): Promise<StoredStudy> {
  const [study] = await listStoredStudies(db, subjectId, studyInstanceUid);
  if (study === undefined)
    throw new ApiError('NOT_FOUND', 'no study with this Study Instance UID is stored for the subject');
  return study;
}
