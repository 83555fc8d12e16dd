import { describe, expect, it } from 'vitest';
import { ALL_DEID_OPTIONS, DEFAULT_TRIAL_OPTIONS, DEID_OPTIONS, parseDeidOption } from './options.js';
import { PROFILE_OPTION_COLUMNS } from './profile-row.js';

describe('de-identification options', () => {
  it('carry the CID 7050 codes 113101 to 113112, one per option', () => {
    expect(ALL_DEID_OPTIONS.map((o) => DEID_OPTIONS[o].code)).toEqual([
      '113101',
      '113102',
      '113103',
      '113104',
      '113105',
      '113106',
      '113107',
      '113108',
      '113109',
      '113110',
      '113111',
      '113112',
    ]);
  });

  it('map every Table E.1-1 option column to exactly one option', () => {
    const columns = ALL_DEID_OPTIONS.map((o) => DEID_OPTIONS[o].column).filter((c) => c !== undefined);
    expect([...columns].sort()).toEqual([...PROFILE_OPTION_COLUMNS].sort());
  });

  it('parse an option from its name, column, code or kebab-case spelling', () => {
    expect(parseDeidOption('113106')).toBe('retainLongitudinalFullDates');
    expect(parseDeidOption('rtnDevIdOpt')).toBe('retainDeviceIdentity');
    expect(parseDeidOption('retain-safe-private')).toBe('retainSafePrivate');
    expect(parseDeidOption('retainUIDs')).toBe('retainUIDs');
    expect(parseDeidOption('Retain Longitudinal Temporal Information Modified Dates Option')).toBe(
      'retainLongitudinalModifiedDates',
    );
    expect(parseDeidOption('retainLongitudinalTemporalInformationModifiedDates')).toBe(
      'retainLongitudinalModifiedDates',
    );
    expect(parseDeidOption('CLEAN_DESCRIPTORS')).toBe('cleanDescriptors');
    expect(parseDeidOption('nonsense')).toBeUndefined();
    expect(parseDeidOption('')).toBeUndefined();
  });

  it('default to the trial set: full dates, patient characteristics, device identity, safe private', () => {
    expect(DEFAULT_TRIAL_OPTIONS.map((o) => DEID_OPTIONS[o].code)).toEqual(['113106', '113108', '113109', '113111']);
  });
});
