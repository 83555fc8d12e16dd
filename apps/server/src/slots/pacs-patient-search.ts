import type { StoreConfig } from '../config.js';
import { basicAuth } from '../storage/dicomweb/pacs-http.js';

/** Finds the Study Instance UIDs a PACS holds for a Patient ID. */
export type PatientStudySearch = (patientId: string) => Promise<string[]>;

/** QIDO-RS pages this many studies at a time (PS3.18 8.3.4.4 limit/offset). */
const PAGE = 200;

/**
 * QIDO-RS Search for Studies by Patient ID (PS3.18 10.6.1, `GET {root}/studies?PatientID=…`, DICOM
 * JSON answers per PS3.18 F.2) on the configured DICOMweb PACS, so studies that reached the PACS by
 * another route (a modality, a DIMSE send, another tool) appear in "Assign Existing" when their
 * Patient ID is the subject's pseudonym. Null for the file-system store: nothing arrives there but
 * through Courier. The matching is exact (no wildcards: `*` and `?` in a pseudonym are escaped by
 * refusing them, PS3.4 C.2.2.2.4).
 *
 * @example
 * const search = pacsPatientSearch(config.store);
 * const uids = search === null ? [] : await search('SUBJ-7F3A');
 */
export function pacsPatientSearch(store: StoreConfig, fetchImpl: typeof fetch = fetch): PatientStudySearch | null {
  if (store.kind !== 'dicomweb') return null;
  const base = store.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/dicom+json' };
  if (store.username !== undefined) headers.authorization = basicAuth(store.username, store.password ?? '');
  return async (patientId) => {
    if (patientId === '' || /[*?\\]/.test(patientId)) return [];
    const uids = new Set<string>();
    for (let offset = 0; ; offset += PAGE) {
      const query = new URLSearchParams({
        PatientID: patientId,
        includefield: '0020000D',
        limit: String(PAGE),
        offset: String(offset),
      });
      const response = await fetchImpl(`${base}/studies?${query.toString()}`, { headers });
      // PS3.18 8.3.4.1: 204 or an empty array for no match.
      if (response.status === 204 || response.status === 404) break;
      if (!response.ok) throw new Error(`QIDO-RS studies by Patient ID: HTTP ${response.status}`);
      const text = await response.text();
      const page: unknown = text.trim() === '' ? [] : JSON.parse(text);
      if (!Array.isArray(page)) throw new Error('QIDO-RS studies by Patient ID: not a JSON array');
      for (const item of page as Record<string, { Value?: unknown[] } | undefined>[]) {
        const uid = item['0020000D']?.Value?.[0];
        const pid = item['00100020']?.Value?.[0];
        // A PACS that ignores the filter must not leak another patient's study into this subject.
        if (typeof uid === 'string' && (pid === undefined || pid === patientId)) uids.add(uid);
      }
      if (page.length < PAGE) break;
    }
    return [...uids];
  };
}
