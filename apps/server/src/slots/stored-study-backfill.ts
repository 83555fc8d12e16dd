import type { Kysely } from 'kysely';
import type { Database, SubjectTable } from '../database/schema.js';
import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';
import type { PatientStudySearch } from './pacs-patient-search.js';
import { readStoredHeader, type StoredHeader } from './stored-header.js';

/** How a study rebuilt from the store came: its uploads (first, last), or found in the PACS. */
type Origin = { source: 'upload'; first: string; last: string } | { source: 'pacs' };

/**
 * Adds to the catalogue the studies of a subject it does not know: those of uploads committed
 * before migration 0004 created it, and (with a PACS search) studies the DICOMweb PACS holds under
 * the subject's pseudonym as Patient ID that arrived by another route. Each is rebuilt from the
 * DICOM store (its instance list, and one header per series read up to the end of the header only);
 * a PACS study whose stored Patient ID is not the pseudonym is never added. Cheap when nothing is
 * missing (one query, plus one QIDO-RS request with a PACS). Returns how many were added.
 *
 * @example
 * await backfillStoredStudies(db, store, subject, now.toISOString(), pacsPatientSearch(config.store));
 */
export async function backfillStoredStudies(
  db: Kysely<Database>,
  store: DicomStore,
  subject: Pick<SubjectTable, 'id' | 'studyId' | 'pseudonym'>,
  at: string,
  search: PatientStudySearch | null = null,
): Promise<number> {
  const subjectId = subject.id;
  const missing = await db
    .selectFrom('uploadSessions as u')
    .leftJoin('storedStudies as s', (join) =>
      join.onRef('s.subjectId', '=', 'u.subjectId').onRef('s.studyInstanceUid', '=', 'u.studyInstanceUid'),
    )
    .select(['u.id', 'u.studyInstanceUid', 'u.createdAt'])
    .where('u.subjectId', '=', subjectId)
    .where('u.status', '=', 'committed')
    .where('s.studyInstanceUid', 'is', null)
    .orderBy('u.createdAt')
    .execute();
  const origins = new Map<string, Origin>();
  for (const row of missing) {
    if (row.studyInstanceUid === null) continue;
    const known = origins.get(row.studyInstanceUid);
    if (known?.source === 'upload') known.last = row.id;
    else origins.set(row.studyInstanceUid, { source: 'upload', first: row.id, last: row.id });
  }
  if (search !== null) {
    const known = new Set(
      (
        await db.selectFrom('storedStudies').select('studyInstanceUid').where('subjectId', '=', subjectId).execute()
      ).map((r) => r.studyInstanceUid),
    );
    for (const uid of await search(subject.pseudonym)) {
      if (!known.has(uid) && !origins.has(uid)) origins.set(uid, { source: 'pacs' });
    }
  }
  let added = 0;
  for (const [studyInstanceUid, origin] of origins) {
    if (await rebuildFromStore(db, store, subject, studyInstanceUid, origin, at)) added++;
  }
  return added;
}

async function rebuildFromStore(
  db: Kysely<Database>,
  store: DicomStore,
  subject: Pick<SubjectTable, 'id' | 'studyId' | 'pseudonym'>,
  studyInstanceUid: string,
  origin: Origin,
  at: string,
): Promise<boolean> {
  const subjectId = subject.id;
  const uploads = origin.source === 'upload' ? origin : { first: null, last: null };
  const instances = await store.listStudy(studyInstanceUid);
  if (instances.length === 0) return false;
  const bySeries = new Map<string, StoredInstance[]>();
  for (const instance of instances) {
    const list = bySeries.get(instance.seriesInstanceUid) ?? [];
    list.push(instance);
    bySeries.set(instance.seriesInstanceUid, list);
  }
  const headers = new Map<string, StoredHeader>();
  for (const [seriesUid, list] of bySeries) {
    const first = [...list].sort((a, b) => a.sopInstanceUid.localeCompare(b.sopInstanceUid))[0]!;
    const source = await store.read(first);
    if (source !== null) headers.set(seriesUid, await readStoredHeader(source, first.size));
  }
  const head = headers.values().next().value;
  if (head === undefined) return false;
  // Only what is the subject's by its stored Patient ID (an upload's was checked at the batch).
  if (origin.source === 'pacs' && [...headers.values()].some((h) => h.patientId !== subject.pseudonym)) return false;
  await db.transaction().execute(async (trx) => {
    for (const [seriesInstanceUid, header] of headers) {
      await trx
        .insertInto('storedSeries')
        .values({
          subjectId,
          studyInstanceUid,
          seriesInstanceUid,
          seriesNumber: header.seriesNumber,
          modality: header.modality,
          description: header.seriesDescription,
          instanceCount: bySeries.get(seriesInstanceUid)?.length ?? 0,
          seriesDate: header.seriesDate,
          seriesTime: header.seriesTime,
          uploadId: uploads.last,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const modalities = [...new Set([...headers.values()].map((h) => h.modality).filter((m) => m !== null))].sort();
    await trx
      .insertInto('storedStudies')
      .values({
        studyId: subject.studyId,
        subjectId,
        studyInstanceUid,
        patientId: head.patientId,
        studyDate: head.studyDate,
        studyTime: head.studyTime,
        description: head.studyDescription,
        modalitiesJson: JSON.stringify(modalities),
        seriesCount: headers.size,
        instanceCount: [...headers.keys()].reduce((n, uid) => n + (bySeries.get(uid)?.length ?? 0), 0),
        firstUploadId: uploads.first,
        lastUploadId: uploads.last,
        source: origin.source,
        createdAt: at,
        updatedAt: at,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
  return true;
}
