import { describe, expect, it } from 'vitest';
import { ByteBuilder } from '../test/byte-builder.js';
import { readDicom } from './read-dicom.js';
import { tag } from './tag.js';
import { getBytes, getNumber, getNumbers, getPrivateCreator, getSequence, getString, getStrings } from './values.js';

const file = readDicom(
  new ByteBuilder()
    .part10('1.2.840.10008.1.2.1')
    .element(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100')
    .element(tag(0x0008, 0x0008), 'CS', 'ORIGINAL\\PRIMARY\\AXIAL')
    .element(tag(0x0008, 0x0016), 'UI', '1.2.840.10008.5.1.4.1.1.2')
    .element(tag(0x0008, 0x0050), 'SH', '')
    .element(tag(0x0008, 0x1140), 'SQ', [])
    .element(tag(0x0010, 0x0010), 'PN', [0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65]) // "Jérôme" in Latin-1
    .element(tag(0x0018, 0x0050), 'DS', ' 2.5 ')
    .element(tag(0x0020, 0x0013), 'IS', '12')
    .element(tag(0x0020, 0x4000), 'LT', 'a\\b  ')
    .element(tag(0x0028, 0x0009), 'AT', [0x54, 0x00, 0x80, 0x00])
    .us(tag(0x0028, 0x0010), 512)
    .element(tag(0x0028, 0x0030), 'DS', '0.5\\0.25')
    .element(tag(0x0028, 0x1052), 'DS', 'oops')
    .element(tag(0x0029, 0x0010), 'LO', 'ACME 1.0 ')
    .element(tag(0x0029, 0x1001), 'UN', '1.2.3')
    .element(tag(0x0029, 0x1010), 'SL', [0xfe, 0xff, 0xff, 0xff])
    .element(tag(0x0054, 0x0081), 'UN', [3, 0]) // Number of Slices (US) sent as UN
    .element(tag(0x0072, 0x0082), 'SV', [0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    .element(tag(0x3004, 0x000c), 'FD', new Uint8Array(new Float64Array([1.5, -2]).buffer))
    .build(),
);
const ds = file.dataSet;

describe('getString', () => {
  it('decodes text with the Specific Character Set and trims trailing padding', () => {
    expect(getString(file, ds, tag(0x0010, 0x0010))).toBe('Jérôme');
    expect(getString(file, ds, tag(0x0008, 0x0016))).toBe('1.2.840.10008.5.1.4.1.1.2');
  });

  it("gives '' for an empty value and undefined for an absent one", () => {
    expect(getString(file, ds, tag(0x0008, 0x0050))).toBe('');
    expect(getString(file, ds, tag(0x0010, 0x0020))).toBeUndefined();
  });

  it('formats binary values and AT tags as text', () => {
    expect(getString(file, ds, tag(0x0028, 0x0010))).toBe('512');
    expect(getString(file, ds, tag(0x0028, 0x0009))).toBe('(0054,0080)');
    expect(getString(file, ds, tag(0x0072, 0x0082))).toBe('-3');
  });

  it('gives undefined for byte streams and sequences, which are not text', () => {
    expect(getString(file, ds, tag(0x0029, 0x1001))).toBeUndefined();
    expect(getString(file, ds, tag(0x0008, 0x1140))).toBeUndefined();
  });

  it('reads a UN element with its dictionary VR', () => {
    expect(getNumber(file, ds, tag(0x0054, 0x0081))).toBe(3);
  });
});

describe('getStrings', () => {
  it('splits multi-valued text at backslashes', () => {
    expect(getStrings(file, ds, tag(0x0008, 0x0008))).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
  });

  it('never splits LT, ST, UT or UR, where a backslash is text', () => {
    expect(getStrings(file, ds, tag(0x0020, 0x4000))).toEqual(['a\\b']);
  });

  it('gives [] for an empty or absent value', () => {
    expect(getStrings(file, ds, tag(0x0008, 0x0050))).toEqual([]);
    expect(getStrings(file, ds, tag(0x0010, 0x0020))).toEqual([]);
  });
});

describe('getNumber and getNumbers', () => {
  it('parses IS and DS text, trimming spaces', () => {
    expect(getNumber(file, ds, tag(0x0018, 0x0050))).toBe(2.5);
    expect(getNumber(file, ds, tag(0x0020, 0x0013))).toBe(12);
    expect(getNumbers(file, ds, tag(0x0028, 0x0030))).toEqual([0.5, 0.25]);
  });

  it('gives NaN for text that is not a number, keeping positions', () => {
    expect(getNumbers(file, ds, tag(0x0028, 0x1052))).toEqual([Number.NaN]);
  });

  it('reads signed and floating binary values', () => {
    expect(getNumber(file, ds, tag(0x0029, 0x1010))).toBe(-2);
    expect(getNumbers(file, ds, tag(0x3004, 0x000c))).toEqual([1.5, -2]);
  });

  it('gives [] for an absent element', () => {
    expect(getNumbers(file, ds, tag(0x0028, 0x0011))).toEqual([]);
  });
});

describe('getBytes and getSequence', () => {
  it('returns a view sharing memory with the source', () => {
    const el = ds.elements.get(tag(0x0029, 0x1001))!;
    const view = getBytes(file, el);
    expect(view.buffer).toBe(file.source.buffer);
    expect(view.byteOffset).toBe(file.source.byteOffset + el.offset);
    expect(new TextDecoder().decode(view)).toBe('1.2.3 ');
  });

  it('gives [] for an absent or empty sequence', () => {
    expect(getSequence(ds, tag(0x0008, 0x1140))).toEqual([]);
    expect(getSequence(ds, tag(0x0008, 0x1115))).toEqual([]);
  });
});

describe('getPrivateCreator', () => {
  it('finds the creator of a private element block and nothing for public or creator-less tags', () => {
    expect(getPrivateCreator(file, ds, tag(0x0029, 0x1001))).toBe('ACME 1.0');
    expect(getPrivateCreator(file, ds, tag(0x0029, 0x1101))).toBeUndefined();
    expect(getPrivateCreator(file, ds, tag(0x0010, 0x1001))).toBeUndefined();
    expect(getPrivateCreator(file, ds, tag(0x0029, 0x0010))).toBeUndefined();
  });
});
