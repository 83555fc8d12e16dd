import { describe, expect, it } from 'vitest';
import {
  EXPLICIT_LE,
  encodeElementHeader,
  encodeItemHeader,
  IMPLICIT_LE,
  ITEM,
  UNDEFINED_LENGTH,
} from './encode-element-header.js';
import { DicomError } from './errors.js';
import { tag } from './tag.js';

const EXPLICIT_BE = { explicitVR: true, littleEndian: false };

describe('encodeElementHeader', () => {
  it('writes 8 bytes with a 16-bit length for short explicit VRs (PS3.5 7.1.2)', () => {
    expect([...encodeElementHeader(tag(0x0010, 0x0010), 'PN', 8, EXPLICIT_LE)]).toEqual([
      0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x08, 0x00,
    ]);
  });

  it('writes 12 bytes with reserved bytes and a 32-bit length for long explicit VRs', () => {
    expect([...encodeElementHeader(tag(0x7fe0, 0x0010), 'OW', 0x01020304, EXPLICIT_BE)]).toEqual([
      0x7f, 0xe0, 0x00, 0x10, 0x4f, 0x57, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
    ]);
  });

  it('writes tag and 32-bit length without VR for implicit VR (PS3.5 7.1.3)', () => {
    expect([...encodeElementHeader(tag(0x0008, 0x1140), 'SQ', UNDEFINED_LENGTH, IMPLICIT_LE)]).toEqual([
      0x08, 0x00, 0x40, 0x11, 0xff, 0xff, 0xff, 0xff,
    ]);
  });

  it('refuses a value too long for a 16-bit length and undefined lengths on other VRs', () => {
    expect(() => encodeElementHeader(tag(0x0008, 0x0000), 'LO', 0x10000, EXPLICIT_LE)).toThrow(DicomError);
    expect(() => encodeElementHeader(tag(0x0008, 0x0000), 'LO', 0x10000, IMPLICIT_LE)).not.toThrow();
    expect(() => encodeElementHeader(tag(0x0008, 0x0000), 'UT', UNDEFINED_LENGTH, EXPLICIT_LE)).toThrow(DicomError);
  });
});

describe('encodeItemHeader', () => {
  it('writes the item tag in the byte order of the data set', () => {
    expect([...encodeItemHeader(ITEM, 16, true)]).toEqual([0xfe, 0xff, 0x00, 0xe0, 0x10, 0, 0, 0]);
    expect([...encodeItemHeader(ITEM, 16, false)]).toEqual([0xff, 0xfe, 0xe0, 0x00, 0, 0, 0, 0x10]);
  });
});
