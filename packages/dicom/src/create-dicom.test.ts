import { describe, expect, it } from 'vitest';
import { createDicom } from './create-dicom.js';
import { DicomError } from './errors.js';
import { readDicom } from './read-dicom.js';
import { tag } from './tag.js';
import { getNumbers, getSequence, getString } from './values.js';

const ELEMENTS = [
  { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Doe^Jane' },
  { tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.12345' },
  { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
  { tag: tag(0x0028, 0x0010), vr: 'US', value: [512] },
  {
    tag: tag(0x0008, 0x1140),
    vr: 'SQ',
    value: [[{ tag: tag(0x0008, 0x1155), vr: 'UI', value: '2.25.7' }], []],
  },
] as const;

describe('createDicom', () => {
  it.each([
    ['1.2.840.10008.1.2.1', true, true],
    ['1.2.840.10008.1.2', false, true],
    ['1.2.840.10008.1.2.2', true, false],
  ])('builds a Part 10 file in %s that reads back with its values', (uid, explicitVR, littleEndian) => {
    const file = readDicom(createDicom(ELEMENTS, { transferSyntaxUID: uid }));
    expect(file.hasPreamble).toBe(true);
    expect(file.warnings).toEqual([]);
    expect(file.transferSyntax).toMatchObject({ uid, explicitVR, littleEndian });
    expect(getString(file, file.meta, tag(0x0002, 0x0003))).toBe('2.25.12345');
    expect(getString(file, file.meta, tag(0x0002, 0x0002))).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(getString(file, file.dataSet, tag(0x0010, 0x0010))).toBe('Doe^Jane');
    expect(getNumbers(file, file.dataSet, tag(0x0028, 0x0010))).toEqual([512]);
    const items = getSequence(file.dataSet, tag(0x0008, 0x1140));
    expect(items).toHaveLength(2);
    expect(getString(file, items[0]!, tag(0x0008, 0x1155))).toBe('2.25.7');
    expect([...file.dataSet.elements.keys()]).toEqual([...file.dataSet.elements.keys()].sort((a, b) => a - b));
  });

  it('refuses a compressed transfer syntax and a data set without SOP UIDs', () => {
    expect(() => createDicom(ELEMENTS, { transferSyntaxUID: '1.2.840.10008.1.2.4.50' })).toThrow(DicomError);
    expect(() => createDicom([{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'X' }])).toThrow(DicomError);
  });
});
