import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';
import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';
import { readStoredHeader, type StoredHeader } from './stored-header.js';

/**
 * Adds to the catalogue the studies of a subject's committed uploads that it does not know: those
 * committed before migration 0004 created it. Each is rebuilt from the DICOM store (its instance
 * list, and one header per series read up to the end of the header only). Cheap when nothing is
 * missing (one query); a study the store no longer holds is skipped. Returns how many were added.
 *
 * @example
 * await backfillStoredStudies(db, store, subject.id, now.toISOString());
 */
export async function backfillStoredStudies(
  db: Kysely<Database>,
  store: DicomStore,
  subjectId: string,
  at: string,
): Promise<number> {
  const missing = await db
    .selectFrom('uploadSessions as u')
    .leftJoin('storedStudies as s', (join) =>
      join.onRef('s.subjectId', '=', 'u.subjectId').onRef('s.studyInstanceUid', '=', 'u.studyInstanceUid'),
    )
    .select(['u.id', 'u.studyId', 'u.studyInstanceUid', 'u.createdAt'])
    .where('u.subjectId', '=', subjectId)
    .where('u.status', '=', 'committed')
    .where('s.studyInstanceUid', 'is', null)
    .orderBy('u.createdAt')
    .execute();
  const studies = new Map<string, { studyId: string; first: string; last: string }>();
  for (const row of missing) {
    if (row.studyInstanceUid === null) continue;
    const known = studies.get(row.studyInstanceUid);
    if (known === undefined) studies.set(row.studyInstanceUid, { studyId: row.studyId, first: row.id, last: row.id });
    else known.last = row.id;
  }
  let added = 0;
  for (const [studyInstanceUid, uploads] of studies) {
    const instances = await store.listStudy(studyInstanceUid);
    if (instances.length === 0) continue;
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
    if (head === undefined) continue;
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
          studyId: uploads.studyId,
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
          source: 'upload',
          createdAt: at,
          updatedAt: at,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
    added++;
  }
  return added;
}
