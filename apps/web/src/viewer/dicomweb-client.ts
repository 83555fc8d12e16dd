import { DICOM_JSON_MEDIA_TYPE, DICOMWEB_ROOT } from '@courier/api';

/** One attribute of a DICOM JSON object (PS3.18 F.2.2). */
export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
}
/** A DICOM JSON data set: attributes by 8-digit upper-case hex tag (PS3.18 F.2.1). */
export type DicomJson = Readonly<Record<string, DicomJsonAttribute>>;

/** A series of the study as QIDO-RS lists it. */
export interface SeriesSummary {
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly seriesNumber?: number;
  readonly description?: string;
  /** Number of Series Related Instances (0020,1209). */
  readonly instanceCount?: number;
}

/** An instance of a series as QIDO-RS lists it. */
export interface InstanceSummary {
  readonly sopInstanceUid: string;
  readonly sopClassUid?: string;
  readonly instanceNumber?: number;
  /** Image Position (Patient) when the server returned it (includefield). */
  readonly position?: readonly [number, number, number];
  /** Frame of Reference UID (0020,0052) when the server returned it (includefield). */
  readonly frameOfReferenceUid?: string;
}

/** Why the viewer could not read from the Portal's DICOMweb service. */
export class DicomWebError extends Error {
  /** LOGIN_REQUIRED (401), NOT_VISIBLE (403/404: absent or not allowed — the Portal does not tell which), HTTP_ERROR. */
  readonly code: 'LOGIN_REQUIRED' | 'NOT_VISIBLE' | 'HTTP_ERROR';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'DicomWebError';
    this.status = status;
    this.code = status === 401 ? 'LOGIN_REQUIRED' : status === 403 || status === 404 ? 'NOT_VISIBLE' : 'HTTP_ERROR';
  }
}

/**
 * The first value of an attribute: a string (UI, CS, LO…), a number (IS/DS in JSON are numbers,
 * PS3.18 F.2.3.1), or for PN the Alphabetic component group.
 *
 * @example
 * jsonValue(series, '00080060'); // 'CT'
 */
export function jsonValue(ds: DicomJson, tag: string): string | number | undefined {
  const value = ds[tag]?.Value?.[0];
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && 'Alphabetic' in value) return String(value.Alphabetic);
  return undefined;
}

function jsonString(ds: DicomJson, tag: string): string | undefined {
  const v = jsonValue(ds, tag);
  return v === undefined ? undefined : String(v);
}

function jsonNumber(ds: DicomJson, tag: string): number | undefined {
  const v = jsonValue(ds, tag);
  const n = typeof v === 'number' ? v : v === undefined ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * QIDO-RS series results → summaries, sorted by Series Number then modality.
 *
 * @example
 * parseSeries(await response.json());
 */
export function parseSeries(results: readonly DicomJson[]): SeriesSummary[] {
  return results
    .map((ds): SeriesSummary => {
      const number = jsonNumber(ds, '00200011');
      const description = jsonString(ds, '0008103E');
      const count = jsonNumber(ds, '00201209');
      return {
        seriesInstanceUid: jsonString(ds, '0020000E') ?? '',
        modality: jsonString(ds, '00080060') ?? 'OT',
        ...(number === undefined ? {} : { seriesNumber: number }),
        ...(description === undefined ? {} : { description }),
        ...(count === undefined ? {} : { instanceCount: count }),
      };
    })
    .filter((s) => s.seriesInstanceUid !== '')
    .sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9) || a.modality.localeCompare(b.modality));
}

/**
 * QIDO-RS instance results → summaries in stack order: along the slice normal when positions are
 * known (the z of Image Position, head first), else by Instance Number.
 *
 * @example
 * parseInstances(await response.json()).map((i) => i.sopInstanceUid);
 */
export function parseInstances(results: readonly DicomJson[]): InstanceSummary[] {
  const list = results
    .map((ds): InstanceSummary => {
      const number = jsonNumber(ds, '00200013');
      const sopClassUid = jsonString(ds, '00080016');
      const ipp = ds['00200032']?.Value?.map(Number);
      const frame = jsonString(ds, '00200052');
      return {
        sopInstanceUid: jsonString(ds, '00080018') ?? '',
        ...(sopClassUid === undefined ? {} : { sopClassUid }),
        ...(number === undefined ? {} : { instanceNumber: number }),
        ...(frame === undefined ? {} : { frameOfReferenceUid: frame }),
        ...(ipp !== undefined && ipp.length === 3 && ipp.every(Number.isFinite)
          ? { position: [ipp[0]!, ipp[1]!, ipp[2]!] as const }
          : {}),
      };
    })
    .filter((i) => i.sopInstanceUid !== '');
  const byPosition = list.every((i) => i.position !== undefined);
  return list.sort((a, b) =>
    byPosition
      ? (b.position?.[2] ?? 0) - (a.position?.[2] ?? 0)
      : (a.instanceNumber ?? 1e9) - (b.instanceNumber ?? 1e9) || a.sopInstanceUid.localeCompare(b.sopInstanceUid),
  );
}

/**
 * The WADO-URI address of an instance as a Part 10 file (PS3.18 9.1.2), relative to the page's origin.
 *
 * @example
 * wadoUri(study, series, sop); // '/dicomweb/wado?requestType=WADO&studyUID=…&contentType=application%2Fdicom'
 */
export function wadoUri(studyUid: string, seriesUid: string, sopUid: string): string {
  const query = new URLSearchParams({
    requestType: 'WADO',
    studyUID: studyUid,
    seriesUID: seriesUid,
    objectUID: sopUid,
    contentType: 'application/dicom',
  });
  return `${DICOMWEB_ROOT}/wado?${query.toString()}`;
}

async function getJson(path: string, signal?: AbortSignal): Promise<DicomJson[]> {
  const response = await fetch(path, {
    headers: { accept: DICOM_JSON_MEDIA_TYPE },
    credentials: 'same-origin',
    ...(signal ? { signal } : {}),
  });
  // PS3.18 8.3.4.6 / 10.6.3: a search without matches may answer 204 No Content.
  if (response.status === 204) return [];
  if (!response.ok) throw new DicomWebError(response.status, `${response.status} ${response.statusText} for ${path}`);
  return (await response.json()) as DicomJson[];
}

/**
 * QIDO-RS SearchForSeries of a study.
 *
 * @example
 * const series = await searchSeries('1.2.3');
 */
export async function searchSeries(studyUid: string, signal?: AbortSignal): Promise<SeriesSummary[]> {
  return parseSeries(await getJson(`${DICOMWEB_ROOT}/studies/${studyUid}/series`, signal));
}

/**
 * QIDO-RS SearchForInstances at study level (PS3.18 10.6.3.3.3) with match keys and includefield
 * given as query parameters; answers the DICOM JSON results as they come.
 *
 * @example
 * const doses = await searchStudyInstances('1.2.3', { Modality: 'RTDOSE', includefield: '3004000A' });
 */
export async function searchStudyInstances(
  studyUid: string,
  query: Record<string, string>,
  signal?: AbortSignal,
): Promise<DicomJson[]> {
  const search = new URLSearchParams(query).toString();
  return getJson(`${DICOMWEB_ROOT}/studies/${studyUid}/instances${search === '' ? '' : `?${search}`}`, signal);
}

/**
 * QIDO-RS SearchForInstances of a series, asking for Image Position (Patient) to sort the stack
 * and for the Frame of Reference the RT overlays must share.
 *
 * @example
 * const instances = await searchInstances('1.2.3', '1.2.3.4');
 */
export async function searchInstances(
  studyUid: string,
  seriesUid: string,
  signal?: AbortSignal,
): Promise<InstanceSummary[]> {
  const path = `${DICOMWEB_ROOT}/studies/${studyUid}/series/${seriesUid}/instances?includefield=00200032,00200052`;
  return parseInstances(await getJson(path, signal));
}

/**
 * Fetches one instance as Part 10 bytes through WADO-URI.
 *
 * @example
 * const bytes = await fetchInstance(study, series, sop);
 */
export async function fetchInstance(studyUid: string, seriesUid: string, sopUid: string): Promise<Uint8Array> {
  const path = wadoUri(studyUid, seriesUid, sopUid);
  const response = await fetch(path, { headers: { accept: 'application/dicom' }, credentials: 'same-origin' });
  if (!response.ok) throw new DicomWebError(response.status, `${response.status} ${response.statusText} for ${path}`);
  return new Uint8Array(await response.arrayBuffer());
}
