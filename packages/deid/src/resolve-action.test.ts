import { describe, expect, it } from 'vitest';
import type { DeidOption } from './options.js';
import { findProfileRow } from './profile.js';
import { resolveAction, resolveCompound, tableAction } from './resolve-action.js';

const tag = (g: number, e: number): number => ((g << 16) | e) >>> 0;
const row = (g: number, e: number) => {
  const r = findProfileRow(tag(g, e));
  if (r === undefined) throw new Error('row missing');
  return r;
};
const value = { empty: false, sequence: false };
const opts = (...o: DeidOption[]): Set<DeidOption> => new Set(o);

describe('resolving Table E.1-1 actions', () => {
  it('uses the Basic Profile action when no option names one', () => {
    expect(resolveAction(row(0x0010, 0x0010), opts(), value)).toBe('Z'); // Patient's Name
    expect(resolveAction(row(0x0010, 0x1000), opts('retainDeviceIdentity'), value)).toBe('X'); // Other Patient IDs
    expect(resolveAction(row(0x0020, 0x000d), opts(), value)).toBe('U'); // Study Instance UID
  });

  it('lets a selected option override the basic action', () => {
    expect(resolveAction(row(0x0008, 0x0022), opts('retainLongitudinalFullDates'), value)).toBe('K');
    expect(resolveAction(row(0x0008, 0x0022), opts('retainLongitudinalModifiedDates'), value)).toBe('C');
    expect(resolveAction(row(0x0020, 0x000d), opts('retainUIDs'), value)).toBe('K');
    expect(resolveAction(row(0x0018, 0x1000), opts('retainDeviceIdentity'), value)).toBe('K'); // Device Serial Number
    expect(resolveAction(row(0x0010, 0x0040), opts('retainPatientCharacteristics'), value)).toBe('K'); // Sex
    expect(resolveAction(row(0x0008, 0x0080), opts('retainInstitutionIdentity'), value)).toBe('K');
  });

  it('takes the most protective action when two selected options disagree', () => {
    expect(
      tableAction(row(0x0008, 0x0022), opts('retainLongitudinalFullDates', 'retainLongitudinalModifiedDates')),
    ).toBe('C');
  });

  it('resolves compound codes to the choice valid for every Type', () => {
    expect(resolveCompound('X/Z', value)).toBe('Z');
    expect(resolveCompound('X/D', value)).toBe('D');
    expect(resolveCompound('Z/D', value)).toBe('D');
    expect(resolveCompound('X/Z/D', value)).toBe('D');
    expect(resolveCompound('X/Z/D', { empty: true, sequence: false })).toBe('Z');
    expect(resolveCompound('X/Z/U*', { empty: false, sequence: true })).toBe('U*');
    expect(resolveCompound('K', value)).toBe('K');
  });
});

describe('resolveCompound with the Type in the IOD', () => {
  it('follows "X unless Z or D is required for IOD conformance" (PS3.15 E.1.1) for each Type', () => {
    const table = {
      'X/Z': ['Z', 'Z', 'X'],
      'X/D': ['D', 'D', 'X'],
      'Z/D': ['D', 'Z', 'Z'],
      'X/Z/D': ['D', 'Z', 'X'],
    } as const;
    for (const [code, byType] of Object.entries(table)) {
      (['1', '2', '3'] as const).forEach((type, i) => {
        expect(
          resolveCompound(code as keyof typeof table, { empty: false, sequence: false, type }),
          `${code} ${type}`,
        ).toBe(byType[i]);
      });
    }
  });

  it('empties rather than dummies a Type 1 value that is already empty, and keeps X/Z/U* sequences whatever the Type', () => {
    expect(resolveCompound('X/Z/D', { empty: true, sequence: false, type: '1' })).toBe('Z');
    expect(resolveCompound('X/Z/U*', { empty: false, sequence: true, type: '3' })).toBe('U*');
  });
});
