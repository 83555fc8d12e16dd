import type { InstanceKey } from '../dicom-store.js';
import { type DicomJsonDataset, jsonString } from './dicom-json.js';
import { PacsError } from './pacs-error.js';
import { expectOk, type PacsHttp, pacsRequest } from './pacs-http.js';

/** QIDO-RS pages this many instances at a time (PS3.18 8.3.4.4 limit/offset), so no answer grows with the study. */
export const QIDO_PAGE_SIZE = 500;

async function searchPage(http: PacsHttp, url: string): Promise<DicomJsonDataset[]> {
  const response = await pacsRequest(http, url, { headers: { accept: 'application/dicom+json' } }, 'QIDO-RS');
  // PS3.18 8.3.4.1 / 10.6.3: 204 No Content or an empty array for no match; Orthanc also 404s an unknown study.
  if (response.status === 204 || response.status === 404) {
    await response.body?.cancel();
    return [];
  }
  await expectOk(response, 'QIDO-RS');
  const text = await response.text();
  if (text.trim() === '') return [];
  const body: unknown = JSON.parse(text);
  if (!Array.isArray(body)) throw new PacsError('PACS_BAD_RESPONSE', `QIDO-RS ${url} did not answer a JSON array`);
  return body as DicomJsonDataset[];
}

/**
 * Whether the PACS holds this instance under this study and series: QIDO-RS Search for Instances
 * (PS3.18 10.6.1, `/studies/{study}/series/{series}/instances?SOPInstanceUID=`) matched on all three UIDs.
 *
 * @example
 * if (!(await qidoHasInstance(http, base, key))) return null;
 */
export async function qidoHasInstance(http: PacsHttp, base: string, key: InstanceKey): Promise<boolean> {
  const url = `${base}/studies/${key.studyInstanceUid}/series/${key.seriesInstanceUid}/instances?SOPInstanceUID=${key.sopInstanceUid}`;
  const found = await searchPage(http, url);
  return found.some((item) => jsonString(item, '00080018') === key.sopInstanceUid);
}

/**
 * Every instance of a study as keys, from QIDO-RS Search for Instances in a study (PS3.18 10.6.1,
 * `/studies/{study}/instances`), paged with limit/offset and sorted by series then SOP Instance UID.
 *
 * @example
 * const keys = await qidoStudyInstances(http, base, studyUid);
 */
export async function qidoStudyInstances(
  http: PacsHttp,
  base: string,
  studyInstanceUid: string,
): Promise<InstanceKey[]> {
  const keys: InstanceKey[] = [];
  for (let offset = 0; ; offset += QIDO_PAGE_SIZE) {
    const url = `${base}/studies/${studyInstanceUid}/instances?includefield=0020000E&limit=${QIDO_PAGE_SIZE}&offset=${offset}`;
    const page = await searchPage(http, url);
    for (const item of page) {
      const seriesInstanceUid = jsonString(item, '0020000E');
      const sopInstanceUid = jsonString(item, '00080018');
      if (seriesInstanceUid === undefined || sopInstanceUid === undefined) {
        throw new PacsError(
          'PACS_BAD_RESPONSE',
          `QIDO-RS result without Series or SOP Instance UID in ${studyInstanceUid}`,
        );
      }
      keys.push({ studyInstanceUid, seriesInstanceUid, sopInstanceUid });
    }
    if (page.length < QIDO_PAGE_SIZE) break;
  }
  const unique = new Map(keys.map((key) => [key.sopInstanceUid, key]));
  return [...unique.values()].sort(
    (a, b) => compare(a.seriesInstanceUid, b.seriesInstanceUid) || compare(a.sopInstanceUid, b.sopInstanceUid),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
