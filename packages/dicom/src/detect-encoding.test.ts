import { describe, expect, it } from 'vitest';
import { ByteBuilder } from '../test/byte-builder.js';
import { detectEncoding } from './detect-encoding.js';
import { tag } from './tag.js';

const firstElement = (explicitVR: boolean, littleEndian: boolean) =>
  new ByteBuilder({ explicitVR, littleEndian }).element(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100').build();

describe('detectEncoding', () => {
  it.each([
    [true, true],
    [false, true],
    [true, false],
  ])('recognises explicit=%s little-endian=%s from the first element', (explicitVR, littleEndian) => {
    const bytes = firstElement(explicitVR, littleEndian);
    expect(detectEncoding(bytes, 0, bytes.length)).toEqual({ explicitVR, littleEndian });
  });

  it('rejects text, gzip and an implicit length that does not fit', () => {
    const text = new TextEncoder().encode('# Dicom-File-Format\n');
    expect(detectEncoding(text, 0, text.length)).toBeUndefined();
    const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x12, 0x34, 0x56, 0x78, 0, 0]);
    expect(detectEncoding(gzip, 0, gzip.length)).toBeUndefined();
    const long = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .header(tag(0x0008, 0x0005), 'CS', 1000)
      .build();
    expect(detectEncoding(long, 0, long.length)).toBeUndefined();
  });

  it('refuses a first element in a private group unless told the input is DICOM', () => {
    const jpegLike = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x00, 0x00, 0x4a, 0x46, 0x49, 0x46]);
    expect(detectEncoding(jpegLike, 0, 1 << 20)).toBeUndefined();
  });

  it('accepts private groups below 0009 only when told the input is DICOM', () => {
    const bytes = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .header(tag(0x0001, 0x0001), 'UN', 0)
      .build();
    expect(detectEncoding(bytes, 0, bytes.length)).toBeUndefined();
    expect(detectEncoding(bytes, 0, bytes.length, true)).toEqual({ explicitVR: false, littleEndian: true });
  });
});
