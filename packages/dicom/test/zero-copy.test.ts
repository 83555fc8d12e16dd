/**
 * Zero copy, the design decision of ARCHITECTURE.md: a 200 MB instance is read header-only from a
 * prefix, written with an edited header, and the output parts reference the source file for the
 * Pixel Data (one range) while the new bytes stay a few KB. The parts are then streamed to a file
 * that dcmdump parses and whose pixel bytes hash the same as the source's.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLargeCtInstance } from '../../../bench/synthetic/ct-series.js';
import { rtSet } from '../../../bench/synthetic/rt-set.js';
import type { DicomFile } from '../src/data-set.js';
import type { OutputPart } from '../src/edit.js';
import { readDicom } from '../src/read-dicom.js';
import { readHeader } from '../src/read-header.js';
import { tag } from '../src/tag.js';
import { getString } from '../src/values.js';
import { concatParts, isByteRange, writeDicom } from '../src/write-dicom.js';
import { dcmdumpPath, runDcmdumpTests } from './dcmdump-check.js';

const PIXEL_BYTES = 200 * 1024 * 1024;
const PIXEL_DATA = tag(0x7fe0, 0x0010);

let dir: string;
let sourcePath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'courier-zero-copy-'));
  sourcePath = join(dir, 'large.dcm');
  writeLargeCtInstance(sourcePath, PIXEL_BYTES);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Header-only read the way the scanner does it: a 16 KB prefix, longer when readHeader asks. */
function readHeaderOf(path: string): { file: DicomFile; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let length = Math.min(size, 16 * 1024);
    for (;;) {
      const prefix = new Uint8Array(length);
      readSync(fd, prefix, 0, length, 0);
      const r = readHeader(prefix, size);
      if ('file' in r) return { file: r.file, size };
      length = r.needBytes;
    }
  } finally {
    closeSync(fd);
  }
}

/** Streams parts to `outPath`, copying ranges from `inPath` in 1 MiB chunks (never the whole range in memory). */
function streamParts(parts: readonly OutputPart[], inPath: string, outPath: string): void {
  const input = openSync(inPath, 'r');
  const output = openSync(outPath, 'w');
  const buffer = new Uint8Array(1024 * 1024);
  try {
    for (const part of parts) {
      if (!isByteRange(part)) {
        writeSync(output, part);
        continue;
      }
      for (let done = 0; done < part.length; ) {
        const n = readSync(input, buffer, 0, Math.min(buffer.length, part.length - done), part.offset + done);
        if (n === 0) throw new Error(`source ends inside range at ${part.offset + done}`);
        writeSync(output, buffer, 0, n);
        done += n;
      }
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

/** SHA-256 of [offset, offset + length) of a file, read in chunks. */
function hashRange(path: string, offset: number, length: number): string {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const buffer = new Uint8Array(4 * 1024 * 1024);
  try {
    for (let done = 0; done < length; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, length - done), offset + done);
      if (n === 0) throw new Error(`file ends at ${offset + done}`);
      hash.update(buffer.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

describe('zero-copy writing of a 200 MB instance', () => {
  it('references the Pixel Data as one range of the source and writes only a few KB of new bytes', () => {
    const { file, size } = readHeaderOf(sourcePath);
    expect(file.complete).toBe(false);
    expect(file.stoppedAt?.tag).toBe(PIXEL_DATA);
    expect(file.source.length).toBeLessThan(1024 * 1024); // only the prefix was read

    const parts = writeDicom(
      file,
      {
        set: [
          { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'PSEUDO^0042' },
          { tag: tag(0x0010, 0x0020), vr: 'LO', value: 'TRIAL-0042' },
          { tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.99' },
        ],
        remove: [tag(0x0010, 0x0030), tag(0x0008, 0x0090)],
        items: new Map([
          [tag(0x0008, 0x1032), new Map([[0, { set: [{ tag: tag(0x0008, 0x0104), vr: 'LO', value: 'edited' }] }]])],
        ]),
      },
      { fileSize: size },
    );
    const ranges = parts.filter(isByteRange);
    const newBytes = parts.filter((p) => !isByteRange(p)).reduce((n, p) => n + p.length, 0);
    const pixelHeaderOffset = file.stoppedAt!.headerOffset;
    // One range runs from before Pixel Data (untouched neighbours merge into it) to the end of the file.
    const tail = ranges.find((r) => r.offset <= pixelHeaderOffset && r.offset + r.length === size);
    expect(tail).toBeDefined();
    expect(tail!.offset).toBeGreaterThan(0);
    expect(ranges.reduce((n, p) => n + p.length, 0)).toBeGreaterThanOrEqual(PIXEL_BYTES);
    expect(newBytes).toBeLessThan(8 * 1024);

    const outPath = join(dir, 'written.dcm');
    streamParts(parts, sourcePath, outPath);
    const written = readHeaderOf(outPath);
    expect(getString(written.file, written.file.dataSet, tag(0x0010, 0x0010))).toBe('PSEUDO^0042');
    expect(getString(written.file, written.file.meta, tag(0x0002, 0x0003))).toBe('2.25.99');
    const outPixelValue = written.file.stoppedAt!.headerOffset + 12; // (7FE0,0010) OW header, PS3.5 7.1.2
    expect(hashRange(outPath, outPixelValue, PIXEL_BYTES)).toBe(
      hashRange(sourcePath, pixelHeaderOffset + 12, PIXEL_BYTES),
    );
    expect(written.size).toBe(outPixelValue + PIXEL_BYTES);

    if (runDcmdumpTests) {
      // -M: do not load long values, so dcmdump checks the structure without reading the pixels into memory.
      const dump = dcmdumpPath(outPath, ['-M']);
      expect(dump).toMatch(/^\(0010,0010\) PN \[PSEUDO\^0042\]/m);
      expect(dump).toMatch(/^ {4}\(0008,0104\) LO \[edited\]/m);
      expect(dump).toMatch(new RegExp(`^\\(7fe0,0010\\) OW .*# ${PIXEL_BYTES}, 1 PixelData`, 'm'));
    }
  });

  it('references the Contour Data of a large RTSTRUCT instead of copying it', () => {
    const set = rtSet({ slices: 8, rows: 8, columns: 8, rois: 3, contourPoints: 1000 });
    const bytes = set.files.find((f) => f.name === 'RS000001.dcm')!.bytes;
    const parts = writeDicom(readDicom(bytes), {
      set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'PSEUDO^0042' }],
      items: new Map([
        [tag(0x3006, 0x0020), new Map([[0, { set: [{ tag: tag(0x3006, 0x0026), vr: 'LO', value: 'GTV' }] }]])],
      ]),
    });
    const newBytes = parts.filter((p) => !isByteRange(p)).reduce((n, p) => n + p.length, 0);
    expect(bytes.length).toBeGreaterThan(400_000);
    expect(newBytes).toBeLessThan(4 * 1024);
    const out = readDicom(concatParts(parts, bytes));
    expect(getString(out, out.dataSet, tag(0x0010, 0x0010))).toBe('PSEUDO^0042');
  });
});
