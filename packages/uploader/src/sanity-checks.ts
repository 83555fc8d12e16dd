import type { InstanceRecord } from './instance-record.js';
import type { RtGraph } from './rt-graph.js';
import { missingFromSelection } from './selection.js';
import { isSecondaryCaptureSopClass } from './sop-class-modality.js';
import type { SeriesNode } from './study-tree.js';

/**
 * Errors block the upload; warnings block until acknowledged; infos never block.
 *
 * @example
 * const s: Severity = 'warning';
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * What a check looks at, for grouping in the "Issues" view.
 *
 * @example
 * const c: SanityCategory = 'patient';
 */
export type SanityCategory =
  | 'selection'
  | 'patient'
  | 'study'
  | 'modality'
  | 'references'
  | 'pixels'
  | 'encryption'
  | 'deidentification';

/**
 * The code of a check: stable, never reused (documented in docs/errors.md).
 *
 * @example
 * const code: SanityCheckCode = 'SANITY_PATIENT_SEX_MISMATCH';
 */
export type SanityCheckCode =
  | 'SANITY_NO_SERIES_SELECTED'
  | 'SANITY_PATIENT_SEX_MISMATCH'
  | 'SANITY_PATIENT_SEX_MISSING'
  | 'SANITY_BIRTH_DATE_MISMATCH'
  | 'SANITY_BIRTH_DATE_MISSING'
  | 'SANITY_MULTIPLE_PATIENT_IDS'
  | 'SANITY_MULTIPLE_PATIENT_NAMES'
  | 'SANITY_MULTIPLE_BIRTH_DATES'
  | 'SANITY_MULTIPLE_STUDIES'
  | 'SANITY_MULTIPLE_STUDY_DATES'
  | 'SANITY_MULTIPLE_STUDY_DESCRIPTIONS'
  | 'SANITY_STUDY_DATE_OUTSIDE_WINDOW'
  | 'SANITY_STUDY_DATE_MISSING'
  | 'SANITY_UNEXPECTED_MODALITY'
  | 'SANITY_REFERENCED_SERIES_MISSING'
  | 'SANITY_REFERENCED_INSTANCES_MISSING'
  | 'SANITY_BURNED_IN_ANNOTATION'
  | 'SANITY_SECONDARY_CAPTURE'
  | 'SANITY_ENCRYPTED_ATTRIBUTES'
  | 'SANITY_DEID_CONFIGURATION';

/**
 * The check catalogue: each code's category and default severity. Severities that depend on the
 * slot (burned-in annotation allowed) or on packages/deid are decided per result.
 *
 * @example
 * SANITY_CHECKS.SANITY_ENCRYPTED_ATTRIBUTES; // { category: 'encryption', severity: 'error' }
 */
export const SANITY_CHECKS: Readonly<Record<SanityCheckCode, { category: SanityCategory; severity: Severity }>> = {
  SANITY_NO_SERIES_SELECTED: { category: 'selection', severity: 'error' },
  SANITY_PATIENT_SEX_MISMATCH: { category: 'patient', severity: 'warning' },
  SANITY_PATIENT_SEX_MISSING: { category: 'patient', severity: 'info' },
  SANITY_BIRTH_DATE_MISMATCH: { category: 'patient', severity: 'warning' },
  SANITY_BIRTH_DATE_MISSING: { category: 'patient', severity: 'info' },
  // Two Patient IDs mean two patients would be merged under one pseudonym: nothing to acknowledge.
  SANITY_MULTIPLE_PATIENT_IDS: { category: 'patient', severity: 'error' },
  // Names differ in spelling and format between systems (DOE^JOHN vs Doe^John): the user judges.
  SANITY_MULTIPLE_PATIENT_NAMES: { category: 'patient', severity: 'warning' },
  SANITY_MULTIPLE_BIRTH_DATES: { category: 'patient', severity: 'warning' },
  SANITY_MULTIPLE_STUDIES: { category: 'study', severity: 'warning' },
  SANITY_MULTIPLE_STUDY_DATES: { category: 'study', severity: 'warning' },
  SANITY_MULTIPLE_STUDY_DESCRIPTIONS: { category: 'study', severity: 'warning' },
  SANITY_STUDY_DATE_OUTSIDE_WINDOW: { category: 'study', severity: 'warning' },
  SANITY_STUDY_DATE_MISSING: { category: 'study', severity: 'info' },
  SANITY_UNEXPECTED_MODALITY: { category: 'modality', severity: 'warning' },
  SANITY_REFERENCED_SERIES_MISSING: { category: 'references', severity: 'warning' },
  SANITY_REFERENCED_INSTANCES_MISSING: { category: 'references', severity: 'warning' },
  SANITY_BURNED_IN_ANNOTATION: { category: 'pixels', severity: 'error' },
  SANITY_SECONDARY_CAPTURE: { category: 'pixels', severity: 'error' },
  SANITY_ENCRYPTED_ATTRIBUTES: { category: 'encryption', severity: 'error' },
  SANITY_DEID_CONFIGURATION: { category: 'deidentification', severity: 'error' },
};

/**
 * One finding. `message` is written for the user and carries no attribute values, so it can go
 * into logs and audit records; the values compared are in `expected` / `found`, for display only.
 *
 * @example
 * { id: 'SANITY_PATIENT_SEX_MISMATCH:1.2.3', code: 'SANITY_PATIENT_SEX_MISMATCH', category: 'patient',
 *   severity: 'warning', series: ['1.2.3'], expected: 'F', found: ['M'], message: "Patient's Sex differs from the subject's sex." }
 */
export interface SanityCheckResult {
  /** Stable key of this finding for this selection: the code and the sorted series UIDs. */
  readonly id: string;
  readonly code: SanityCheckCode;
  readonly category: SanityCategory;
  readonly severity: Severity;
  /** Series Instance UIDs concerned (empty when the finding is about the whole selection). */
  readonly series: readonly string[];
  /** The value the data should have (from the subject or the slot), when there is one. */
  readonly expected?: string;
  /** The distinct values found in the data. */
  readonly found: readonly string[];
  readonly message: string;
}

/**
 * What the Portal knows about the slot's subject (only what the study records).
 *
 * @example
 * const subject: SubjectFacts = { sex: 'F', birthYear: 1961 };
 */
export interface SubjectFacts {
  /** "M" / "F" / "O", or "male" / "female" / "other"; anything else is treated as unknown. */
  readonly sex?: string;
  /** "YYYY-MM-DD" or DICOM DA "YYYYMMDD". */
  readonly birthDate?: string;
  /** When the study records only the year of birth. */
  readonly birthYear?: number;
}

/**
 * What the slot expects of its data.
 *
 * @example
 * const slot: SlotExpectations = { eventDate: '2026-03-02', expectedModalities: ['CT', 'RTSTRUCT'] };
 */
export interface SlotExpectations {
  /** The event's date ("YYYY-MM-DD" or "YYYYMMDD"); study dates are compared with it. */
  readonly eventDate?: string;
  /** Half-width of the plausible window around the event date, in days (default 30). */
  readonly studyDateWindowDays?: number;
  /** Modalities the slot expects (a "Planning CT" slot: ["CT"]); absent → any modality. */
  readonly expectedModalities?: readonly string[];
  /** The study allows images whose pixels may carry text (burned-in annotation, screenshots). */
  readonly allowBurnedInAnnotation?: boolean;
}

/**
 * A problem of the de-identification configuration, as packages/deid reports it. The seam: the
 * caller passes deid's configuration check results here so they show with the other findings.
 *
 * @example
 * runSanityChecks({ series, subject, deidProblems: checkConfig(config) }); // deid's ConfigProblem fits
 */
export interface DeidConfigurationProblem {
  readonly code: string;
  readonly message: string;
  readonly severity?: Severity;
}

/**
 * Everything the checks compare.
 *
 * @example
 * runSanityChecks({ series: selected, graph, subject: { sex: 'M' }, slot: { eventDate: '2026-03-02' } });
 */
export interface SanityCheckInput {
  /** The series that will be uploaded (explicit and implied). */
  readonly series: readonly SeriesNode[];
  /** The drop's RT graph, to find references the selection lacks; omit to skip that check. */
  readonly graph?: RtGraph;
  readonly subject: SubjectFacts;
  readonly slot?: SlotExpectations;
  readonly deidProblems?: readonly DeidConfigurationProblem[];
}

const DEFAULT_WINDOW_DAYS = 30;

/**
 * Runs every check and returns the findings, errors first, then warnings, then infos (stable order
 * within a severity). Pure.
 *
 * @example
 * const results = runSanityChecks({ series: selected, graph, subject: { sex: 'F', birthYear: 1961 },
 *   slot: { eventDate: '2026-03-02', expectedModalities: ['CT', 'RTSTRUCT', 'RTPLAN', 'RTDOSE'] } });
 * results.filter((r) => r.severity === 'error'); // these block the upload
 */
export function runSanityChecks(input: SanityCheckInput): SanityCheckResult[] {
  const out: SanityCheckResult[] = [];
  const { series, subject } = input;
  const slot = input.slot ?? {};
  if (series.length === 0) out.push(result('SANITY_NO_SERIES_SELECTED', [], 'No series is selected.', []));

  checkSubject(series, subject, out);
  checkConsistency(series, out);
  checkStudyDates(series, slot, out);
  checkModalities(series, slot, out);
  if (input.graph !== undefined) checkReferences(series, input.graph, out);
  checkPixels(series, slot, out);
  const encrypted = series.filter((s) => s.instances.some((i) => i.hasEncryptedAttributes));
  if (encrypted.length > 0) {
    out.push(
      result(
        'SANITY_ENCRYPTED_ATTRIBUTES',
        uids(encrypted),
        'Encrypted Attributes Sequence (0400,0500) is present: its content cannot be checked or de-identified.',
        [],
      ),
    );
  }
  for (const problem of input.deidProblems ?? []) {
    out.push({
      ...result('SANITY_DEID_CONFIGURATION', [], `De-identification configuration: ${problem.message}`, [problem.code]),
      id: `SANITY_DEID_CONFIGURATION:${problem.code}`,
      severity: problem.severity ?? 'error',
    });
  }
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return out
    .map((r, n) => ({ r, n }))
    .sort((a, b) => rank[a.r.severity] - rank[b.r.severity] || a.n - b.n)
    .map((x) => x.r);
}

function checkSubject(series: readonly SeriesNode[], subject: SubjectFacts, out: SanityCheckResult[]): void {
  const sex = normaliseSex(subject.sex);
  if (sex !== undefined) {
    const differing = series.filter((s) => values(s, (i) => i.patient.sex?.toUpperCase()).some((v) => v !== sex));
    if (differing.length > 0) {
      out.push(
        result(
          'SANITY_PATIENT_SEX_MISMATCH',
          uids(differing),
          "Patient's Sex (0010,0040) differs from the subject's sex.",
          distinct(differing, (i) => i.patient.sex),
          sex,
        ),
      );
    }
    const missing = series.filter((s) => s.instances.some((i) => i.patient.sex === undefined));
    if (missing.length > 0) {
      out.push(
        result(
          'SANITY_PATIENT_SEX_MISSING',
          uids(missing),
          "Patient's Sex (0010,0040) is empty: it cannot be compared.",
          [],
        ),
      );
    }
  }

  const expectedBirth = subject.birthDate !== undefined ? digits(subject.birthDate) : subject.birthYear?.toString();
  if (expectedBirth !== undefined && expectedBirth !== '') {
    const compareLength = expectedBirth.length >= 8 ? 8 : 4;
    const expected = expectedBirth.slice(0, compareLength);
    const differing = series.filter((s) =>
      values(s, (i) => i.patient.birthDate).some((v) => digits(v).slice(0, compareLength) !== expected),
    );
    if (differing.length > 0) {
      out.push(
        result(
          'SANITY_BIRTH_DATE_MISMATCH',
          uids(differing),
          compareLength === 8
            ? "Patient's Birth Date (0010,0030) differs from the subject's birth date."
            : "The year of Patient's Birth Date (0010,0030) differs from the subject's year of birth.",
          distinct(differing, (i) => i.patient.birthDate),
          expected,
        ),
      );
    }
    const missing = series.filter((s) => s.instances.some((i) => i.patient.birthDate === undefined));
    if (missing.length > 0) {
      out.push(
        result(
          'SANITY_BIRTH_DATE_MISSING',
          uids(missing),
          "Patient's Birth Date (0010,0030) is empty: it cannot be compared.",
          [],
        ),
      );
    }
  }
}

function checkConsistency(series: readonly SeriesNode[], out: SanityCheckResult[]): void {
  const checks: [SanityCheckCode, (i: InstanceRecord) => string | undefined, string][] = [
    [
      'SANITY_MULTIPLE_PATIENT_IDS',
      (i) => i.patient.patientID,
      'The selected series hold more than one Patient ID (0010,0020): data of several patients may be mixed up.',
    ],
    [
      'SANITY_MULTIPLE_PATIENT_NAMES',
      (i) => i.patient.patientName,
      "The selected series hold more than one Patient's Name (0010,0010).",
    ],
    [
      'SANITY_MULTIPLE_BIRTH_DATES',
      (i) => i.patient.birthDate,
      "The selected series hold more than one Patient's Birth Date (0010,0030).",
    ],
    [
      'SANITY_MULTIPLE_STUDIES',
      (i) => i.studyInstanceUID,
      'The selected series belong to more than one study (Study Instance UID).',
    ],
    [
      'SANITY_MULTIPLE_STUDY_DATES',
      (i) => i.study.studyDate,
      'The selected series hold more than one Study Date (0008,0020).',
    ],
    [
      'SANITY_MULTIPLE_STUDY_DESCRIPTIONS',
      (i) => i.study.studyDescription,
      'The selected series hold more than one Study Description (0008,1030).',
    ],
  ];
  for (const [code, pick, message] of checks) {
    const found = distinct(series, pick);
    if (found.length > 1) {
      const concerned = series.filter((s) => values(s, pick).length > 0);
      // Study Instance UIDs are identifiers, not shown values: report the count only.
      out.push(
        result(code, uids(concerned), message, code === 'SANITY_MULTIPLE_STUDIES' ? [String(found.length)] : found),
      );
    }
  }
}

function checkStudyDates(series: readonly SeriesNode[], slot: SlotExpectations, out: SanityCheckResult[]): void {
  if (slot.eventDate === undefined) return;
  const event = dayNumber(digits(slot.eventDate));
  if (event === undefined) return;
  const window = slot.studyDateWindowDays ?? DEFAULT_WINDOW_DAYS;
  const outside = series.filter((s) =>
    values(s, (i) => i.study.studyDate).some((d) => {
      const day = dayNumber(digits(d));
      return day !== undefined && Math.abs(day - event) > window;
    }),
  );
  if (outside.length > 0) {
    out.push(
      result(
        'SANITY_STUDY_DATE_OUTSIDE_WINDOW',
        uids(outside),
        `Study Date (0008,0020) is more than ${window} days away from the event's date.`,
        distinct(outside, (i) => i.study.studyDate),
        digits(slot.eventDate),
      ),
    );
  }
  const undated = series.filter((s) => s.instances.every((i) => i.study.studyDate === undefined));
  if (undated.length > 0) {
    out.push(
      result(
        'SANITY_STUDY_DATE_MISSING',
        uids(undated),
        "Study Date (0008,0020) is empty: it cannot be compared with the event's date.",
        [],
      ),
    );
  }
}

function checkModalities(series: readonly SeriesNode[], slot: SlotExpectations, out: SanityCheckResult[]): void {
  const expected = slot.expectedModalities;
  if (expected === undefined || expected.length === 0) return;
  const unexpected = series.filter((s) => !expected.includes(s.modality));
  if (unexpected.length > 0) {
    out.push(
      result(
        'SANITY_UNEXPECTED_MODALITY',
        uids(unexpected),
        'The slot does not expect series of this modality.',
        [...new Set(unexpected.map((s) => s.modality))].sort(),
        expected.join(', '),
      ),
    );
  }
}

function checkReferences(series: readonly SeriesNode[], graph: RtGraph, out: SanityCheckResult[]): void {
  const selected = new Set(uids(series));
  // Instances named by a reference whose series is present but incomplete (a slice not exported).
  const partial = graph.edges.filter(
    (e) => selected.has(e.from) && selected.has(e.to) && e.missingInstances.length > 0,
  );
  if (partial.length > 0) {
    const count = new Set(partial.flatMap((e) => e.missingInstances)).size;
    out.push(
      result(
        'SANITY_REFERENCED_INSTANCES_MISSING',
        [...new Set(partial.flatMap((e) => [e.from, e.to]))].sort(),
        'Some images referenced by the selected series are missing from their series: the series is incomplete.',
        [String(count)],
      ),
    );
  }
  const missing = missingFromSelection(graph, selected);
  if (missing.length === 0) return;
  const referrers = [...new Set(missing.flatMap((m) => m.referencedBy))].sort();
  out.push(
    result(
      'SANITY_REFERENCED_SERIES_MISSING',
      referrers,
      'Objects referenced by the selected series are not part of the upload: the RT set is incomplete.',
      [...new Set(missing.map((m) => m.expectedModality))].sort(),
    ),
  );
}

function checkPixels(series: readonly SeriesNode[], slot: SlotExpectations, out: SanityCheckResult[]): void {
  const severity: Severity = slot.allowBurnedInAnnotation === true ? 'info' : 'error';
  const burned = series.filter((s) => s.instances.some((i) => i.burnedInAnnotation === 'YES'));
  if (burned.length > 0) {
    out.push({
      ...result(
        'SANITY_BURNED_IN_ANNOTATION',
        uids(burned),
        'Burned In Annotation (0028,0301) is YES: the pixels may show identifying text that header de-identification cannot remove.',
        ['YES'],
      ),
      severity,
    });
  }
  const captures = series.filter((s) =>
    s.instances.some((i) => isSecondaryCaptureSopClass(i.sopClassUID) || i.imageType?.includes('SCREENSHOT')),
  );
  if (captures.length > 0) {
    out.push({
      ...result(
        'SANITY_SECONDARY_CAPTURE',
        uids(captures),
        'Secondary capture or screenshot images: the pixels may show a name or other identifying text.',
        [...new Set(captures.map((s) => s.modality))].sort(),
      ),
      severity,
    });
  }
}

function result(
  code: SanityCheckCode,
  series: readonly string[],
  message: string,
  found: readonly string[],
  expected?: string,
): SanityCheckResult {
  const sorted = [...series].sort();
  return {
    id: `${code}:${sorted.join(',')}`,
    code,
    category: SANITY_CHECKS[code].category,
    severity: SANITY_CHECKS[code].severity,
    series: sorted,
    ...(expected === undefined ? {} : { expected }),
    found,
    message,
  };
}

function values(series: SeriesNode, pick: (i: InstanceRecord) => string | undefined): string[] {
  const set = new Set<string>();
  for (const i of series.instances) {
    const v = pick(i);
    if (v !== undefined && v !== '') set.add(v);
  }
  return [...set];
}

function distinct(series: readonly SeriesNode[], pick: (i: InstanceRecord) => string | undefined): string[] {
  return [...new Set(series.flatMap((s) => values(s, pick)))].sort();
}

function uids(series: readonly SeriesNode[]): string[] {
  return series.map((s) => s.seriesInstanceUID);
}

function normaliseSex(sex: string | undefined): string | undefined {
  const s = sex?.trim().toUpperCase();
  if (s === 'M' || s === 'MALE') return 'M';
  if (s === 'F' || s === 'FEMALE') return 'F';
  if (s === 'O' || s === 'OTHER') return 'O';
  return undefined;
}

/** Digits only: "1961-04-07" and the ACR-NEMA "1961.04.07" both become "19610407" (PS3.5 6.2 DA note). */
function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/** Days since 1970-01-01 of a "YYYYMMDD" date, undefined when it is not a real calendar date. */
function dayNumber(yyyymmdd: string): number | undefined {
  if (yyyymmdd.length !== 8) return undefined;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return ms / 86_400_000;
}
