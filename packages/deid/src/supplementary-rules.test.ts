import { describe, expect, it } from 'vitest';
import { findProfileRow } from './profile.js';
import { supplementaryRow } from './supplementary-rules.js';

const tag = (g: number, e: number): number => ((g << 16) | e) >>> 0;

describe('supplementary rules for attributes Table E.1-1 does not list', () => {
  it('empty every person name the table misses', () => {
    for (const t of [tag(0x0014, 0x0104), tag(0x0014, 0x2006), tag(0x0040, 0xa067)]) {
      expect(findProfileRow(t)).toBeUndefined();
      expect(supplementaryRow(t)?.basic).toBe('Z');
    }
  });

  it('remove free-text comments, cleaned under Clean Descriptors', () => {
    const dose = supplementaryRow(tag(0x3004, 0x0006));
    expect(dose?.basic).toBe('X');
    expect(dose?.options).toEqual({ cleanDescOpt: 'C' });
    expect(supplementaryRow(tag(0x3008, 0x0202))?.basic).toBe('X'); // Treatment Status Comment
  });

  it('remove identifier sequences, alternative-calendar dates and encrypted original attributes', () => {
    for (const t of [
      tag(0x0010, 0x0033),
      tag(0x0010, 0x0034),
      tag(0x0010, 0x0024),
      tag(0x0032, 0x1031),
      tag(0x0038, 0x0502),
      tag(0x0400, 0x0500),
    ]) {
      expect(supplementaryRow(t)?.basic).toBe('X');
    }
  });

  it('leave ordinary attributes to the whitelist', () => {
    expect(supplementaryRow(tag(0x0028, 0x0010))).toBeUndefined(); // Rows
    expect(supplementaryRow(tag(0x3006, 0x0026))).toBeUndefined(); // ROI Name
    expect(supplementaryRow(tag(0x0008, 0x0104))).toBeUndefined(); // Code Meaning
  });
});
