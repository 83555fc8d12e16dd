import { describe, expect, it } from 'vitest';
import { checkConfig } from './check-config.js';
import type { DeidConfig } from './config.js';
import { DEFAULT_TRIAL_OPTIONS, type DeidOption } from './options.js';

const good: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'STUDY1-0007',
  patientName: '0007',
  uidSecret: 'k3J9-per-study-secret-0123',
  clinicalTrial: { protocolId: 'STUDY1', subjectId: '0007', timePointId: 'BASELINE' },
};
const codes = (c: DeidConfig) => checkConfig(c).map((p) => p.code);

describe('configuration check', () => {
  it('finds nothing wrong in a complete default trial configuration', () => {
    expect(checkConfig(good)).toEqual([]);
  });

  it('reports a missing pseudonym and a missing or short secret in words a user can act on', () => {
    const problems = checkConfig({ ...good, patientId: ' ', uidSecret: '' });
    expect(problems.map((p) => p.code)).toEqual(['PSEUDONYM_MISSING', 'SECRET_MISSING']);
    expect(problems[0]?.message).toMatch(/Patient ID is missing/);
    expect(codes({ ...good, uidSecret: 'short' })).toEqual(['SECRET_TOO_SHORT']);
    expect(codes({ ...good, patientName: 'A\\B' })).toEqual(['PSEUDONYM_INVALID']);
  });

  it('refuses full and modified dates together, and pixel options Courier cannot honour', () => {
    expect(
      codes({ ...good, options: ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'], dateShiftDays: 3 }),
    ).toEqual(['OPTIONS_CONFLICT']);
    expect(codes({ ...good, options: ['cleanPixelData'] })).toEqual(['OPTION_UNSUPPORTED']);
    expect(codes({ ...good, options: ['retainEverything' as DeidOption] })).toEqual(['OPTION_UNKNOWN']);
  });

  it('needs a whole-day offset with Modified Dates and flags an offset without it', () => {
    expect(codes({ ...good, options: ['retainLongitudinalModifiedDates'] })).toEqual(['DATE_SHIFT_MISSING']);
    expect(codes({ ...good, options: ['retainLongitudinalModifiedDates'], dateShiftDays: 1.5 })).toEqual([
      'DATE_SHIFT_INVALID',
    ]);
    expect(codes({ ...good, options: ['retainLongitudinalModifiedDates'], dateShiftDays: -30 })).toEqual([]);
    expect(codes({ ...good, dateShiftDays: 3 })).toEqual(['DATE_SHIFT_UNUSED']);
  });

  it('checks Clinical Trial values against their VR length', () => {
    expect(codes({ ...good, clinicalTrial: { siteName: 'x'.repeat(65) } })).toEqual(['TRIAL_VALUE_INVALID']);
  });
});
