import type { DeidOption } from './options.js';
import type { SafePrivateEntry } from './safe-private.js';

/**
 * The Clinical Trial attributes written into every instance (PS3.3 C.7.1.3 Clinical Trial Subject
 * Module, C.7.2.3 Clinical Trial Study Module), as the Portal knows them for the upload slot.
 *
 * @example
 * const trial: ClinicalTrialIdentity = { sponsorName: 'ACME', protocolId: 'P-01', siteId: 'S01', subjectId: 'P-01-0007' };
 */
export interface ClinicalTrialIdentity {
  /** Clinical Trial Sponsor Name (0012,0010), LO. */
  readonly sponsorName?: string;
  /** Clinical Trial Protocol ID (0012,0020), LO. */
  readonly protocolId?: string;
  /** Clinical Trial Protocol Name (0012,0021), LO. */
  readonly protocolName?: string;
  /** Clinical Trial Site ID (0012,0030), LO. */
  readonly siteId?: string;
  /** Clinical Trial Site Name (0012,0031), LO. */
  readonly siteName?: string;
  /** Clinical Trial Subject ID (0012,0040), LO. */
  readonly subjectId?: string;
  /** Clinical Trial Time Point ID (0012,0050), LO: the study event. */
  readonly timePointId?: string;
  /** Clinical Trial Time Point Description (0012,0051), ST. */
  readonly timePointDescription?: string;
}

/**
 * Everything one de-identification run needs: the option set, the slot's pseudonym, the study's
 * UID secret and (with Modified Dates) the subject's date offset. Secrets are never written into
 * an output file or a report.
 *
 * @example
 * const config: DeidConfig = {
 *   options: DEFAULT_TRIAL_OPTIONS,
 *   patientId: 'STUDY1-0007', patientName: '0007',
 *   uidSecret: 'a-long-per-study-secret-from-the-portal',
 *   clinicalTrial: { protocolId: 'STUDY1', subjectId: '0007' },
 * };
 */
export interface DeidConfig {
  readonly options: readonly DeidOption[];
  /** Patient ID (0010,0020) written into every instance: the slot's pseudonym. */
  readonly patientId: string;
  /** Patient's Name (0010,0010) written into every instance. */
  readonly patientName: string;
  /** Per-study secret keying the UID remapping (uid-map.ts); at least MIN_SECRET_LENGTH characters. */
  readonly uidSecret: string;
  /** Whole days added to every DA/DT value, required with retainLongitudinalModifiedDates. */
  readonly dateShiftDays?: number;
  readonly clinicalTrial?: ClinicalTrialIdentity;
  /** Private elements kept under Retain Safe Private; defaults to SAFE_PRIVATE_ELEMENTS. */
  readonly safePrivate?: readonly SafePrivateEntry[];
}

/** Shortest UID secret accepted: 16 characters (~ 96 bits from a random base64 string). */
export const MIN_SECRET_LENGTH = 16;
