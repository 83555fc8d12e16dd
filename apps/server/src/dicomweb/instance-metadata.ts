import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';
import { type DicomJsonObject, jsonKey, toDicomJson } from './dicom-json-model.js';
import { pixelDataLocation } from './pixel-data-location.js';
import { readStoredHeader } from './stored-header.js';

const PIXEL_DATA = 0x7fe00010;

/**
 * The retrieve URL of an instance (PS3.18 10.4.1): `<root>/studies/{study}/series/{series}/instances/{sop}`.
 *
 * @example
 * instanceUrl('https://portal/dicomweb', instance);
 */
export function instanceUrl(root: string, instance: StoredInstance): string {
  return `${root}/studies/${instance.studyInstanceUid}/series/${instance.seriesInstanceUid}/instances/${instance.sopInstanceUid}`;
}

/**
 * WADO-RS metadata of one stored instance (PS3.18 10.4.1.1.2, DICOM JSON of Annex F): its whole
 * header read fresh from the store, binary values over 1 KiB and Pixel Data as BulkDataURI
 * (`…/instances/{sop}/bulkdata/{tag}`, PS3.18 F.2.6) so the document stays small. Elements after
 * Pixel Data (rare trailing padding) are not listed.
 *
 * @example
 * const json = await instanceMetadata(store, instance, root);
 */
export async function instanceMetadata(
  store: DicomStore,
  instance: StoredInstance,
  root: string,
): Promise<DicomJsonObject> {
  const file = await readStoredHeader(store, instance);
  const base = `${instanceUrl(root, instance)}/bulkdata`;
  const json = toDicomJson(file, file.dataSet, { bulkDataUri: (t) => `${base}/${jsonKey(t)}` });
  const pixels = pixelDataLocation(file);
  if (file.stoppedAt?.tag === PIXEL_DATA) {
    json[jsonKey(PIXEL_DATA)] = { vr: pixels?.vr ?? 'OB', BulkDataURI: `${base}/${jsonKey(PIXEL_DATA)}` };
  }
  return json;
}
