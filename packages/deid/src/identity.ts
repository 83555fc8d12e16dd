import type { NewElement, Tag } from '@courier/dicom';
import type { DeidConfig } from './config.js';
import { ALL_DEID_OPTIONS, BASIC_PROFILE_CODE, DEID_OPTIONS } from './options.js';
import { PROFILE_EDITION } from './profile.generated.js';
import { DEID_ENGINE_VERSION } from './version.js';

/** Tags of the attributes written into every de-identified instance. */
export const IDENTITY_TAGS: {
  readonly patientName: Tag;
  readonly patientId: Tag;
  readonly patientIdentityRemoved: Tag;
  readonly deidentificationMethod: Tag;
  readonly deidentificationMethodCodeSequence: Tag;
  readonly longitudinalTemporalInformationModified: Tag;
} = {
  patientName: 0x00100010,
  patientId: 0x00100020,
  patientIdentityRemoved: 0x00120062,
  deidentificationMethod: 0x00120063,
  deidentificationMethodCodeSequence: 0x00120064,
  longitudinalTemporalInformationModified: 0x00280303,
};

/**
 * The text of De-identification Method (0012,0063), LO (64 characters at most per value).
 *
 * @example
 * deidentificationMethodText(); // 'Courier 0.1.0 PS3.15 Annex E (Table E.1-1 2024e)'
 */
export function deidentificationMethodText(): string {
  return `Courier ${DEID_ENGINE_VERSION} PS3.15 Annex E (Table E.1-1 ${PROFILE_EDITION})`;
}

/**
 * Longitudinal Temporal Information Modified (0028,0303), PS3.3 C.7.6.1.1.1: UNMODIFIED with full
 * dates, MODIFIED with shifted dates, REMOVED when neither option keeps them.
 *
 * @example
 * longitudinalTemporalInformation(new Set(['retainLongitudinalFullDates'])); // 'UNMODIFIED'
 */
export function longitudinalTemporalInformation(options: ReadonlySet<string>): 'UNMODIFIED' | 'MODIFIED' | 'REMOVED' {
  if (options.has('retainLongitudinalFullDates')) return 'UNMODIFIED';
  if (options.has('retainLongitudinalModifiedDates')) return 'MODIFIED';
  return 'REMOVED';
}

/**
 * The elements written at the top level of every de-identified instance: the slot's pseudonym as
 * Patient's Name and Patient ID, Patient Identity Removed YES, De-identification Method and its
 * Code Sequence (CID 7050: the Basic Profile and every option, PS3.3 C.7.1.1), Longitudinal
 * Temporal Information Modified, and the Clinical Trial Subject and Study attributes
 * (PS3.3 C.7.1.3, C.7.2.3) from the Portal. Type 2 trial attributes without a value are written
 * empty so the modules stay complete.
 *
 * @example
 * identityElements(config).find((e) => e.tag === 0x00120062)?.value; // 'YES'
 */
export function identityElements(config: DeidConfig): NewElement[] {
  const options = new Set(config.options);
  const codes = [BASIC_PROFILE_CODE, ...ALL_DEID_OPTIONS.filter((o) => options.has(o)).map((o) => DEID_OPTIONS[o])];
  const out: NewElement[] = [
    { tag: IDENTITY_TAGS.patientName, vr: 'PN', value: config.patientName },
    { tag: IDENTITY_TAGS.patientId, vr: 'LO', value: config.patientId },
    { tag: IDENTITY_TAGS.patientIdentityRemoved, vr: 'CS', value: 'YES' },
    { tag: IDENTITY_TAGS.deidentificationMethod, vr: 'LO', value: deidentificationMethodText() },
    {
      tag: IDENTITY_TAGS.deidentificationMethodCodeSequence,
      vr: 'SQ',
      value: codes.map((c): NewElement[] => [
        { tag: 0x00080100, vr: 'SH', value: c.code },
        { tag: 0x00080102, vr: 'SH', value: 'DCM' },
        { tag: 0x00080104, vr: 'LO', value: c.meaning },
      ]),
    },
    {
      tag: IDENTITY_TAGS.longitudinalTemporalInformationModified,
      vr: 'CS',
      value: longitudinalTemporalInformation(options),
    },
  ];
  const trial = config.clinicalTrial;
  if (trial !== undefined) {
    // Clinical Trial Subject Module (PS3.3 C.7.1.3): Sponsor Name and Protocol ID Type 1, Protocol
    // Name, Site ID, Site Name Type 2, Subject ID 1C. Clinical Trial Study Module (C.7.2.3): Time
    // Point ID Type 2, Time Point Description Type 3.
    const lo = (t: Tag, v: string | undefined, type2: boolean) => {
      if (v !== undefined) out.push({ tag: t, vr: 'LO', value: v });
      else if (type2) out.push({ tag: t, vr: 'LO', value: '' });
    };
    lo(0x00120010, trial.sponsorName, true);
    lo(0x00120020, trial.protocolId, true);
    lo(0x00120021, trial.protocolName, true);
    lo(0x00120030, trial.siteId, true);
    lo(0x00120031, trial.siteName, true);
    lo(0x00120040, trial.subjectId, false);
    if (trial.timePointId !== undefined || trial.timePointDescription !== undefined) {
      lo(0x00120050, trial.timePointId, true);
      if (trial.timePointDescription !== undefined) {
        out.push({ tag: 0x00120051, vr: 'ST', value: trial.timePointDescription });
      }
    }
  }
  return out;
}
