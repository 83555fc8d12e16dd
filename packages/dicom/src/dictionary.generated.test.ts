import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDITION, generateAll } from '../scripts/generate-dictionary.js';
import { DICOM_EDITION, lookupTag, tagForKeyword } from './dictionary.js';

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

describe('the generated dictionary against data/attributes.json', () => {
  const rows = (
    JSON.parse(readFileSync(new URL('../data/attributes.json', import.meta.url), 'utf8')) as {
      tag: string;
      name: string;
      keyword: string;
      valueRepresentation: string;
      valueMultiplicity: string;
      retired: string;
    }[]
  ).filter((r) => r.keyword !== '');

  it('gives back every attribute of the standard with its keyword, name, VRs, VM and retired flag', () => {
    let checked = 0;
    for (const r of rows) {
      // A repeating group is looked up through its second instance (X → 2), e.g. (6002,3000).
      const t = Number.parseInt(r.tag.replace(/[(),]/g, '').replace(/X/gi, '2'), 16) >>> 0;
      const e = lookupTag(t);
      const vrs = /^[A-Z]{2}( or [A-Z]{2})*$/.test(r.valueRepresentation) ? r.valueRepresentation.split(' or ') : [];
      expect({ ...e, tag: r.tag }).toMatchObject({
        tag: r.tag,
        keyword: r.keyword,
        name: r.name,
        vrs,
        vm: r.valueMultiplicity,
        retired: r.retired === 'Y',
      });
      expect(tagForKeyword(r.keyword), r.keyword).toBeDefined();
      checked++;
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
