import { type DicomFile, getNumber, getNumbers, getString, tag } from '@courier/dicom';
import { decodeFrame } from '../uploader/preview/decode-frame.js';
import { dot, type ImagePlane, pixelToWorld, planeNormal, type Vec3 } from './image-plane.js';

/** An RT Dose grid (PS3.3 C.8.8.3) in Gy, with its geometry. */
export interface DoseGrid {
  /** The first frame's plane (Image Position/Orientation, Pixel Spacing of the dose object). */
  readonly plane: ImagePlane;
  /** Each frame's distance from the first along the plane normal, mm (from Grid Frame Offset Vector). */
  readonly frameOffsets: readonly number[];
  /** Dose of every voxel in Gy, frame after frame, row by row. */
  readonly values: Float32Array;
  readonly max: number;
  /** Dose Units (3004,0002): GY or RELATIVE. */
  readonly units: string;
  readonly frameOfReferenceUid?: string;
}

const T = {
  frameOfReferenceUid: tag(0x0020, 0x0052),
  imagePosition: tag(0x0020, 0x0032),
  imageOrientation: tag(0x0020, 0x0037),
  rows: tag(0x0028, 0x0010),
  columns: tag(0x0028, 0x0011),
  pixelSpacing: tag(0x0028, 0x0030),
  numberOfFrames: tag(0x0028, 0x0008),
  doseUnits: tag(0x3004, 0x0002),
  gridFrameOffsetVector: tag(0x3004, 0x000c),
  doseGridScaling: tag(0x3004, 0x000e),
} as const;

/**
 * Reads an RT Dose object's grid: every frame decoded (native or RLE, see decodeFrame) and scaled
 * by Dose Grid Scaling (3004,000E) into Gy. Grid Frame Offset Vector (3004,000C) is relative to
 * the first frame when its first value is 0, else absolute z positions (PS3.3 C.8.8.3.2).
 * Throws an Error naming what is missing when the object holds no usable grid.
 *
 * @example
 * const grid = readDoseGrid(readDicom(bytes));
 * grid.max; // 60.0
 */
export function readDoseGrid(file: DicomFile): DoseGrid {
  const ds = file.dataSet;
  const position = getNumbers(file, ds, T.imagePosition);
  const orientation = getNumbers(file, ds, T.imageOrientation);
  const spacing = getNumbers(file, ds, T.pixelSpacing);
  const rows = getNumber(file, ds, T.rows) ?? 0;
  const columns = getNumber(file, ds, T.columns) ?? 0;
  if (position.length !== 3 || orientation.length !== 6 || spacing.length !== 2 || rows === 0 || columns === 0)
    throw new Error('RT Dose without Image Position/Orientation, Pixel Spacing or Rows/Columns');
  const frames = Math.max(1, getNumber(file, ds, T.numberOfFrames) ?? 1);
  const plane: ImagePlane = {
    position: position as unknown as Vec3,
    rowCosines: orientation.slice(0, 3) as unknown as Vec3,
    columnCosines: orientation.slice(3, 6) as unknown as Vec3,
    rowSpacing: spacing[0]!,
    columnSpacing: spacing[1]!,
    rows,
    columns,
  };
  const vector = getNumbers(file, ds, T.gridFrameOffsetVector);
  const frameOffsets =
    vector.length >= frames
      ? vector.slice(0, frames).map((v) => (vector[0] === 0 ? v : v - position[2]!))
      : Array.from({ length: frames }, (_, i) => i);
  const scaling = getNumber(file, ds, T.doseGridScaling) ?? 1;
  const size = rows * columns;
  const values = new Float32Array(size * frames);
  let max = 0;
  for (let f = 0; f < frames; f++) {
    const frame = decodeFrame(file, f);
    if (!('kind' in frame) || frame.kind !== 'gray')
      throw new Error(`RT Dose frame ${f + 1}: ${JSON.stringify(frame)}`);
    for (let i = 0; i < size; i++) {
      const v = (frame.values[i] ?? 0) * scaling;
      values[f * size + i] = v;
      if (v > max) max = v;
    }
  }
  const frameOfReferenceUid = getString(file, ds, T.frameOfReferenceUid)?.trim();
  return {
    plane,
    frameOffsets,
    values,
    max,
    units: getString(file, ds, T.doseUnits)?.trim() ?? 'GY',
    ...(frameOfReferenceUid ? { frameOfReferenceUid } : {}),
  };
}

/**
 * Samples the dose at a patient-space point: bilinear within the two nearest frames, linear
 * between them; 0 outside the grid.
 *
 * @example
 * doseAt(grid, [0, 0, -10]); // Gy at the isocentre slice
 */
export function doseAt(grid: DoseGrid, p: Vec3): number {
  const { plane, frameOffsets } = grid;
  const v: Vec3 = [p[0] - plane.position[0], p[1] - plane.position[1], p[2] - plane.position[2]];
  const column = dot(v, plane.rowCosines) / plane.columnSpacing;
  const row = dot(v, plane.columnCosines) / plane.rowSpacing;
  const depth = dot(v, planeNormal(plane));
  if (column < 0 || row < 0 || column > plane.columns - 1 || row > plane.rows - 1) return 0;
  const n = frameOffsets.length;
  const at = (f: number) => inPlane(grid, f, column, row);
  if (n === 1) return Math.abs(depth - frameOffsets[0]!) <= 1 ? at(0) : 0;
  // Frames may run either way along the normal: find the pair that brackets `depth`.
  for (let f = 0; f + 1 < n; f++) {
    const a = frameOffsets[f]!;
    const b = frameOffsets[f + 1]!;
    const t = b === a ? -1 : (depth - a) / (b - a);
    if (t >= 0 && t <= 1) return (1 - t) * at(f) + t * at(f + 1);
  }
  // Just beyond the first or last frame (within half a frame spacing): that frame.
  const half = Math.abs(frameOffsets[1]! - frameOffsets[0]!) / 2;
  if (Math.abs(depth - frameOffsets[0]!) <= half) return at(0);
  if (Math.abs(depth - frameOffsets[n - 1]!) <= half) return at(n - 1);
  return 0;
}

function inPlane(grid: DoseGrid, frame: number, column: number, row: number): number {
  const { rows, columns } = grid.plane;
  const c0 = Math.min(columns - 1, Math.floor(column));
  const r0 = Math.min(rows - 1, Math.floor(row));
  const c1 = Math.min(columns - 1, c0 + 1);
  const r1 = Math.min(rows - 1, r0 + 1);
  const fc = column - c0;
  const fr = row - r0;
  const base = frame * rows * columns;
  const at = (r: number, c: number) => grid.values[base + r * columns + c] ?? 0;
  return (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c1)) + fr * ((1 - fc) * at(r1, c0) + fc * at(r1, c1));
}

/**
 * The dose resampled onto an image's pixel grid (one value per image pixel, Gy), every `step`
 * pixels (the rest filled from the sampled neighbour) so a 512×512 slice stays cheap.
 *
 * @example
 * const slice = doseOnPlane(grid, ctPlane, 2); // Float32Array(rows * columns)
 */
export function doseOnPlane(grid: DoseGrid, plane: ImagePlane, step = 1): Float32Array {
  const out = new Float32Array(plane.rows * plane.columns);
  for (let r = 0; r < plane.rows; r += step) {
    for (let c = 0; c < plane.columns; c += step) {
      const d = doseAt(grid, pixelToWorld(plane, c, r));
      for (let rr = r; rr < Math.min(plane.rows, r + step); rr++)
        for (let cc = c; cc < Math.min(plane.columns, c + step); cc++) out[rr * plane.columns + cc] = d;
    }
  }
  return out;
}

/**
 * Colours a dose slice as a wash: transparent below `threshold` × max, then blue → green →
 * yellow → red up to the maximum (a "jet"-like scale), half transparent so the anatomy shows.
 *
 * @example
 * const rgba = doseWash(slice, grid.max); // ImageData buffer of the slice's size
 */
export function doseWash(
  dose: Float32Array,
  max: number,
  threshold = 0.1,
  alpha = 110,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(dose.length * 4));
  if (max <= 0) return out;
  for (let i = 0; i < dose.length; i++) {
    const f = (dose[i] ?? 0) / max;
    if (f < threshold) continue;
    const [r, g, b] = jet((f - threshold) / (1 - threshold));
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = alpha;
  }
  return out;
}

/** Blue (0) → cyan → green → yellow → red (1). */
function jet(x: number): [number, number, number] {
  const v = Math.max(0, Math.min(1, x)) * 4;
  const r = Math.max(0, Math.min(1, v - 1.5, 4.5 - v));
  const g = Math.max(0, Math.min(1, v - 0.5, 3.5 - v));
  const b = Math.max(0, Math.min(1, v + 0.5, 2.5 - v));
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}
