import { describe, expect, it } from 'vitest';
import { ByteBuilder } from '../test/byte-builder.js';
import { pydicomFile, runPydicomTests } from '../test/pydicom-files.js';
import type { DicomFile } from './data-set.js';
import { DicomError } from './errors.js';
import { readDicom } from './read-dicom.js';
import { readHeader } from './read-header.js';
import { tag } from './tag.js';
import { getString } from './values.js';
import { concatParts, partsLength, writeDicom } from './write-dicom.js';

/** Reads like a caller with a file handle: start with `first` bytes, grow as asked. */
function readGrowing(bytes: Uint8Array, first: number): { file: DicomFile; reads: number[] } {
  const reads: number[] = [];
  let size = first;
  for (;;) {
    reads.push(size);
    const r = readHeader(bytes.subarray(0, size), bytes.length);
    if ('file' in r) return { file: r.file, reads };
    expect(r.needBytes).toBeGreaterThan(size);
    expect(r.needBytes).toBeLessThanOrEqual(bytes.length);
    size = r.needBytes;
  }
}

function bigStructureSet(): Uint8Array {
  // A long defined-length sequence (like ROI Contour Sequence) before 1 MB of pixel data.
  const contour = (b: ByteBuilder) => b.element(tag(0x3006, 0x0050), 'DS', '1.5\\'.repeat(7000).slice(0, -1));
  return new ByteBuilder()
    .part10('1.2.840.10008.1.2.1')
    .element(tag(0x0010, 0x0010), 'PN', 'Big^Header')
    .sequence(
      tag(0x3006, 0x0039),
      Array.from({ length: 20 }, () => contour),
    )
    .element(tag(0x0020, 0x000d), 'UI', '1.2.3.999')
    .element(tag(0x7fe0, 0x0010), 'OW', new Uint8Array(1_000_000))
    .build();
}

describe('readHeader', () => {
  it('asks for a longer prefix until the header fits, then stops before Pixel Data', () => {
    const bytes = bigStructureSet();
    const { file, reads } = readGrowing(bytes, 4096);
    expect(getString(file, file.dataSet, tag(0x0020, 0x000d))).toBe('1.2.3.999');
    expect(file.complete).toBe(false);
    expect(file.stoppedAt?.tag).toBe(tag(0x7fe0, 0x0010));
    // The sequence's known length lets it ask for everything in one step, not by doubling.
    expect(reads.length).toBeLessThanOrEqual(3);
    expect(reads.at(-1)).toBeLessThan(bytes.length - 900_000);
  });

  it('records the file size so the writer can reference the unread tail without being told', () => {
    const bytes = bigStructureSet();
    const { file } = readGrowing(bytes, 4096);
    expect(file.fileSize).toBe(bytes.length);
    const parts = writeDicom(file);
    expect(partsLength(parts)).toBe(bytes.length);
    // Compared as one buffer: toEqual walks a 1 MB array element by element (about a minute on a loaded machine).
    expect(Buffer.from(concatParts(parts, bytes)).equals(bytes)).toBe(true);
  });

  it('gives the same elements as a header-only read of the whole file', () => {
    const bytes = bigStructureSet();
    const whole = readDicom(bytes, { headerOnly: true });
    const { file } = readGrowing(bytes, 200);
    expect([...file.dataSet.elements.values()]).toEqual([...whole.dataSet.elements.values()]);
  });

  it('asks for more when the prefix is shorter than the preamble and meta group', () => {
    const bytes = bigStructureSet();
    const r = readHeader(bytes.subarray(0, 10), bytes.length);
    expect('needBytes' in r && r.needBytes > 10).toBe(true);
  });

  it('reports truncation only when the whole file was given', () => {
    const bytes = bigStructureSet();
    const cut = bytes.subarray(0, 5000);
    expect('needBytes' in readHeader(cut, bytes.length)).toBe(true);
    expect(() => readHeader(cut, cut.length)).toThrow(DicomError);
  });

  it.runIf(runPydicomTests)('reads the header of a file truncated inside its Pixel Data', () => {
    const bytes = pydicomFile('test_files/MR_truncated.dcm');
    const r = readHeader(bytes, bytes.length);
    expect('file' in r && r.file.stoppedAt?.tag).toBe(tag(0x7fe0, 0x0010));
    expect(() => readDicom(bytes)).toThrow(/truncated/);
  });

  it.runIf(runPydicomTests)('grows a prefix of a deflated file until it inflates far enough', () => {
    const bytes = pydicomFile('test_files/image_dfl.dcm');
    const { file } = readGrowing(bytes, 300);
    expect(file.sourceIsFile).toBe(false);
    expect(getString(file, file.dataSet, tag(0x0008, 0x0060))).toBe(
      getString(readDicom(bytes), readDicom(bytes).dataSet, tag(0x0008, 0x0060)),
    );
  });
});
