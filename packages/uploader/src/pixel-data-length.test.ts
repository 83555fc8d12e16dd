import { readHeader } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { part10 } from '../test/dicom-builder.js';
import { truncatedPixelData } from './pixel-data-length.js';

const base = part10('1.2.840.10008.5.1.4.1.1.7', '1.1', [
  [0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'],
  [0x0008, 0x0018, 'UI', '1.1'],
  [0x7fe0, 0x0010, 'OW', new Uint8Array(1000)],
]);

function header(bytes: Uint8Array, fileSize: number) {
  const r = readHeader(bytes, fileSize);
  if (!('file' in r)) throw new Error('header not complete');
  return r.file;
}

describe('truncatedPixelData', () => {
  it('finds nothing wrong in a complete file', () => {
    expect(truncatedPixelData(header(base, base.length), base.length)).toBeUndefined();
  });

  it('reports a file cut inside Pixel Data with the declared and the actual end', () => {
    const cut = base.subarray(0, base.length - 100);
    expect(truncatedPixelData(header(cut, cut.length), cut.length)).toBe(
      `(7FE0,0010) declares 1000 bytes, ending at byte ${base.length}; the file has ${cut.length}`,
    );
  });

  it('says nothing about an undefined length (encapsulated pixel data is checked elsewhere)', () => {
    const head = base.subarray(0, base.length - 1000 - 4);
    const undefinedLength = new Uint8Array([...head, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0]);
    expect(truncatedPixelData(header(undefinedLength, undefinedLength.length), undefinedLength.length)).toBeUndefined();
  });
});
