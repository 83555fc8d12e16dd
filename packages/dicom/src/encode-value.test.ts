import { describe, expect, it } from 'vitest';
import { textEncodingFor } from './encode-text.js';
import { encodeValue, formatDS, formatIS } from './encode-value.js';
import { DicomError } from './errors.js';
import { tag } from './tag.js';

const LE = { littleEndian: true };
const BE = { littleEndian: false };
const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof DicomError ? e.code : 'NOT_A_DICOM_ERROR';
  }
  return undefined;
}

describe('encodeValue for text VRs', () => {
  it('pads odd-length text with a space and UIDs with NUL (PS3.5 6.2)', () => {
    expect(ascii(encodeValue('PN', 'Doe^Jo', LE))).toBe('Doe^Jo');
    expect(ascii(encodeValue('LO', 'abc', LE))).toBe('abc ');
    expect(ascii(encodeValue('UI', '1.2.3', LE))).toBe('1.2.3\0');
  });

  it('joins multiple values with a backslash', () => {
    expect(ascii(encodeValue('CS', ['ORIGINAL', 'PRIMARY', 'AXIAL'], LE))).toBe('ORIGINAL\\PRIMARY\\AXIAL');
    expect(ascii(encodeValue('CS', 'DERIVED\\SECONDARY', LE))).toBe('DERIVED\\SECONDARY ');
  });

  it('formats numbers for IS and DS', () => {
    expect(ascii(encodeValue('IS', [1, -20, 300], LE))).toBe('1\\-20\\300 ');
    expect(ascii(encodeValue('DS', [0.5, 1e-20], LE))).toBe('0.5\\1e-20 ');
  });

  it('keeps a backslash inside single-valued text VRs', () => {
    expect(ascii(encodeValue('LT', 'a\\b', LE))).toBe('a\\b ');
    expect(codeOf(() => encodeValue('LT', ['a', 'b'], LE))).toBe('DICOM_INVALID_VALUE');
  });

  it('refuses values longer than the VR allows (PS3.5 Table 6.2-1)', () => {
    expect(codeOf(() => encodeValue('SH', 'x'.repeat(17), LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('LO', 'x'.repeat(65), LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('UI', `1.${'2'.repeat(63)}`, LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('LO', 'x'.repeat(64), LE))).toBeUndefined();
  });

  it('limits a person name per component group, not in total', () => {
    const group = 'A'.repeat(64);
    expect(codeOf(() => encodeValue('PN', `${group}=${group}`, LE))).toBeUndefined();
    expect(codeOf(() => encodeValue('PN', `${group}A`, LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('PN', 'a=b=c=d', LE))).toBe('DICOM_INVALID_VALUE');
  });

  it('checks the format of default-repertoire VRs', () => {
    expect(codeOf(() => encodeValue('UI', '1.2.abc', LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('DA', '2024-01-01', LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('CS', 'lower', LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('IS', '99999999999', LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('DA', '', LE))).toBeUndefined();
    expect(codeOf(() => encodeValue('TM', '101530.25', LE))).toBeUndefined();
  });

  it('refuses control characters outside LT, ST and UT', () => {
    expect(codeOf(() => encodeValue('LO', 'a\nb', LE))).toBe('DICOM_INVALID_VALUE');
    expect(ascii(encodeValue('LT', 'a\r\nbc', LE))).toBe('a\r\nbc ');
  });

  it('encodes non-ASCII text only when the character set allows it', () => {
    expect(codeOf(() => encodeValue('PN', 'Müller', LE))).toBe('DICOM_INVALID_VALUE');
    expect([...encodeValue('PN', 'Müller', { ...LE, text: textEncodingFor(['ISO_IR 100']) })]).toEqual([
      0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72,
    ]);
    const utf8 = encodeValue('PN', 'Müller', { ...LE, text: textEncodingFor(['ISO_IR 192']) });
    expect(new TextDecoder().decode(utf8)).toBe('Müller ');
    expect(codeOf(() => encodeValue('PN', '山田', { ...LE, text: textEncodingFor(['ISO_IR 100']) }))).toBe(
      'DICOM_INVALID_VALUE',
    );
    expect(codeOf(() => encodeValue('PN', '山田', { ...LE, text: textEncodingFor(['', 'ISO 2022 IR 87']) }))).toBe(
      'DICOM_INVALID_VALUE',
    );
  });

  it('never encodes default-repertoire VRs with the data set character set', () => {
    expect(codeOf(() => encodeValue('CS', 'Ü', { ...LE, text: textEncodingFor(['ISO_IR 192']) }))).toBe(
      'DICOM_INVALID_VALUE',
    );
  });
});

describe('encodeValue for binary VRs', () => {
  it('writes numbers in the byte order asked for', () => {
    expect([...encodeValue('US', [0x0102], LE)]).toEqual([0x02, 0x01]);
    expect([...encodeValue('US', [0x0102], BE)]).toEqual([0x01, 0x02]);
    expect([...encodeValue('SL', [-2], BE)]).toEqual([0xff, 0xff, 0xff, 0xfe]);
    expect([...encodeValue('UV', [258], LE)]).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
    expect(new DataView(encodeValue('FD', [1.5], BE).buffer).getFloat64(0, false)).toBe(1.5);
  });

  it('writes an AT value as group then element (PS3.5 6.2)', () => {
    expect([...encodeValue('AT', [tag(0x0028, 0x0010)], LE)]).toEqual([0x28, 0x00, 0x10, 0x00]);
    expect([...encodeValue('AT', [tag(0x0028, 0x0010)], BE)]).toEqual([0x00, 0x28, 0x00, 0x10]);
  });

  it('refuses numbers out of range for the VR', () => {
    expect(codeOf(() => encodeValue('US', [65536], LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('SS', [1.5], LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('UL', [-1], LE))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => encodeValue('US', 'text', LE))).toBe('DICOM_INVALID_VALUE');
  });

  it('pads odd raw bytes with NUL and leaves even ones as they are', () => {
    expect([...encodeValue('OB', new Uint8Array([1, 2, 3]), LE)]).toEqual([1, 2, 3, 0]);
    const even = new Uint8Array([1, 2]);
    expect(encodeValue('OB', even, LE)).toBe(even);
  });

  it('refuses a sequence value', () => {
    expect(codeOf(() => encodeValue('SQ', [], LE))).toBe('DICOM_INVALID_VALUE');
  });
});

describe('formatIS and formatDS', () => {
  it('fit DS into 16 characters keeping the most significant digits', () => {
    expect(formatDS(Math.PI)).toBe('3.14159265358979');
    expect(formatDS(0.1 + 0.2)).toBe('0.3');
    expect(formatDS(-1 / 7e6).length).toBeLessThanOrEqual(16);
    expect(Number(formatDS(-1 / 7e6))).toBeCloseTo(-1 / 7e6, 15);
    expect(formatDS(1.23456789012345e17)).toBe('1.23456789012e17');
  });

  it('refuse values IS and DS cannot hold', () => {
    expect(codeOf(() => formatIS(2 ** 31))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => formatIS(0.5))).toBe('DICOM_INVALID_VALUE');
    expect(codeOf(() => formatDS(Number.NaN))).toBe('DICOM_INVALID_VALUE');
  });
});
