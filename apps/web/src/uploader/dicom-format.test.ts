import { describe, expect, it } from 'vitest';
import { formatDicomDate, formatDicomTime } from './dicom-format.js';

describe('formatDicomDate', () => {
  it('writes a DA value as an ISO date', () => {
    expect(formatDicomDate('20260302')).toBe('2026-03-02');
    expect(formatDicomDate('2026.03.02')).toBe('2026-03-02');
  });
  it('leaves a value that is not a date as it is, and undefined empty', () => {
    expect(formatDicomDate('2026')).toBe('2026');
    expect(formatDicomDate(undefined)).toBe('');
  });
});

describe('formatDicomTime', () => {
  it('writes hours, minutes and seconds with colons and drops the fraction', () => {
    expect(formatDicomTime('101500.123')).toBe('10:15:00');
    expect(formatDicomTime('0930')).toBe('09:30');
    expect(formatDicomTime('07')).toBe('07:00');
  });
});
