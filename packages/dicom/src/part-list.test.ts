import { describe, expect, it } from 'vitest';
import { PartList } from './part-list.js';

const source = Uint8Array.from({ length: 2000 }, (_, i) => i & 0xff);
const ranges = { copyBelow: 256, rangesAllowed: true };

describe('PartList', () => {
  it('merges contiguous ranges and keeps the total length', () => {
    const list = new PartList(source, ranges);
    list.range(0, 300);
    list.range(300, 200);
    list.bytes(new Uint8Array([9, 9]));
    list.range(1000, 400);
    expect(list.length).toBe(902);
    expect(list.finish()).toEqual([{ offset: 0, length: 500 }, new Uint8Array([9, 9]), { offset: 1000, length: 400 }]);
  });

  it('copies short ranges into the neighbouring new bytes', () => {
    const list = new PartList(source, ranges);
    list.bytes(new Uint8Array([1]));
    list.range(10, 3);
    list.bytes(new Uint8Array([2]));
    expect(list.length).toBe(5);
    expect(list.finish()).toEqual([new Uint8Array([1, 10, 11, 12, 2])]);
  });

  it('decides on copying only once a merged range is complete', () => {
    // 200 + 100 contiguous bytes are one 300-byte range: above copyBelow, so it stays a range.
    const list = new PartList(source, ranges);
    list.range(0, 200);
    list.bytes(new Uint8Array(0)); // empty new bytes do not interrupt the range
    list.range(200, 100);
    list.u8(7);
    expect(list.finish()).toEqual([{ offset: 0, length: 300 }, new Uint8Array([7])]);
  });

  it('keeps a pinned range a range however short', () => {
    const list = new PartList(source, ranges);
    list.range(10, 4, true);
    expect(list.finish()).toEqual([{ offset: 10, length: 4 }]);
  });

  it('returns views of the source instead of ranges when ranges are not allowed', () => {
    const list = new PartList(source, { copyBelow: 256, rangesAllowed: false });
    list.range(0, 1000);
    const [part] = list.finish();
    expect(part).toBeInstanceOf(Uint8Array);
    expect((part as Uint8Array).buffer).toBe(source.buffer);
  });

  it('patches a reserved length after the bytes it counts are written (PS3.5 7.5.1 item length)', () => {
    const list = new PartList(source, ranges);
    const at = list.reserve(4);
    const start = list.length;
    list.range(500, 600);
    list.bytes(new Uint8Array([1, 2, 3]));
    list.patch32(at, list.length - start, true);
    const at16 = list.reserve(2);
    list.patch16(at16, 0x0102, false);
    const parts = list.finish();
    expect(parts).toEqual([
      new Uint8Array([603 & 0xff, 603 >> 8, 0, 0]),
      { offset: 500, length: 600 },
      new Uint8Array([1, 2, 3, 1, 2]),
    ]);
  });

  it('grows its buffer past the initial size and keeps every byte', () => {
    const list = new PartList(source, ranges);
    const big = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);
    list.bytes(big.subarray(0, 3000));
    list.range(1000, 50); // copied: short
    list.bytes(big.subarray(3000));
    const [part, ...rest] = list.finish();
    expect(rest).toEqual([]);
    expect(part).toEqual(
      new Uint8Array([...big.subarray(0, 3000), ...source.subarray(1000, 1050), ...big.subarray(3000)]),
    );
    expect(list.length).toBe(10_050);
  });
});
