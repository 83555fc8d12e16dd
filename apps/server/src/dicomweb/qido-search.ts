import type { DicomJsonAttribute, DicomJsonObject } from './dicom-json-model.js';
import { matchesAll, type QidoSearch } from './qido-query.js';
import type { IndexedInstance, StudyIndex } from './study-index.js';

// Return attributes of PS3.18 10.6.3.3 (Tables 10.6.3-3 study, -4 series, -5 instance): those held
// in the headers are copied from the (first) instance, the others are computed from the store.

/** Study level attributes copied from an instance (PS3.18 Table 10.6.3-3, plus Study Description). */
const STUDY_KEYS = [
  '00080005', // Specific Character Set
  '00080020', // Study Date
  '00080030', // Study Time
  '00080050', // Accession Number
  '00080090', // Referring Physician's Name
  '00080201', // Timezone Offset From UTC
  '00081030', // Study Description
  '00100010', // Patient's Name
  '00100020', // Patient ID
  '00100030', // Patient's Birth Date
  '00100040', // Patient's Sex
  '0020000D', // Study Instance UID
  '00200010', // Study ID
];
/** Series level attributes (PS3.18 Table 10.6.3-4, plus Series Date/Time). */
const SERIES_KEYS = [
  '00080005',
  '00080021', // Series Date
  '00080031', // Series Time
  '00080060', // Modality
  '00080201',
  '0008103E', // Series Description
  '0020000D',
  '0020000E', // Series Instance UID
  '00200011', // Series Number
  '00400244', // Performed Procedure Step Start Date
  '00400245', // Performed Procedure Step Start Time
];
/** Instance level attributes (PS3.18 Table 10.6.3-5). */
const INSTANCE_KEYS = [
  '00080016', // SOP Class UID
  '00080018', // SOP Instance UID
  '00200013', // Instance Number
  '00280008', // Number of Frames
  '00280010', // Rows
  '00280011', // Columns
  '00280100', // Bits Allocated
];

const ONLINE: DicomJsonAttribute = { vr: 'CS', Value: ['ONLINE'] }; // (0008,0056) Instance Availability
const count = (n: number): DicomJsonAttribute => ({ vr: 'IS', Value: [n] });
const url = (href: string): DicomJsonAttribute => ({ vr: 'UR', Value: [href] });

function pick(source: DicomJsonObject, keys: readonly string[]): DicomJsonObject {
  const out: DicomJsonObject = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** Adds the includefield attributes (and the match keys, PS3.18 8.3.4.3) from the representative instance. */
function withIncluded(record: DicomJsonObject, representative: DicomJsonObject, search: QidoSearch): DicomJsonObject {
  const keys = search.include === 'all' ? Object.keys(representative) : [...search.include];
  for (const key of [...keys, ...search.matches.map((m) => m.key)]) {
    if (record[key] === undefined && representative[key] !== undefined) record[key] = representative[key];
  }
  // DICOM JSON lists attributes in tag order, like the binary encoding (PS3.18 F.2.1).
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const textOf = (record: DicomJsonObject, key: string): string => String(record[key]?.Value?.[0] ?? '');
const numberOf = (record: DicomJsonObject, key: string): number => {
  const n = Number(record[key]?.Value?.[0]);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
};

function groupBySeries(instances: readonly IndexedInstance[]): IndexedInstance[][] {
  const series = new Map<string, IndexedInstance[]>();
  for (const i of instances) {
    const list = series.get(i.instance.seriesInstanceUid) ?? [];
    list.push(i);
    series.set(i.instance.seriesInstanceUid, list);
  }
  // Series in Series Number order (then UID), as a viewer lists them.
  return [...series.values()].sort(
    (a, b) =>
      numberOf(a[0]!.attributes, '00200011') - numberOf(b[0]!.attributes, '00200011') ||
      a[0]!.instance.seriesInstanceUid.localeCompare(b[0]!.instance.seriesInstanceUid),
  );
}

function page<T>(items: T[], search: QidoSearch): T[] {
  return items.slice(search.offset, search.limit === undefined ? undefined : search.offset + search.limit);
}

/**
 * QIDO-RS SearchForStudies over indexed studies (PS3.18 10.6.3.3.1): one result per study that
 * holds at least one instance and matches, with Modalities in Study and the study's series and
 * instance counts.
 *
 * @example
 * searchStudyRecords(indexes, parseQidoQuery(query), 'https://portal/dicomweb');
 */
export function searchStudyRecords(
  indexes: readonly StudyIndex[],
  search: QidoSearch,
  root: string,
): DicomJsonObject[] {
  const results: DicomJsonObject[] = [];
  for (const index of indexes) {
    const first = index.instances[0];
    if (first === undefined) continue;
    const series = groupBySeries(index.instances);
    const modalities = [...new Set(series.map((s) => textOf(s[0]!.attributes, '00080060')).filter((m) => m !== ''))];
    const record: DicomJsonObject = {
      ...pick(first.attributes, STUDY_KEYS),
      '00080056': ONLINE,
      '00080061': { vr: 'CS', Value: modalities.sort() }, // Modalities in Study
      '00081190': url(`${root}/studies/${index.studyInstanceUid}`), // Retrieve URL
      '00201206': count(series.length), // Number of Study Related Series
      '00201208': count(index.instances.length), // Number of Study Related Instances
    };
    if (
      !matchesAll(
        record,
        index.instances.map((i) => i.attributes),
        search.matches,
      )
    )
      continue;
    results.push(withIncluded(record, first.attributes, search));
  }
  return page(results, search);
}

/**
 * QIDO-RS SearchForSeries of one study (PS3.18 10.6.3.3.2), with Number of Series Related Instances.
 *
 * @example
 * searchSeriesRecords(index, parseQidoQuery({ Modality: 'CT' }), root);
 */
export function searchSeriesRecords(index: StudyIndex, search: QidoSearch, root: string): DicomJsonObject[] {
  const results: DicomJsonObject[] = [];
  for (const members of groupBySeries(index.instances)) {
    const first = members[0]!;
    const record: DicomJsonObject = {
      ...pick(first.attributes, SERIES_KEYS),
      '00081190': url(`${root}/studies/${index.studyInstanceUid}/series/${first.instance.seriesInstanceUid}`),
      '00201209': count(members.length), // Number of Series Related Instances
    };
    if (
      !matchesAll(
        record,
        members.map((i) => i.attributes),
        search.matches,
      )
    )
      continue;
    results.push(withIncluded(record, first.attributes, search));
  }
  return page(results, search);
}

/**
 * QIDO-RS SearchForInstances of a study or of one series (PS3.18 10.6.3.3.3): instance attributes
 * plus the series attributes (PS3.18 allows more than required; viewers need Modality and the UIDs
 * to build retrieve URLs), in series then Instance Number order.
 *
 * @example
 * searchInstanceRecords(index, parseQidoQuery({ SOPInstanceUID: uid }), root, seriesUid);
 */
export function searchInstanceRecords(
  index: StudyIndex,
  search: QidoSearch,
  root: string,
  seriesInstanceUid?: string,
): DicomJsonObject[] {
  const results: DicomJsonObject[] = [];
  for (const members of groupBySeries(index.instances)) {
    if (seriesInstanceUid !== undefined && members[0]!.instance.seriesInstanceUid !== seriesInstanceUid) continue;
    const ordered = [...members].sort(
      (a, b) =>
        numberOf(a.attributes, '00200013') - numberOf(b.attributes, '00200013') ||
        a.instance.sopInstanceUid.localeCompare(b.instance.sopInstanceUid),
    );
    for (const { instance, attributes } of ordered) {
      // Match on the instance's own attributes first: a one-SOP search builds one record, not 2,000.
      if (!matchesAll(attributes, [], search.matches)) continue;
      const record: DicomJsonObject = {
        ...pick(attributes, SERIES_KEYS),
        ...pick(attributes, INSTANCE_KEYS),
        '00080056': ONLINE,
        '00081190': url(
          `${root}/studies/${instance.studyInstanceUid}/series/${instance.seriesInstanceUid}/instances/${instance.sopInstanceUid}`,
        ),
      };
      results.push(withIncluded(record, attributes, search));
    }
  }
  return page(results, search);
}
