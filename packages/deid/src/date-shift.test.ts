import { describe, expect, it } from 'vitest';
import { shiftDate, shiftDateTime } from './date-shift.js';

describe('date shifting by a per-subject offset of days', () => {
  it('shifts DA values across month, leap-day and year boundaries', () => {
    expect(shiftDate('20240301', -1)).toBe('20240229');
    expect(shiftDate('20231231', 1)).toBe('20240101');
    expect(shiftDate('19700101', -365)).toBe('19690101');
  });

  it('keeps the precision of partial dates and shifts every value and range end', () => {
    expect(shiftDate('202403', 40)).toBe('202404');
    expect(shiftDate('2024', 400)).toBe('2025');
    expect(shiftDate('20240101\\20240201', 10)).toBe('20240111\\20240211');
    expect(shiftDate('20240101-20240201', 10)).toBe('20240111-20240211');
  });

  it('shifts the date part of a DT and keeps time, fraction and UTC offset', () => {
    expect(shiftDateTime('20240301123000.5+0100', 1)).toBe('20240302123000.5+0100');
    expect(shiftDateTime('2024', -1)).toBe('2023');
  });

  it('returns undefined for values that are not dates, so the caller falls back to the basic action', () => {
    expect(shiftDate('yesterday', 1)).toBeUndefined();
    expect(shiftDate('20241345', 1)).toBeUndefined();
    expect(shiftDateTime('noon', 1)).toBeUndefined();
  });
});
