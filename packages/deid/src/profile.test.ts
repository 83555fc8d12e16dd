import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { PROFILE_OUTPUT, parseTagPattern, readProfileSource, renderProfile } from '../scripts/generate-profile.js';
import { PROFILE_EDITION, PROFILE_ROWS } from './profile.generated.js';
import { findProfileRow } from './profile.js';

const tag = (g: number, e: number): number => ((g << 16) | e) >>> 0;

describe('PS3.15 Table E.1-1 as generated', () => {
  it('is exactly what the generator renders from the committed standard JSON', () => {
    expect(readFileSync(PROFILE_OUTPUT, 'utf8')).toBe(renderProfile(readProfileSource()));
  });

  it('holds all 621 rows of edition 2024e and opens with a line naming its generator', () => {
    expect(PROFILE_ROWS).toHaveLength(621);
    expect(PROFILE_EDITION).toBe('2024e');
    expect(readFileSync(PROFILE_OUTPUT, 'utf8').split('\n')[0]).toMatch(/generate-profile\.ts .* edition 2024e/);
  });

  it('turns the "x" digits of repeating groups into mask bits', () => {
    expect(parseTagPattern('(50XX,XXXX)')).toEqual({ tag: 0x50000000, mask: 0xff000000 });
    expect(parseTagPattern('(60XX,4000)')).toEqual({ tag: 0x60004000, mask: 0xff00ffff });
    expect(parseTagPattern('(GGGG,EEEE) WHERE GGGG IS ODD')).toEqual({ tag: 0x00010000, mask: 0x00010000 });
    expect(() => parseTagPattern('(0010,00ZZ)')).toThrow(/unexpected tag/);
  });

  it('finds rows for exact tags, repeating groups and private tags', () => {
    expect(findProfileRow(tag(0x0010, 0x0010))?.name).toBe("Patient's Name");
    expect(findProfileRow(tag(0x0010, 0x0010))?.basic).toBe('Z');
    expect(findProfileRow(tag(0xfffc, 0xfffc))?.name).toBe('Data Set Trailing Padding');
    expect(findProfileRow(tag(0x6002, 0x3000))?.name).toBe('Overlay Data');
    expect(findProfileRow(tag(0x601e, 0x4000))?.name).toBe('Overlay Comments');
    expect(findProfileRow(tag(0x5010, 0x3000))?.name).toBe('Curve Data');
    expect(findProfileRow(tag(0x6001, 0x3000))?.name).toBe('Private Attributes');
    expect(findProfileRow(tag(0x0009, 0x1001))?.name).toBe('Private Attributes');
    expect(findProfileRow(tag(0x0028, 0x0010))).toBeUndefined(); // Rows: not in the table
    expect(findProfileRow(tag(0x6000, 0x0010))).toBeUndefined(); // Overlay Rows: only 3000/4000 listed
  });

  it('records the option actions of a row, e.g. Acquisition Date kept with full dates, cleaned with modified dates', () => {
    const row = findProfileRow(tag(0x0008, 0x0022));
    expect(row?.basic).toBe('X/Z');
    expect(row?.options).toEqual({ rtnLongFullDatesOpt: 'K', rtnLongModifDatesOpt: 'C' });
  });
});
