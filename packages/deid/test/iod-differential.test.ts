/**
 * Differential check against dciodvfy (dicom3tools): de-identified CT + RTSTRUCT + RTPLAN + RTDOSE
 * output gains no "Attribute is not present in standard DICOM IOD" warning, and loses those the
 * input had for attributes outside the IOD (PS3.15 E.1.1: removed). Skips without dciodvfy unless
 * COURIER_REQUIRE_SYSTEM_FIXTURES=1.
 */
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import type { DeidConfig } from '../src/config.js';
import { deidentify } from '../src/deidentify.js';
import { buildInstance } from './build-instance.js';
import { concat } from './concat.js';
import { dciodvfyOrSkip, notInIodWarnings } from './dciodvfy.js';
import { RT_SET_CONFIG, rtSet } from './rt-set.js';

const config: DeidConfig = RT_SET_CONFIG;

describe('de-identified CT and RT output checked by dciodvfy', () => {
  const bin = dciodvfyOrSkip();
  // Every instance also carries two attributes of other IODs, in no Table E.1-1 row: Units (PET
  // Series) and Plan Intent (RT General Plan), or KVP (CT Image) in the plan.
  const { instances } = rtSet('1.2.826.0.1.3680043.99.8', 2);
  const isPlan = instances.map((specs) => specs.some((s) => s.tag === 0x300a0002));
  const inputs = instances.map((specs, i) => {
    return buildInstance([
      ...specs,
      { tag: 0x00541001, vr: 'CS', value: 'BQML' },
      isPlan[i] ? { tag: 0x00180060, vr: 'DS', value: '120' } : { tag: 0x300a000a, vr: 'CS', value: 'CURATIVE' },
    ]);
  });

  it.skipIf(bin === undefined)(
    'gains no "not present in standard DICOM IOD" warning and loses those of attributes outside the IOD',
    () => {
      const outputs = inputs.map((bytes) => concat(deidentify(readDicom(bytes, { headerOnly: true }), config), bytes));
      const before = notInIodWarnings(bin!, inputs);
      const after = notInIodWarnings(bin!, outputs);
      for (const [i, warnings] of after.entries()) {
        expect(before[i]).toEqual(expect.arrayContaining(['(0054,1001)', isPlan[i] ? '(0018,0060)' : '(300A,000A)']));
        expect(warnings, `output ${i}`).toEqual([]);
      }
    },
    60_000,
  );
});
