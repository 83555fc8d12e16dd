import { existsSync, readFileSync } from 'node:fs';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { rtSet } from '../../../../bench/synthetic/rt-set.js';
import { doseAt, doseOnPlane, doseWash, readDoseGrid } from './dose-grid.js';
import type { ImagePlane } from './image-plane.js';

// bench/synthetic/rt-set.ts's RTDOSE: 32×32 voxels of 15.625 mm from (-250, -250, 0), 3 frames at
// Grid Frame Offset Vector 0/-5/-10 mm (relative: first value 0), each 60000·exp(-d²/80) stored
// as UL with Dose Grid Scaling 0.001 → 60 Gy at voxel (16, 16), i.e. patient (0, 0).
const set = rtSet({ slices: 12, rows: 16, columns: 16 });
const grid = readDoseGrid(readDicom(set.files.find((f) => f.name.startsWith('RD'))!.bytes));

describe('readDoseGrid', () => {
  it('reads geometry, frame offsets and the scaled dose in Gy (PS3.3 C.8.8.3)', () => {
    expect(grid.plane).toMatchObject({ position: [-250, -250, 0], rows: 32, columns: 32, rowSpacing: 15.625 });
    expect(grid.frameOffsets).toEqual([0, -5, -10]);
    expect(grid.max).toBeCloseTo(60, 6);
    expect(grid.units).toBe('GY');
    expect(grid.frameOfReferenceUid).toBe(set.uids.frameOfReference);
  });

  it("reads pydicom's 15-frame RT Dose the same from native and RLE encodings", () => {
    const dir = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
    if (!existsSync(dir)) {
      if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') throw new Error(`${dir} missing`);
      return console.warn(`skipping: ${dir} missing (apt-get install python3-pydicom)`);
    }
    const native = readDoseGrid(readDicom(new Uint8Array(readFileSync(`${dir}/rtdose.dcm`))));
    const rle = readDoseGrid(readDicom(new Uint8Array(readFileSync(`${dir}/rtdose_rle.dcm`))));
    expect(native.frameOffsets.length).toBe(15);
    expect(native.max).toBeGreaterThan(0);
    expect(Array.from(rle.values)).toEqual(Array.from(native.values));
  });
});

describe('doseAt', () => {
  it('gives the maximum at the centre voxel and interpolates bilinearly between voxels', () => {
    expect(doseAt(grid, [0, 0, 0])).toBeCloseTo(60, 6);
    const half = doseAt(grid, [15.625 / 2, 0, 0]);
    expect(half).toBeCloseTo((60 + 60 * Math.exp(-1 / 80)) / 2, 3);
  });

  it('interpolates between frames and is 0 beyond half a frame spacing outside the grid', () => {
    expect(doseAt(grid, [0, 0, -7.5])).toBeCloseTo(60, 6);
    expect(doseAt(grid, [0, 0, 2])).toBeCloseTo(60, 6);
    expect(doseAt(grid, [0, 0, 3])).toBe(0);
    expect(doseAt(grid, [0, 0, -13])).toBe(0);
    expect(doseAt(grid, [300, 0, 0])).toBe(0);
  });
});

describe('doseOnPlane and doseWash', () => {
  const ct: ImagePlane = {
    position: [-250, -250, -2.5],
    rowCosines: [1, 0, 0],
    columnCosines: [0, 1, 0],
    rowSpacing: 500 / 16,
    columnSpacing: 500 / 16,
    rows: 16,
    columns: 16,
  };

  it('resamples the dose onto the CT pixel grid: highest in the centre, falling outwards', () => {
    const slice = doseOnPlane(grid, ct);
    expect(slice.length).toBe(256);
    const centre = slice[8 * 16 + 8]!;
    expect(centre).toBeCloseTo(60, 6);
    expect(slice[8 * 16 + 12]!).toBeLessThan(centre);
    expect(slice[0]!).toBeLessThan(1);
  });

  it('washes only voxels above 10 % of the maximum, red at the maximum, transparent elsewhere', () => {
    const wash = doseWash(Float32Array.from([0, 5, 60, 30]), 60);
    expect(Array.from(wash.slice(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(wash.slice(8, 12))).toEqual([128, 0, 0, 110]);
    expect(wash[15]).toBe(110);
  });
});
