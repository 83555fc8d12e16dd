import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEID_ERROR_CODES, DeidError } from './errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

describe('the error catalogue', () => {
  it('documents every code, and documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/`(DEID_[A-Z_]+)`/g)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(Object.keys(DEID_ERROR_CODES)));
  });

  it('gives every error its code, the catalogue reason and the cause', () => {
    const cause = new Error('inner');
    const e = new DeidError('DEID_INCOMPLETE_INPUT', 'detail', { cause });
    expect(e.code).toBe('DEID_INCOMPLETE_INPUT');
    expect(e.message).toBe(`${DEID_ERROR_CODES.DEID_INCOMPLETE_INPUT}: detail`);
    expect(e.cause).toBe(cause);
  });
});
