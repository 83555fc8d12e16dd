import type { SlotParameters } from '@courier/api';
import { describe, expect, it } from 'vitest';
import { checkConfig } from './check-config.js';
import { deidConfigOfSlot } from './slot-deid-config.js';

/** A slot as the Portal sends it (the fields the de-identification reads, plus the rest). */
function referenceSlot(): SlotParameters {
  return {
    studyId: 's',
    studyIdentifier: 'REF-01',
    siteId: 'site',
    subjectId: 'subj',
    subjectLabel: 'R-001',
    pseudonym: 'REF01-R001',
    sex: 'F',
    birthDate: null,
    birthYear: 1960,
    eventId: 'e',
    eventName: 'Planning',
    eventOccurrence: 1,
    slotDefinitionId: 'd',
    slotLabel: 'Planning CT',
    expectedModalities: [],
    deid: { profile: 'basic', options: ['retainPatientCharacteristics', 'retainDeviceIdentity'] },
    dateHandling: 'shift',
    dateOffsetDays: -100,
    uidSecret: 'reference-portal-secret-0123456789',
    clinicalTrial: {
      ClinicalTrialSponsorName: 'Ref sponsor',
      ClinicalTrialProtocolID: 'REF-P',
      ClinicalTrialProtocolName: 'Reference',
      ClinicalTrialSiteID: 'A',
      ClinicalTrialSiteName: 'Site A',
      ClinicalTrialSubjectID: 'R-001',
      ClinicalTrialTimePointID: 'Planning',
      ClinicalTrialTimePointDescription: 'Planning: Planning CT',
    },
    currentValue: null,
    limits: { maxBatchBytes: 1 << 25, maxBatchInstances: 500, maxManifestInstances: 100_000 },
  };
}

describe('deidConfigOfSlot', () => {
  it('writes the pseudonym as Patient ID and Name and takes the secret and trial values from the slot', () => {
    const slot = referenceSlot();
    const { config, unknownOptions } = deidConfigOfSlot(slot);
    expect(config.patientId).toBe(slot.pseudonym);
    expect(config.patientName).toBe(slot.pseudonym);
    expect(config.uidSecret).toBe(slot.uidSecret);
    expect(config.clinicalTrial?.timePointId).toBe('Planning');
    expect(unknownOptions).toEqual([]);
    expect(checkConfig(config)).toEqual([]);
  });

  it('maps the date handling to one longitudinal option (PS3.15 E.3.6) and the offset for shift', () => {
    const base = referenceSlot();
    const shift = deidConfigOfSlot({ ...base, dateHandling: 'shift', dateOffsetDays: -42 }).config;
    expect(shift.options).toContain('retainLongitudinalModifiedDates');
    expect(shift.options).not.toContain('retainLongitudinalFullDates');
    expect(shift.dateShiftDays).toBe(-42);
    const keep = deidConfigOfSlot({
      ...base,
      dateHandling: 'keep',
      dateOffsetDays: null,
      deid: { profile: 'basic', options: ['retainLongitudinalModifiedDates'] },
    }).config;
    expect(keep.options).toContain('retainLongitudinalFullDates');
    expect(keep.options).not.toContain('retainLongitudinalModifiedDates');
    expect(keep.dateShiftDays).toBeUndefined();
    const remove = deidConfigOfSlot({ ...base, dateHandling: 'remove', dateOffsetDays: null }).config;
    expect(remove.options.filter((o) => o.startsWith('retainLongitudinal'))).toEqual([]);
  });

  it('returns option names it does not know instead of dropping them silently', () => {
    const slot = {
      ...referenceSlot(),
      deid: { profile: 'basic' as const, options: ['retainDeviceIdentity', 'retainEverything'] },
    };
    expect(deidConfigOfSlot(slot).unknownOptions).toEqual(['retainEverything']);
  });
});
