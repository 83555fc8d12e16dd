import { SANITY_CHECKS, type SanityCheckCode, type SanityCheckResult } from '@courier/uploader';
import { describe, expect, it } from 'vitest';
import { sanityText } from './sanity-text.js';

const finding = (code: SanityCheckCode, message: string): SanityCheckResult => ({
  id: code,
  code,
  ...SANITY_CHECKS[code],
  series: [],
  found: [],
  message,
});

describe('sanityText', () => {
  it("shows the scan library's own message in English", () => {
    expect(sanityText('en', finding('SANITY_PATIENT_SEX_MISMATCH', 'library text'))).toBe('library text');
  });

  it('has a German text for every check of the catalogue', () => {
    for (const code of Object.keys(SANITY_CHECKS) as SanityCheckCode[]) {
      expect(sanityText('de', finding(code, 'x')), code).not.toBe('x');
    }
  });
});
