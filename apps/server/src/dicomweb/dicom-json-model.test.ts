import { createDicom, EXPLICIT_VR_LITTLE_ENDIAN, readDicom, tag } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { jsonKey, toDicomJson } from './dicom-json-model.js';

// A small data set built with our writer, one element per VR family of PS3.18 F.2.3.
const bytes = createDicom(
  [
    { tag: tag(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 192' },
    { tag: tag(0x0008, 0x0008), vr: 'CS', value: ['ORIGINAL', 'PRIMARY'] },
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: '1.2.3.4' },
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Yamada^Tarou=山田^太郎' },
    { tag: tag(0x0018, 0x0050), vr: 'DS', value: ['2.5'] },
    { tag: tag(0x0020, 0x0013), vr: 'IS', value: ['7'] },
    { tag: tag(0x0020, 0x4000), vr: 'LT', value: 'a\\b' },
    { tag: tag(0x0028, 0x0010), vr: 'US', value: [16] },
    { tag: tag(0x0028, 0x0030), vr: 'DS', value: [0.5, 0.25] },
    { tag: tag(0x0028, 0x0009), vr: 'AT', value: [tag(0x0054, 0x0080)] },
    { tag: tag(0x0029, 0x0010), vr: 'LO', value: 'ACME' },
    { tag: tag(0x0029, 0x1010), vr: 'OB', value: new Uint8Array(2000).fill(1) },
    {
      tag: tag(0x0008, 0x1140),
      vr: 'SQ',
      value: [[{ tag: tag(0x0008, 0x1155), vr: 'UI', value: '1.2.3.5' }]],
    },
    { tag: tag(0x0008, 0x1115), vr: 'SQ', value: [] },
    { tag: tag(0x0008, 0x1030), vr: 'LO', value: '' },
  ],
  { transferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN },
);

describe('toDicomJson (PS3.18 Annex F)', () => {
  const file = readDicom(bytes);
  const json = toDicomJson(file, file.dataSet, { bulkDataUri: (t) => `bulk/${jsonKey(t)}` });

  it('writes text values as strings split at backslashes, except LT/ST/UT/UR', () => {
    expect(json['00080008']).toEqual({ vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] });
    expect(json['00080018']).toEqual({ vr: 'UI', Value: ['1.2.3.4'] });
    expect(json['00204000']).toEqual({ vr: 'LT', Value: ['a\\b'] });
  });

  it('writes IS, DS and binary numbers as JSON numbers and AT as 8 hex digits', () => {
    expect(json['00180050']).toEqual({ vr: 'DS', Value: [2.5] });
    expect(json['00200013']).toEqual({ vr: 'IS', Value: [7] });
    expect(json['00280010']).toEqual({ vr: 'US', Value: [16] });
    expect(json['00280030']).toEqual({ vr: 'DS', Value: [0.5, 0.25] });
    expect(json['00280009']).toEqual({ vr: 'AT', Value: ['00540080'] });
  });

  it('splits person names into component groups, decoded with the character set', () => {
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }] });
  });

  it('nests sequence items, leaves Value out of empty sequences and empty values', () => {
    expect(json['00081140']).toEqual({ vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: ['1.2.3.5'] } }] });
    expect(json['00081115']).toEqual({ vr: 'SQ' });
    expect(json['00081030']).toEqual({ vr: 'LO' });
  });

  it('sends large binary values by BulkDataURI and inlines them without a URI builder', () => {
    expect(json['00291010']).toEqual({ vr: 'OB', BulkDataURI: 'bulk/00291010' });
    const inline = toDicomJson(file, file.dataSet)['00291010'];
    expect(Buffer.from(inline!.InlineBinary!, 'base64')).toEqual(Buffer.alloc(2000, 1));
  });

  it('keeps only the elements a filter accepts at the top level', () => {
    const kept = toDicomJson(file, file.dataSet, { keep: (e) => e.tag === tag(0x0008, 0x0018) });
    expect(Object.keys(kept)).toEqual(['00080018']);
  });
});
