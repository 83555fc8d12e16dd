import { describe, expect, it } from 'vitest';
import { finishParts, PartList } from './part-list.js';

const source = Uint8Array.from({ length: 2000 }, (_, i) => i & 0xff);

describe('PartList and finishParts', () => {
  it('merges contiguous ranges and keeps the total length', () => {
    const list = new PartList();
    list.range(0, 300);
    list.range(300, 200);
    list.bytes(new Uint8Array([9, 9]));
    list.range(1000, 400);
    expect(list.length).toBe(902);
    expect(finishParts(list, source, { copyBelow: 256, rangesAllowed: true })).toEqual([
      { offset: 0, length: 500 },
      new Uint8Array([9, 9]),
      { offset: 1000, length: 400 },
    ]);
  });

  it('copies short ranges into the neighbouring new bytes', () => {
    const list = new PartList();
    list.bytes(new Uint8Array([1]));
    list.range(10, 3);
    list.bytes(new Uint8Array([2]));
    const parts = finishParts(list, source, { copyBelow: 256, rangesAllowed: true });
    expect(parts).toEqual([new Uint8Array([1, 10, 11, 12, 2])]);
  });

  it('keeps a pinned range a range however short', () => {
    const list = new PartList();
    list.range(10, 4, true);
    expect(finishParts(list, source, { copyBelow: 256, rangesAllowed: true })).toEqual([{ offset: 10, length: 4 }]);
  });

  it('returns views of the source instead of ranges when ranges are not allowed', () => {
    const list = new PartList();
    list.range(0, 1000);
    const [part] = finishParts(list, source, { copyBelow: 256, rangesAllowed: false });
    expect(part).toBeInstanceOf(Uint8Array);
    expect((part as Uint8Array).buffer).toBe(source.buffer);
  });
});
