import { type DeidConfig, MIN_SECRET_LENGTH } from './config.js';
import { DEID_OPTIONS, type DeidOption, EXCLUSIVE_OPTIONS, UNSUPPORTED_OPTIONS } from './options.js';

/**
 * The codes of configuration problems, each with the field it concerns.
 *
 * @example
 * const c: ConfigProblemCode = 'SECRET_TOO_SHORT';
 */
export type ConfigProblemCode =
  | 'PSEUDONYM_MISSING'
  | 'PSEUDONYM_INVALID'
  | 'SECRET_MISSING'
  | 'SECRET_TOO_SHORT'
  | 'OPTION_UNKNOWN'
  | 'OPTION_UNSUPPORTED'
  | 'OPTIONS_CONFLICT'
  | 'DATE_SHIFT_MISSING'
  | 'DATE_SHIFT_INVALID'
  | 'DATE_SHIFT_UNUSED'
  | 'TRIAL_VALUE_INVALID';

/**
 * One problem found in a configuration, worded for the Uploader's "Evaluate" step.
 *
 * @example
 * const p: ConfigProblem = { code: 'SECRET_MISSING', field: 'uidSecret', message: 'The study has no UID secret…' };
 */
export interface ConfigProblem {
  readonly code: ConfigProblemCode;
  readonly field: string;
  readonly message: string;
}

// LO holds 64 characters, ST 1024, PN 64 per component group (PS3.5 6.2); backslash separates values
// and control characters other than ESC are not allowed in these VRs.
function forbidden(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c || (c < 0x20 && c !== 0x1b)) return true;
  }
  return false;
}

function checkText(value: string | undefined, field: string, max: number, problems: ConfigProblem[]): void {
  if (value === undefined) return;
  if (value.length > max || forbidden(value)) {
    problems.push({
      code: 'TRIAL_VALUE_INVALID',
      field,
      message: `${field} must be at most ${max} characters without backslash or control characters.`,
    });
  }
}

/**
 * Checks a configuration before any file is touched and returns every problem found (empty when
 * the configuration is complete and consistent). The Uploader shows these in "Evaluate";
 * planDeidentification refuses a configuration with problems.
 *
 * @example
 * checkConfig({ options: [], patientId: '', patientName: 'x', uidSecret: 'short' });
 * // → [{ code: 'PSEUDONYM_MISSING', … }, { code: 'SECRET_TOO_SHORT', … }]
 */
export function checkConfig(config: DeidConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [field, label] of [
    ['patientId', 'Patient ID'],
    ['patientName', "Patient's Name"],
  ] as const) {
    const value = config[field];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({
        code: 'PSEUDONYM_MISSING',
        field,
        message: `The pseudonym ${label} is missing: the upload slot must provide it.`,
      });
    } else if (value.length > 64 || forbidden(value)) {
      problems.push({
        code: 'PSEUDONYM_INVALID',
        field,
        message: `The pseudonym ${label} must be at most 64 characters without backslash or control characters.`,
      });
    }
  }
  if (typeof config.uidSecret !== 'string' || config.uidSecret === '') {
    problems.push({
      code: 'SECRET_MISSING',
      field: 'uidSecret',
      message: 'The study has no UID secret: new UIDs could not be derived consistently.',
    });
  } else if (config.uidSecret.length < MIN_SECRET_LENGTH) {
    problems.push({
      code: 'SECRET_TOO_SHORT',
      field: 'uidSecret',
      message: `The UID secret is too short (at least ${MIN_SECRET_LENGTH} characters are needed).`,
    });
  }
  const options = new Set<DeidOption>();
  for (const o of config.options) {
    if (!(o in DEID_OPTIONS)) {
      problems.push({ code: 'OPTION_UNKNOWN', field: 'options', message: `Unknown de-identification option "${o}".` });
      continue;
    }
    options.add(o);
  }
  for (const o of UNSUPPORTED_OPTIONS) {
    if (options.has(o)) {
      problems.push({
        code: 'OPTION_UNSUPPORTED',
        field: 'options',
        message: `${DEID_OPTIONS[o].meaning} is not supported: Courier never alters pixel data.`,
      });
    }
  }
  for (const [a, b] of EXCLUSIVE_OPTIONS) {
    if (options.has(a) && options.has(b)) {
      problems.push({
        code: 'OPTIONS_CONFLICT',
        field: 'options',
        message: `${DEID_OPTIONS[a].meaning} and ${DEID_OPTIONS[b].meaning} cannot be combined.`,
      });
    }
  }
  const shift = config.dateShiftDays;
  if (options.has('retainLongitudinalModifiedDates')) {
    if (shift === undefined) {
      problems.push({
        code: 'DATE_SHIFT_MISSING',
        field: 'dateShiftDays',
        message: 'Modified Dates needs the subject’s date offset in days from the Portal.',
      });
    } else if (!Number.isInteger(shift) || Math.abs(shift) > 365_000) {
      problems.push({
        code: 'DATE_SHIFT_INVALID',
        field: 'dateShiftDays',
        message: 'The date offset must be a whole number of days.',
      });
    }
  } else if (shift !== undefined) {
    problems.push({
      code: 'DATE_SHIFT_UNUSED',
      field: 'dateShiftDays',
      message: 'A date offset is configured but the Modified Dates option is not selected.',
    });
  }
  const trial = config.clinicalTrial ?? {};
  checkText(trial.sponsorName, 'clinicalTrial.sponsorName', 64, problems);
  checkText(trial.protocolId, 'clinicalTrial.protocolId', 64, problems);
  checkText(trial.protocolName, 'clinicalTrial.protocolName', 64, problems);
  checkText(trial.siteId, 'clinicalTrial.siteId', 64, problems);
  checkText(trial.siteName, 'clinicalTrial.siteName', 64, problems);
  checkText(trial.subjectId, 'clinicalTrial.subjectId', 64, problems);
  checkText(trial.timePointId, 'clinicalTrial.timePointId', 64, problems);
  checkText(trial.timePointDescription, 'clinicalTrial.timePointDescription', 1024, problems);
  return problems;
}
