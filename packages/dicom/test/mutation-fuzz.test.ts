/**
 * Property tests: real files from pydicom's test data, damaged at random (bit flips, truncation,
 * corrupted length fields, items replaced by delimiters). Every mutation must either read, with
 * every element's bytes inside the source, or throw a DicomError; never another error, a hang
 * (the run is bounded by vitest's timeout) or a buffer larger than the input (deflate excepted,
 * bounded by maxInflatedBytes).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataSet, DicomFile } from '../src/data-set.js';
import { DicomError } from '../src/errors.js';
import { readDicom } from '../src/read-dicom.js';
import { readHeader } from '../src/read-header.js';
import { pydicomFile, runPydicomTests } from './pydicom-files.js';

const SEEDS = [
  'test_files/CT_small.dcm',
  'test_files/MR_small_implicit.dcm',
  'test_files/MR_small_bigendian.dcm',
  'test_files/rtstruct.dcm',
  'test_files/rtplan.dcm',
  'test_files/test-SR.dcm',
  'test_files/image_dfl.dcm',
  'test_files/JPEG2000.dcm',
  'test_files/nested_priv_SQ.dcm',
  'test_files/UN_sequence.dcm',
  'test_files/ExplVR_BigEndNoMeta.dcm',
  'charset_files/chrSQEncoding.dcm',
];

const seeds = runPydicomTests ? SEEDS.map((name) => ({ name, bytes: pydicomFile(name) })) : [];
/** Element header offsets of each seed, to aim length corruptions at real length fields. */
const headers = seeds.map(({ bytes }) => {
  const out: number[] = [];
  const walk = (ds: DataSet): void => {
    for (const el of ds.elements.values()) {
      out.push(el.headerOffset);
      for (const item of el.items ?? []) walk(item);
    }
  };
  const file = readDicom(bytes);
  if (file.sourceIsFile) walk(file.dataSet);
  return out;
});
const MAX_INFLATED = 64 * 1024 * 1024;

/** Every range the reader reports lies inside the source; data sets nest inside their parents. */
function checkRanges(file: DicomFile): void {
  const size = file.source.length;
  const walk = (ds: DataSet): void => {
    expect(ds.offset + ds.length).toBeLessThanOrEqual(size);
    for (const el of ds.elements.values()) {
      expect(el.headerOffset).toBeLessThan(el.offset);
      expect(el.offset + el.length).toBeLessThanOrEqual(size);
      for (const f of el.fragments ?? []) expect(f.offset + f.length).toBeLessThanOrEqual(size);
      for (const item of el.items ?? []) walk(item);
    }
  };
  walk(file.meta);
  walk(file.dataSet);
}

function readsOrFailsCleanly(bytes: Uint8Array): void {
  for (const headerOnly of [false, true]) {
    let file: DicomFile;
    try {
      file = readDicom(bytes, { headerOnly, maxInflatedBytes: MAX_INFLATED });
    } catch (e) {
      if (!(e instanceof DicomError)) throw e;
      expect(e.message.length).toBeGreaterThan(10);
      if (e.partial) checkRanges(e.partial);
      continue;
    }
    if (file.sourceIsFile) expect(file.source).toBe(bytes);
    else expect(file.source.length).toBeLessThanOrEqual(MAX_INFLATED);
    checkRanges(file);
  }
}

const seedIndex = fc.integer({ min: 0, max: SEEDS.length - 1 });

describe.runIf(runPydicomTests)('reading damaged real files', () => {
  it('survives random bit flips', () => {
    fc.assert(
      fc.property(
        seedIndex,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }),
        (i, flips) => {
          const bytes = seeds[i]!.bytes.slice();
          for (const [at, bit] of flips) {
            const p = at % bytes.length;
            bytes[p] = (bytes[p] ?? 0) ^ (1 << bit);
          }
          readsOrFailsCleanly(bytes);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('survives truncation anywhere', () => {
    fc.assert(
      fc.property(seedIndex, fc.double({ min: 0, max: 1, noNaN: true }), (i, cut) => {
        const bytes = seeds[i]!.bytes;
        readsOrFailsCleanly(bytes.slice(0, Math.floor(bytes.length * cut)));
      }),
      { numRuns: 80 },
    );
  });

  it('survives corrupted length fields and items turned into delimiters', () => {
    const lengthValue = fc.oneof(
      fc.constant(0xffffffff),
      fc.constant(0xfffffffe),
      fc.constant(0),
      fc.integer({ min: 1, max: 0xffffffff }),
      fc.integer({ min: 1, max: 4096 }),
    );
    fc.assert(
      fc.property(
        seedIndex,
        fc.nat(),
        fc.constantFrom(4, 6, 8),
        lengthValue,
        fc.boolean(),
        (i, which, at, value, delimiter) => {
          const offsets = headers[i]!;
          fc.pre(offsets.length > 0);
          const bytes = seeds[i]!.bytes.slice();
          const view = new DataView(bytes.buffer);
          const h = offsets[which % offsets.length]!;
          if (delimiter) {
            // Put an Item Delimitation or Sequence Delimitation tag where an element starts.
            view.setUint32(h, value & 1 ? 0xfeff0de0 : 0xfeffdde0, false);
          } else if (h + at + 4 <= bytes.length) {
            view.setUint32(h + at, value, true);
          }
          readsOrFailsCleanly(bytes);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('readHeader on a prefix of a damaged file either reads, asks for more within the file, or fails cleanly', () => {
    fc.assert(
      fc.property(seedIndex, fc.nat(), fc.nat({ max: 255 }), fc.nat(), (i, at, value, prefixAt) => {
        const bytes = seeds[i]!.bytes.slice();
        bytes[at % bytes.length] = value;
        let size = 1 + (prefixAt % bytes.length);
        for (let rounds = 0; rounds < 64; rounds++) {
          let r: ReturnType<typeof readHeader>;
          try {
            r = readHeader(bytes.subarray(0, size), bytes.length, { maxInflatedBytes: MAX_INFLATED });
          } catch (e) {
            if (!(e instanceof DicomError)) throw e;
            return;
          }
          if ('file' in r) return checkRanges(r.file);
          expect(r.needBytes).toBeGreaterThan(size);
          expect(r.needBytes).toBeLessThanOrEqual(bytes.length);
          size = r.needBytes;
        }
        expect.fail('readHeader kept asking for more bytes');
      }),
      { numRuns: 100 },
    );
  });
});
