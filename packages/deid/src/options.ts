import type { ProfileOptionColumn } from './profile-row.js';

/**
 * The name of one option of PS3.15 E.3, e.g. 'retainLongitudinalFullDates'.
 *
 * @example
 * const o: DeidOption = 'retainDeviceIdentity';
 */
export type DeidOption =
  | 'cleanPixelData'
  | 'cleanRecognizableVisualFeatures'
  | 'cleanGraphics'
  | 'cleanStructuredContent'
  | 'cleanDescriptors'
  | 'retainLongitudinalFullDates'
  | 'retainLongitudinalModifiedDates'
  | 'retainPatientCharacteristics'
  | 'retainDeviceIdentity'
  | 'retainUIDs'
  | 'retainSafePrivate'
  | 'retainInstitutionIdentity';

/**
 * What the standard says about one option: its CID 7050 code and meaning, its Table E.1-1 column.
 *
 * @example
 * const info: DeidOptionInfo = { code: '113110', meaning: 'Retain UIDs Option', column: 'rtnUIDsOpt' };
 */
export interface DeidOptionInfo {
  readonly code: string;
  readonly meaning: string;
  readonly column: ProfileOptionColumn | undefined;
}

/**
 * The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), each with its
 * Table E.1-1 column (when it has one) and its code in CID 7050 "De-identification Method"
 * (PS3.16; scheme DCM), recorded in De-identification Method Code Sequence (0012,0064).
 * Codes checked against PS3.16 CID 7050 (and pydicom's copy of it): 113100-113112.
 *
 * @example
 * DEID_OPTIONS.retainSafePrivate.code; // '113111'
 */
export const DEID_OPTIONS: Readonly<Record<DeidOption, DeidOptionInfo>> = {
  cleanPixelData: { code: '113101', meaning: 'Clean Pixel Data Option', column: undefined },
  cleanRecognizableVisualFeatures: {
    code: '113102',
    meaning: 'Clean Recognizable Visual Features Option',
    column: undefined,
  },
  cleanGraphics: { code: '113103', meaning: 'Clean Graphics Option', column: 'cleanGraphOpt' },
  cleanStructuredContent: {
    code: '113104',
    meaning: 'Clean Structured Content Option',
    column: 'cleanStructContOpt',
  },
  cleanDescriptors: { code: '113105', meaning: 'Clean Descriptors Option', column: 'cleanDescOpt' },
  retainLongitudinalFullDates: {
    code: '113106',
    meaning: 'Retain Longitudinal Temporal Information Full Dates Option',
    column: 'rtnLongFullDatesOpt',
  },
  retainLongitudinalModifiedDates: {
    code: '113107',
    meaning: 'Retain Longitudinal Temporal Information Modified Dates Option',
    column: 'rtnLongModifDatesOpt',
  },
  retainPatientCharacteristics: {
    code: '113108',
    meaning: 'Retain Patient Characteristics Option',
    column: 'rtnPatCharsOpt',
  },
  retainDeviceIdentity: { code: '113109', meaning: 'Retain Device Identity Option', column: 'rtnDevIdOpt' },
  retainUIDs: { code: '113110', meaning: 'Retain UIDs Option', column: 'rtnUIDsOpt' },
  retainSafePrivate: { code: '113111', meaning: 'Retain Safe Private Option', column: 'rtnSafePrivOpt' },
  retainInstitutionIdentity: {
    code: '113112',
    meaning: 'Retain Institution Identity Option',
    column: 'rtnInstIdOpt',
  },
};

/** CID 7050 code of the Basic Application Level Confidentiality Profile itself (PS3.16). */
export const BASIC_PROFILE_CODE: { readonly code: '113100'; readonly meaning: string } = {
  code: '113100',
  meaning: 'Basic Application Confidentiality Profile',
};

/** Every option name, in CID 7050 code order. */
export const ALL_DEID_OPTIONS: readonly DeidOption[] = (Object.keys(DEID_OPTIONS) as DeidOption[]).sort((a, b) =>
  DEID_OPTIONS[a].code.localeCompare(DEID_OPTIONS[b].code),
);

/**
 * The default options for a clinical trial (like the RPB uploader): Basic Profile + Retain
 * Longitudinal Temporal Information with Full Dates + Retain Patient Characteristics + Retain
 * Device Identity + Retain Safe Private.
 *
 * @example
 * const config = { ...rest, options: DEFAULT_TRIAL_OPTIONS };
 */
export const DEFAULT_TRIAL_OPTIONS: readonly DeidOption[] = [
  'retainLongitudinalFullDates',
  'retainPatientCharacteristics',
  'retainDeviceIdentity',
  'retainSafePrivate',
];

/**
 * Options Courier cannot honour: it never decodes pixel data (pixel bytes are passed through by
 * reference), so it cannot claim to have cleaned them. A configuration naming them is refused.
 */
export const UNSUPPORTED_OPTIONS: readonly DeidOption[] = ['cleanPixelData', 'cleanRecognizableVisualFeatures'];

/**
 * Options that cannot be combined: PS3.15 E.3.6 defines the two longitudinal options as
 * alternatives (keep the dates, or modify them), and their columns name different actions (K, C).
 */
export const EXCLUSIVE_OPTIONS: readonly (readonly [DeidOption, DeidOption])[] = [
  ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'],
];

/**
 * Reads an option from its name, its Table E.1-1 column name, its CID 7050 code or code meaning
 * (with or without "Option"), as typed on a command line or stored in a study configuration;
 * case, spaces, hyphens and underscores do not matter. Undefined when nothing matches.
 *
 * @example
 * parseDeidOption('113106');              // 'retainLongitudinalFullDates'
 * parseDeidOption('rtnDevIdOpt');         // 'retainDeviceIdentity'
 * parseDeidOption('retain-safe-private'); // 'retainSafePrivate'
 * parseDeidOption('retainLongitudinalTemporalInformationModifiedDates'); // 'retainLongitudinalModifiedDates'
 */
export function parseDeidOption(text: string): DeidOption | undefined {
  const wanted = normalise(text);
  if (wanted === '') return undefined;
  for (const name of ALL_DEID_OPTIONS) {
    const o = DEID_OPTIONS[name];
    const meaning = normalise(o.meaning);
    if (
      normalise(name) === wanted ||
      o.code === wanted ||
      normalise(o.column ?? '') === wanted ||
      meaning === wanted ||
      meaning.replace(/option$/, '') === wanted
    ) {
      return name;
    }
  }
  return undefined;
}

function normalise(text: string): string {
  return text.toLowerCase().replaceAll(/[^a-z0-9]/g, '');
}
