import { describe, expect, it } from 'vitest';
import { distanceToPlane, type ImagePlane, pixelToWorld, planeNormal } from './image-plane.js';

// An axial CT slice as bench/synthetic/ct-series.ts writes it: 512×512, 500/512 mm pixels, the
// first pixel's centre at (-250, -250, z).
const axial: ImagePlane = {
  position: [-250, -250, -10],
  rowCosines: [1, 0, 0],
  columnCosines: [0, 1, 0],
  rowSpacing: 500 / 512,
  columnSpacing: 500 / 512,
  rows: 512,
  columns: 512,
};

describe('image plane geometry (PS3.3 C.7.6.2.1.1)', () => {
  it('puts pixel (column, row) at position + column·Δc·row cosines + row·Δr·column cosines', () => {
    expect(pixelToWorld(axial, 0, 0)).toEqual([-250, -250, -10]);
    expect(pixelToWorld(axial, 256, 0)).toEqual([0, -250, -10]);
    expect(pixelToWorld(axial, 0, 512)).toEqual([-250, 250, -10]);
  });

  it('measures distances along the normal, row × column, for axial and sagittal planes', () => {
    expect(planeNormal(axial)).toEqual([0, 0, 1]);
    expect(distanceToPlane(axial, [123, -45, -7.5])).toBeCloseTo(2.5, 9);
    const sagittal = { ...axial, rowCosines: [0, 1, 0] as const, columnCosines: [0, 0, -1] as const };
    expect(planeNormal(sagittal)).toEqual([-1, 0, 0]);
    expect(distanceToPlane(sagittal, [-260, 0, 0])).toBeCloseTo(10, 9);
  });
});
