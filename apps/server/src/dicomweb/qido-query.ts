import { ApiError, type QidoQuery } from '@courier/api';
import { lookupTag, type Tag, tagForKeyword, type VR } from '@courier/dicom';
import { type DicomJsonAttribute, type DicomJsonObject, jsonKey } from './dicom-json-model.js';

/** One match key of a search (PS3.18 8.3.4.1): the attribute and the text to match. */
export interface MatchKey {
  key: string;
  vr: VR;
  value: string;
}

/** A parsed QIDO-RS query (PS3.18 8.3.4). */
export interface QidoSearch {
  matches: MatchKey[];
  /** Attribute keys to add to each result, or 'all' (PS3.18 8.3.4.3 includefield). */
  include: Set<string> | 'all';
  limit: number | undefined;
  offset: number;
}

/** Query parameters that are not match keys (PS3.18 8.3.4). */
const CONTROL = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

/** An attribute ID of PS3.18 8.3.4.1: a keyword, or 8 hex digits; dotted sequence paths are not supported. */
function tagOf(id: string): Tag {
  const t = /^[0-9A-Fa-f]{8}$/.test(id) ? Number.parseInt(id, 16) : tagForKeyword(id);
  if (t === undefined) throw new ApiError('VALIDATION_FAILED', `unknown attribute ${JSON.stringify(id)}`);
  return t;
}

const lastValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);

/**
 * Parses a QIDO-RS query string into match keys, includefield and paging (PS3.18 8.3.4). Unknown
 * attributes answer 400 VALIDATION_FAILED.
 *
 * @example
 * parseQidoQuery({ PatientID: 'ABC', StudyDate: '20240101-', includefield: '00081030', limit: '10' });
 */
export function parseQidoQuery(query: QidoQuery): QidoSearch {
  const matches: MatchKey[] = [];
  for (const [id, raw] of Object.entries(query)) {
    if (CONTROL.has(id) || raw === undefined) continue;
    const t = tagOf(id);
    const value = lastValue(raw) ?? '';
    matches.push({ key: jsonKey(t), vr: lookupTag(t)?.vr ?? 'UN', value });
  }
  const fields = [query.includefield ?? []].flat().flatMap((f) => f.split(','));
  const include: Set<string> | 'all' = fields.includes('all')
    ? 'all'
    : new Set(fields.filter((f) => f !== '').map((f) => jsonKey(tagOf(f))));
  const limit = lastValue(query.limit);
  const offset = lastValue(query.offset);
  return {
    matches,
    include,
    limit: limit === undefined ? undefined : Number(limit),
    offset: offset === undefined ? 0 : Number(offset),
  };
}

/** PS3.4 C.2.2.2.4 wild card matching: `*` any run, `?` one character. */
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

/** The comparable text values of an attribute: PN by its component groups, numbers as text. */
function textsOf(attribute: DicomJsonAttribute): string[] {
  return (attribute.Value ?? []).flatMap((v) => {
    if (v === null) return [''];
    if (typeof v === 'object') {
      const pn = v as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
      return [pn.Alphabetic, pn.Ideographic, pn.Phonetic].filter((s): s is string => s !== undefined);
    }
    return [String(v)];
  });
}

/** PS3.4 C.2.2.2.5 range matching of DA, TM and DT: `a-b`, `-b`, `a-`, or one value. */
function inRange(value: string, key: string): boolean {
  const dash = key.indexOf('-');
  if (dash < 0) return value === key;
  const low = key.slice(0, dash);
  const high = key.slice(dash + 1);
  // Compare as many characters as the bound has: "20240101-20240131" includes 20240131 itself.
  return (low === '' || value >= low) && (high === '' || value.slice(0, high.length) <= high);
}

/**
 * Whether an attribute matches a key (PS3.4 C.2.2.2): empty key = universal; UI = list of UIDs
 * (comma or backslash); DA/TM/DT = single value or range; PN = case-insensitive with wildcards;
 * other text = case-sensitive with wildcards; any value of a multi-valued attribute may match.
 *
 * @example
 * matchesKey({ vr: 'DA', Value: ['20240105'] }, { key: '00080020', vr: 'DA', value: '20240101-20240131' }); // true
 */
export function matchesKey(attribute: DicomJsonAttribute | undefined, match: MatchKey): boolean {
  if (match.value === '') return true;
  if (attribute === undefined) return false;
  const values = textsOf(attribute);
  if (match.vr === 'UI') {
    const uids = match.value.split(/[,\\]/);
    return values.some((v) => uids.includes(v));
  }
  if (match.vr === 'DA' || match.vr === 'TM' || match.vr === 'DT') {
    return values.some((v) => inRange(v, match.value));
  }
  // A comma- or backslash-separated list (e.g. ModalitiesInStudy=CT,MR) matches any of its values.
  const patterns = match.value.split(/[,\\]/).map((p) => wildcard(p, match.vr === 'PN'));
  return values.some((v) => patterns.some((p) => p.test(v)));
}

/**
 * Whether a record matches every key; a key the record does not hold is tried against its
 * instances (so `Modality=CT` finds studies, `SOPInstanceUID=…` finds a series).
 *
 * @example
 * matchesAll(studyRecord, instancesOfStudy, search.matches);
 */
export function matchesAll(
  record: DicomJsonObject,
  instances: readonly DicomJsonObject[],
  matches: readonly MatchKey[],
): boolean {
  return matches.every((m) =>
    record[m.key] !== undefined ? matchesKey(record[m.key], m) : instances.some((i) => matchesKey(i[m.key], m)),
  );
}
