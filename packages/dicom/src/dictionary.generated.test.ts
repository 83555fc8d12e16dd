import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDITION, generateAll } from '../scripts/generate-dictionary.js';
import { DICOM_EDITION } from './dictionary.js';

describe('generated dictionary tables', () => {
  it.each(generateAll().map((g) => [g.path.split('/').pop(), g] as const))(
    '%s equals what the generator produces from data/ (regenerate with npm run generate, never edit by hand)',
    (_name, { path, text }) => {
      const committed = readFileSync(path, 'utf8');
      expect(committed.split('\n')[0]).toContain(`generate-dictionary.ts from DICOM ${DICOM_EDITION}`);
      expect(committed === text).toBe(true);
    },
  );

  it('uses the same edition in the generator and the exported constant', () => {
    expect(EDITION).toBe(DICOM_EDITION);
  });
});
