import { deflateSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DicomError } from './errors.js';
import { inflateDataSet } from './inflate.js';

const head = Uint8Array.from([1, 2, 3, 4]);
const body = new TextEncoder().encode('a data set, inflated '.repeat(20));

describe('inflateDataSet', () => {
  it('copies the bytes before the data set and appends the inflated raw DEFLATE stream', () => {
    const out = inflateDataSet(new Uint8Array([...head, ...deflateSync(body)]), 4, true, 1 << 20);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(new TextDecoder().decode(out.subarray(4))).toBe(new TextDecoder().decode(body));
  });

  it('also accepts a stream wrapped in a zlib header, as some writers produce', () => {
    const out = inflateDataSet(new Uint8Array([...head, ...zlibSync(body)]), 4, true, 1 << 20);
    expect(out.length).toBe(4 + body.length);
  });

  it('inflates what a prefix holds when the stream is not final', () => {
    const compressed = deflateSync(new Uint8Array(200_000).map((_, i) => (i * 7919) % 251));
    const out = inflateDataSet(
      new Uint8Array([...head, ...compressed.subarray(0, compressed.length / 2)]),
      4,
      false,
      1 << 20,
    );
    expect(out.length).toBeGreaterThan(4);
    expect(out.length).toBeLessThan(4 + 200_000);
  });

  it('fails with DICOM_INFLATE_FAILED on garbage and beyond the size bound', () => {
    const garbage = Uint8Array.from([...head, 0xff, 0xff, 0xff, 0xff]);
    expect(() => inflateDataSet(garbage, 4, true, 1 << 20)).toThrow(DicomError);
    const bomb = new Uint8Array([...head, ...deflateSync(new Uint8Array(1_000_000))]);
    expect(() => inflateDataSet(bomb, 4, true, 100_000)).toThrow(/exceeds 100000 bytes/);
  });
});
