/**
 * The writer on damaged input the reader accepted leniently (stray delimiters, odd lengths, tags
 * out of order, unknown VRs...): real files damaged at random. Whatever the reader accepted, the
 * writer either writes a file the reader accepts again, with the edit in it, or throws a
 * DicomError; never another error, and every range it returns lies inside the source.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DicomFile } from '../src/data-set.js';
import type { DataSetEdit } from '../src/edit.js';
import { DicomError } from '../src/errors.js';
import { readDicom } from '../src/read-dicom.js';
import { tag } from '../src/tag.js';
import { getString } from '../src/values.js';
import { concatParts, isByteRange, writeDicom } from '../src/write-dicom.js';
import { pydicomFile, runPydicomTests } from './pydicom-files.js';

const SEEDS = [
  'test_files/CT_small.dcm',
  'test_files/MR_small_implicit.dcm',
  'test_files/MR_small_bigendian.dcm',
  'test_files/rtplan.dcm',
  'test_files/JPEG-lossy.dcm',
  'test_files/nested_priv_SQ.dcm',
  'test_files/UN_sequence.dcm',
];

const EDIT: DataSetEdit = {
  set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'COURIER^FUZZ' }],
  remove: [tag(0x0010, 0x0030)],
};

/** Reads, or undefined when the reader rejects the damage (its own tests cover that). */
function tryRead(bytes: Uint8Array): DicomFile | undefined {
  try {
    return readDicom(bytes);
  } catch (e) {
    if (e instanceof DicomError) return undefined;
    throw e;
  }
}

describe.skipIf(!runPydicomTests)('writeDicom on damaged files the reader accepted', () => {
  const seeds = runPydicomTests ? SEEDS.map((name) => pydicomFile(name)) : [];

  it('writes a file that reads back with the edit, or throws a DicomError', () => {
    const damage = fc.record({
      seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
      flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 4 }),
    });
    let written = 0;
    fc.assert(
      fc.property(damage, ({ seed, flips }) => {
        const bytes = seeds[seed]!.slice();
        // Damage the header region, where structure lives (pixel bytes carry none).
        for (const { at, bit } of flips) bytes[at % Math.min(bytes.length, 4096)]! ^= 1 << bit;
        const file = tryRead(bytes);
        if (file === undefined) return;
        let parts: ReturnType<typeof writeDicom>;
        try {
          parts = writeDicom(file, EDIT);
        } catch (e) {
          expect(e).toBeInstanceOf(DicomError);
          return;
        }
        for (const p of parts) if (isByteRange(p)) expect(p.offset + p.length).toBeLessThanOrEqual(file.source.length);
        const out = readDicom(concatParts(parts, file.source));
        expect(getString(out, out.dataSet, tag(0x0010, 0x0010))).toBe('COURIER^FUZZ');
        written++;
      }),
      { numRuns: 300 },
    );
    expect(written).toBeGreaterThan(50);
  });
});
