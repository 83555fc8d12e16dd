import { describe, expect, it } from 'vitest';
import { DICOM_EDITION, implicitVR, lookupTag, sopClassName, tagForKeyword } from './dictionary.js';
import { tag } from './tag.js';

describe('lookupTag', () => {
  it('finds a plain attribute with its keyword, name, VR and VM', () => {
    expect(lookupTag(tag(0x0010, 0x0010))).toEqual({
      tag: tag(0x0010, 0x0010),
      keyword: 'PatientName',
      name: "Patient's Name",
      vr: 'PN',
      vrs: ['PN'],
      vm: '1',
      retired: false,
    });
  });

  it('lists every VR of a multi-VR entry and uses the first for implicit VR', () => {
    const e = lookupTag(tag(0x0028, 0x0106));
    expect(e?.vrs).toEqual(['US', 'SS']);
    expect(e?.vr).toBe('US');
    expect(lookupTag(tag(0x0028, 0x1200))?.vrs).toEqual(['US', 'SS', 'OW']);
    expect(lookupTag(tag(0x7fe0, 0x0010))?.vrs).toEqual(['OB', 'OW']);
  });

  it('gives names both stored and derived from the keyword exactly as PS3.6 writes them', () => {
    expect(lookupTag(tag(0x0020, 0x000d))?.name).toBe('Study Instance UID');
    expect(lookupTag(tag(0x0008, 0x0090))?.name).toBe("Referring Physician's Name");
    expect(lookupTag(tag(0x0008, 0x002a))?.name).toBe('Acquisition DateTime');
    expect(lookupTag(tag(0x3006, 0x0039))?.name).toBe('ROI Contour Sequence');
  });

  it('flags retired attributes', () => {
    expect(lookupTag(tag(0x0008, 0x0001))).toMatchObject({ keyword: 'LengthToEnd', retired: true });
  });

  it('resolves overlay and curve repeating groups for every even group of the range', () => {
    expect(lookupTag(tag(0x6000, 0x3000))?.keyword).toBe('OverlayData');
    expect(lookupTag(tag(0x601e, 0x3000))).toMatchObject({ tag: tag(0x601e, 0x3000), keyword: 'OverlayData' });
    expect(lookupTag(tag(0x5002, 0x3000))?.keyword).toBe('CurveData');
    expect(lookupTag(tag(0x6002, 0x0010))?.vr).toBe('US');
  });

  it('resolves repeating elements inside a group', () => {
    expect(lookupTag(tag(0x0028, 0x0410))?.keyword).toBe('RowsForNthOrderCoefficients');
    expect(lookupTag(tag(0x0028, 0x04f0))?.keyword).toBe('RowsForNthOrderCoefficients');
    expect(lookupTag(tag(0x1000, 0x1235))?.keyword).toBe('ShiftTableTriplet');
  });

  it('treats odd groups as private: creators are LO, other private elements are unknown', () => {
    expect(lookupTag(tag(0x6001, 0x3000))).toBeUndefined();
    expect(lookupTag(tag(0x0029, 0x0010))).toMatchObject({ keyword: 'PrivateCreator', vr: 'LO' });
    expect(lookupTag(tag(0x0029, 0x1010))).toBeUndefined();
  });

  it('knows group length elements of every group', () => {
    expect(lookupTag(tag(0x0002, 0x0000))?.keyword).toBe('FileMetaInformationGroupLength');
    expect(lookupTag(tag(0x0008, 0x0000))).toMatchObject({ keyword: 'GenericGroupLength', vr: 'UL', retired: true });
  });

  it('gives the item and delimiter tags no VR', () => {
    expect(lookupTag(tag(0xfffe, 0xe000))).toMatchObject({ keyword: 'Item', vrs: [], vr: 'UN' });
  });

  it('returns undefined for an unknown public tag', () => {
    expect(lookupTag(tag(0x0010, 0x0011))).toBeUndefined();
    expect(implicitVR(tag(0x0010, 0x0011))).toBe('UN');
  });
});

describe('tagForKeyword', () => {
  it('maps keywords back to tags', () => {
    expect(tagForKeyword('StudyInstanceUID')).toBe(0x0020000d);
    expect(tagForKeyword('ROIContourSequence')).toBe(0x30060039);
    expect(tagForKeyword('OverlayData')).toBe(0x60003000);
    expect(tagForKeyword('NoSuchKeyword')).toBeUndefined();
  });

  it('round-trips every keyword it knows through lookupTag', () => {
    for (const keyword of ['PatientID', 'PixelData', 'SOPClassUID', 'ContourData', 'TransferSyntaxUID']) {
      const t = tagForKeyword(keyword);
      expect(t).toBeDefined();
      expect(lookupTag(t!)?.keyword).toBe(keyword);
    }
  });
});

describe('sopClassName', () => {
  it('names storage SOP classes', () => {
    expect(sopClassName('1.2.840.10008.5.1.4.1.1.481.3')).toBe('RT Structure Set Storage');
    expect(sopClassName('1.2.840.10008.5.1.4.1.1.2')).toBe('CT Image Storage');
    expect(sopClassName('1.2.3')).toBeUndefined();
  });

  it('records the edition of the standard', () => {
    expect(DICOM_EDITION).toBe('2024e');
  });
});
