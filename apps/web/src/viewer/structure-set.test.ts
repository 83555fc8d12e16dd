import { existsSync, readFileSync } from 'node:fs';
import { createDicom, type NewElement, readDicom, tag } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { rtSet } from '../../../../bench/synthetic/rt-set.js';
import type { ImagePlane } from './image-plane.js';
import { contoursOnPlane, readStructureSet } from './structure-set.js';

// bench/synthetic/rt-set.ts: 4 CT slices 1.25 mm apart (z = 0, -1.25, -2.5, -3.75), an RTSTRUCT
// with 3 circular ROIs (radius 55/70/85 mm), one contour per ROI per slice, colours 255/n·60/0.
const set = rtSet({ slices: 4, rows: 16, columns: 16, contourPoints: 8 });
const structFile = set.files.find((f) => f.name.startsWith('RS'));
const axial = (z: number): ImagePlane => ({
  position: [-250, -250, z],
  rowCosines: [1, 0, 0],
  columnCosines: [0, 1, 0],
  rowSpacing: 1,
  columnSpacing: 1,
  rows: 16,
  columns: 16,
});

describe('readStructureSet', () => {
  it('joins ROI names and colours with their contours on Referenced ROI Number (PS3.3 C.8.8.5/C.8.8.6)', () => {
    const structures = readStructureSet(readDicom(structFile!.bytes));
    expect(structures.label).toBe('SYNTH STRUCT');
    expect(structures.frameOfReferenceUid).toBe(set.uids.frameOfReference);
    expect(structures.rois.map((r) => [r.number, r.name, r.color, r.contours.length])).toEqual([
      [1, 'PTV', [255, 60, 0], 4],
      [2, 'OAR 2', [255, 120, 0], 4],
      [3, 'OAR 3', [255, 180, 0], 4],
    ]);
    const first = structures.rois[0]!.contours[0]!;
    expect(first.type).toBe('CLOSED_PLANAR');
    expect(first.points.length).toBe(8 * 3);
    // Point 0 of ROI 1 (radius 40 + 15) on the first slice.
    expect(Array.from(first.points.slice(0, 3))).toEqual([55, 0, 0]);
  });

  it("reads pydicom's RT Structure Set: names and colours from a real planning system's file", () => {
    const path = '/usr/lib/python3/dist-packages/pydicom/data/test_files/rtstruct.dcm';
    if (!existsSync(path)) {
      if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') throw new Error(`${path} missing`);
      return console.warn(`skipping: ${path} missing (apt-get install python3-pydicom)`);
    }
    const structures = readStructureSet(readDicom(new Uint8Array(readFileSync(path))));
    expect(structures.rois.length).toBeGreaterThan(0);
    for (const roi of structures.rois) {
      expect(roi.name).not.toBe('');
      expect(roi.color.every((c) => c >= 0 && c <= 255)).toBe(true);
    }
    expect(structures.rois.some((r) => r.contours.length > 0)).toBe(true);
  });

  it('names an ROI whose name was blanked by de-identification after its number, and gives it a palette colour', () => {
    // PS3.15 Table E.1-1 empties ROI Name (Z) unless Clean Descriptors keeps it; colour is Type 3.
    const el = (t: number, vr: NewElement['vr'], value: NewElement['value']): NewElement => ({ tag: t, vr, value });
    const bytes = createDicom([
      el(tag(0x0008, 0x0016), 'UI', '1.2.840.10008.5.1.4.1.1.481.3'),
      el(tag(0x0008, 0x0018), 'UI', '1.2.3.4'),
      el(tag(0x3006, 0x0020), 'SQ', [[el(tag(0x3006, 0x0022), 'IS', [7]), el(tag(0x3006, 0x0026), 'LO', '')]]),
      el(tag(0x3006, 0x0039), 'SQ', [
        [
          el(tag(0x3006, 0x0040), 'SQ', [[el(tag(0x3006, 0x0050), 'DS', [1, 2, 3, 4, 5, 3])]]),
          el(tag(0x3006, 0x0084), 'IS', [7]),
        ],
      ]),
    ]);
    const [roi] = readStructureSet(readDicom(bytes)).rois;
    expect(roi?.name).toBe('ROI 7');
    expect(roi?.color).toEqual([255, 64, 64]);
    expect(roi?.contours[0]?.type).toBe('CLOSED_PLANAR');
    expect(Array.from(roi?.contours[0]?.points ?? [])).toEqual([1, 2, 3, 4, 5, 3]);
  });
});

describe('contoursOnPlane', () => {
  const structures = readStructureSet(readDicom(structFile!.bytes));

  it("draws on each slice exactly the contours whose points lie in the slice's plane", () => {
    for (const [z, slice] of [
      [0, 0],
      [-1.25, 1],
      [-3.75, 3],
    ] as const) {
      const found = contoursOnPlane(structures, axial(z), 0.625);
      expect(found.map((f) => f.roi.number)).toEqual([1, 2, 3]);
      expect(found.every((f) => f.contour === f.roi.contours[slice])).toBe(true);
    }
  });

  it('draws nothing between slices beyond the tolerance, or on a plane of another orientation', () => {
    expect(contoursOnPlane(structures, axial(0.7), 0.625)).toEqual([]);
    expect(contoursOnPlane(structures, axial(10), 0.625)).toEqual([]);
    const sagittal: ImagePlane = { ...axial(0), rowCosines: [0, 1, 0], columnCosines: [0, 0, -1] };
    expect(contoursOnPlane(structures, sagittal, 0.625)).toEqual([]);
  });
});
