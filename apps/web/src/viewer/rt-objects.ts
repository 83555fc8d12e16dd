import { type DicomJson, jsonValue, searchStudyInstances } from './dicomweb-client.js';

/** The RT objects the viewer overlays on the image stack. */
export type OverlayModality = 'RTSTRUCT' | 'RTDOSE';

/**
 * One RT Structure Set or RT Dose instance of a study, as QIDO-RS describes it: enough to tell
 * several apart in a list without fetching them (a study can hold a clinician's and a
 * reviewer's structure set, or a plan dose beside per-beam doses).
 */
export interface RtObjectSummary {
  readonly modality: OverlayModality;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly instanceNumber?: number;
  /** Structure Set Label (3006,0002) of an RTSTRUCT; Dose Summation Type (3004,000A) of an RTDOSE. */
  readonly label?: string;
  /** Structure Set Date (3006,0008) or, for RTDOSE, Content Date (0008,0023): YYYYMMDD. */
  readonly date?: string;
}

// Attributes asked for with includefield (PS3.18 8.3.4.3); the Portal indexes top-level attributes
// up to 1 KiB, which covers these. Series attributes are asked for explicitly: at study level an
// instance result need not carry them.
const LABEL_TAG: Record<OverlayModality, string> = { RTSTRUCT: '30060002', RTDOSE: '3004000A' };
const DATE_TAG: Record<OverlayModality, string> = { RTSTRUCT: '30060008', RTDOSE: '00080023' };
const INCLUDE = (modality: OverlayModality) =>
  ['0020000E', '00200011', '0008103E', '00200013', LABEL_TAG[modality], DATE_TAG[modality]].join(',');

const text = (ds: DicomJson, tag: string): string | undefined => {
  const value = jsonValue(ds, tag);
  return value === undefined || String(value).trim() === '' ? undefined : String(value).trim();
};
const number = (ds: DicomJson, tag: string): number | undefined => {
  const value = Number(jsonValue(ds, tag));
  return jsonValue(ds, tag) === undefined || !Number.isFinite(value) ? undefined : value;
};

/**
 * Reads QIDO-RS instance results into {@link RtObjectSummary}s, in Series Number, then Instance
 * Number, then SOP Instance UID order (stable, so "the first" is the same on every load).
 *
 * @example
 * parseRtObjects('RTSTRUCT', results)[0]?.label; // 'Plan A'
 */
export function parseRtObjects(modality: OverlayModality, results: readonly DicomJson[]): RtObjectSummary[] {
  const list: RtObjectSummary[] = [];
  for (const ds of results) {
    const seriesInstanceUid = text(ds, '0020000E');
    const sopInstanceUid = text(ds, '00080018');
    if (seriesInstanceUid === undefined || sopInstanceUid === undefined) continue;
    const seriesNumber = number(ds, '00200011');
    const seriesDescription = text(ds, '0008103E');
    const instanceNumber = number(ds, '00200013');
    const label = text(ds, LABEL_TAG[modality]);
    const date = text(ds, DATE_TAG[modality]);
    list.push({
      modality,
      seriesInstanceUid,
      sopInstanceUid,
      ...(seriesNumber === undefined ? {} : { seriesNumber }),
      ...(seriesDescription === undefined ? {} : { seriesDescription }),
      ...(instanceNumber === undefined ? {} : { instanceNumber }),
      ...(label === undefined ? {} : { label }),
      ...(date === undefined ? {} : { date }),
    });
  }
  const big = Number.MAX_SAFE_INTEGER;
  return list.sort(
    (a, b) =>
      (a.seriesNumber ?? big) - (b.seriesNumber ?? big) ||
      a.seriesInstanceUid.localeCompare(b.seriesInstanceUid) ||
      (a.instanceNumber ?? big) - (b.instanceNumber ?? big) ||
      a.sopInstanceUid.localeCompare(b.sopInstanceUid),
  );
}

/**
 * Every RTSTRUCT or RTDOSE instance of a study, through the Portal's QIDO-RS.
 *
 * @example
 * const structureSets = await searchRtObjects('1.2.3', 'RTSTRUCT');
 */
export async function searchRtObjects(
  studyUid: string,
  modality: OverlayModality,
  signal?: AbortSignal,
): Promise<RtObjectSummary[]> {
  const results = await searchStudyInstances(studyUid, { Modality: modality, includefield: INCLUDE(modality) }, signal);
  return parseRtObjects(modality, results);
}

/**
 * The object to overlay: the one the address names (by SOP Instance UID), else the first; none
 * when the study has none. An address naming an object the study does not hold (a stale link)
 * falls back to the first rather than showing nothing.
 *
 * @example
 * chooseRtObject(structureSets, search.get('rtstruct'));
 */
export function chooseRtObject(list: readonly RtObjectSummary[], wanted: string | null): RtObjectSummary | undefined {
  return list.find((o) => o.sopInstanceUid === wanted) ?? list[0];
}

function baseText(object: RtObjectSummary, all: readonly RtObjectSummary[]): string {
  const inSeries = all.filter((o) => o.seriesInstanceUid === object.seriesInstanceUid).length;
  const date = object.date?.match(/^(\d{4})(\d{2})(\d{2})$/);
  const parts = [
    object.seriesNumber?.toString(),
    object.label,
    object.seriesDescription,
    date ? `${date[1]}-${date[2]}-${date[3]}` : object.date,
    inSeries > 1 && object.instanceNumber !== undefined ? `#${object.instanceNumber}` : undefined,
  ];
  return parts.filter((p): p is string => p !== undefined && p !== '').join(' · ');
}

/**
 * A one-line name for a list: series number, label, description and date, as far as known, with the
 * instance number when one series holds several; e.g. "3 · Plan A · RTSTRUCT synthetic · 2024-01-15".
 * Two objects that would read the same get their SOP Instance UID, so the user can always tell
 * the entries apart.
 *
 * @example
 * <option>{rtObjectText(o, siblings)}</option>
 */
export function rtObjectText(object: RtObjectSummary, all: readonly RtObjectSummary[]): string {
  const base = baseText(object, all);
  const twin = all.some((o) => o !== object && baseText(o, all) === base);
  if (base === '') return object.sopInstanceUid;
  // The whole UID: generated UIDs often share their end as well as their start.
  return twin ? `${base} · ${object.sopInstanceUid}` : base;
}
