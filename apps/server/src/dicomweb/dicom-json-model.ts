import {
  type DataSet,
  type DicomElement,
  type DicomFile,
  getBytes,
  getNumbers,
  getString,
  getStrings,
  isGroupLengthTag,
  lookupTag,
  type Tag,
  type VR,
} from '@courier/dicom';

/** PS3.18 F.2.2: a Person Name value, one object per value with its component groups. */
export interface DicomJsonPersonName {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

/** One attribute of the DICOM JSON Model (PS3.18 F.2.2): `vr` and at most one of the value fields. */
export interface DicomJsonAttribute {
  vr: VR;
  Value?: (string | number | null | DicomJsonPersonName | DicomJsonObject)[];
  InlineBinary?: string;
  BulkDataURI?: string;
}

/** A data set in the DICOM JSON Model (PS3.18 F.2.1): attributes keyed by 8 upper-case hex digits. */
export type DicomJsonObject = Record<string, DicomJsonAttribute>;

/** How {@link toDicomJson} treats bulk data and which elements it keeps. */
export interface DicomJsonOptions {
  /**
   * URI for a top-level binary value longer than `inlineBinaryMax` (PS3.18 F.2.6 BulkDataURI);
   * without it every binary value is inlined as base64 (F.2.7 InlineBinary).
   */
  bulkDataUri?: (tag: Tag) => string;
  /** Largest binary value inlined when `bulkDataUri` is given (default 1024 bytes). */
  inlineBinaryMax?: number;
  /** Keeps only the top-level elements this returns true for (default: all). */
  keep?: (element: DicomElement) => boolean;
}

const BINARY: ReadonlySet<VR> = new Set<VR>(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const NUMBERS: ReadonlySet<VR> = new Set<VR>(['DS', 'IS', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);

/**
 * The key of a tag in the DICOM JSON Model: 8 upper-case hex digits (PS3.18 F.2.1.1).
 *
 * @example
 * jsonKey(tag(0x0010, 0x0020)); // "00100020"
 */
export function jsonKey(t: Tag): string {
  return t.toString(16).toUpperCase().padStart(8, '0');
}

/** The VR to report: a UN element whose tag the dictionary knows is reported with the dictionary's VR (PS3.5 6.2.2). */
function reportedVR(element: DicomElement): VR {
  if (element.items !== undefined) return 'SQ';
  if (element.vr !== 'UN') return element.vr;
  const known = lookupTag(element.tag)?.vr;
  return known === undefined || known === 'SQ' ? 'UN' : known;
}

function personName(value: string): DicomJsonPersonName | null {
  if (value === '') return null;
  const [alphabetic, ideographic, phonetic] = value.split('=');
  const name: DicomJsonPersonName = {};
  if (alphabetic) name.Alphabetic = alphabetic;
  if (ideographic) name.Ideographic = ideographic;
  if (phonetic) name.Phonetic = phonetic;
  return name;
}

function attribute(file: DicomFile, ds: DataSet, element: DicomElement, options: DicomJsonOptions, top: boolean) {
  const vr = reportedVR(element);
  const out: DicomJsonAttribute = { vr };
  if (vr === 'SQ') {
    const items = element.items ?? [];
    // PS3.18 F.2.3: an empty sequence has no Value; each item is a DICOM JSON object.
    if (items.length > 0) out.Value = items.map((item) => toDicomJson(file, item, { ...options, keep: undefined }));
    return out;
  }
  if (element.length === 0) return out;
  if (BINARY.has(vr)) {
    const uri = options.bulkDataUri;
    if (top && uri !== undefined && element.length > (options.inlineBinaryMax ?? 1024)) {
      out.BulkDataURI = uri(element.tag);
    } else {
      out.InlineBinary = Buffer.from(getBytes(file, element)).toString('base64');
    }
    return out;
  }
  if (NUMBERS.has(vr)) {
    // PS3.18 F.2.3.1: numbers as JSON numbers; values JSON cannot hold (NaN, ±Infinity, an IS that
    // does not parse) become null rather than breaking the document.
    out.Value = getNumbers(file, ds, element.tag).map((n) => (Number.isFinite(n) ? n : null));
    return out;
  }
  if (vr === 'AT') {
    // PS3.18 F.2.3.1: AT values are 8 hex digits, "00100020".
    out.Value = (getString(file, ds, element.tag) ?? '').split('\\').map((t) => t.replace(/[(),]/g, ''));
    return out;
  }
  if (vr === 'PN') {
    out.Value = (getString(file, ds, element.tag) ?? '').split('\\').map(personName);
    return out;
  }
  const values = getStrings(file, ds, element.tag);
  if (values.length > 0) out.Value = values.map((v) => (v === '' ? null : v));
  return out;
}

/**
 * A data set in the DICOM JSON Model (PS3.18 Annex F): every element with its VR, text decoded
 * with the Specific Character Set, numbers as numbers, person names split into component groups,
 * sequences as nested objects, binary values inline (base64) or by BulkDataURI. Group length
 * elements (gggg,0000) are left out (PS3.5 7.2: retired in data sets). Elements after a header-only
 * read's stop (Pixel Data) are not in `dataSet`; the caller adds them.
 *
 * @example
 * const json = toDicomJson(file, file.dataSet);
 * json['00100020'].Value[0]; // Patient ID
 */
export function toDicomJson(file: DicomFile, ds: DataSet, options: DicomJsonOptions = {}): DicomJsonObject {
  const out: DicomJsonObject = {};
  const top = ds === file.dataSet;
  for (const element of ds.elements.values()) {
    if (isGroupLengthTag(element.tag)) continue;
    if (top && options.keep !== undefined && !options.keep(element)) continue;
    out[jsonKey(element.tag)] = attribute(file, ds, element, options, top);
  }
  return out;
}
