import { type DataSet, type DicomFile, getNumber, getNumbers, getSequence, getString, tag } from '@courier/dicom';
import { distanceToPlane, type ImagePlane } from './image-plane.js';

/** One contour of an ROI: its geometric type and points (x, y, z triples in patient mm). */
export interface Contour {
  /** Contour Geometric Type (3006,0042): CLOSED_PLANAR, OPEN_PLANAR, OPEN_NONPLANAR or POINT. */
  readonly type: string;
  readonly points: Float64Array;
}

/** An ROI of a structure set with its display colour and contours. */
export interface Roi {
  /** ROI Number (3006,0022), referenced from the ROI Contour Sequence by (3006,0084). */
  readonly number: number;
  /** ROI Name (3006,0026). */
  readonly name: string;
  /** ROI Display Color (3006,002A), or one of a fixed palette when the file has none. */
  readonly color: readonly [number, number, number];
  readonly contours: readonly Contour[];
}

/** The contours of an RT Structure Set (PS3.3 A.19), ready to draw. */
export interface StructureSet {
  /** Structure Set Label (3006,0002). */
  readonly label: string;
  /** Frame of Reference the ROIs are defined in (3006,0024 of the first ROI, or 3006,0010's). */
  readonly frameOfReferenceUid?: string;
  readonly rois: readonly Roi[];
}

/** Colours for ROIs without ROI Display Color: distinct and visible on grey. */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [255, 64, 64],
  [64, 200, 255],
  [255, 220, 0],
  [0, 230, 118],
  [255, 120, 255],
  [255, 160, 0],
];

const T = {
  label: tag(0x3006, 0x0002),
  referencedFrameOfReferenceSequence: tag(0x3006, 0x0010),
  frameOfReferenceUid: tag(0x0020, 0x0052),
  structureSetRoiSequence: tag(0x3006, 0x0020),
  roiNumber: tag(0x3006, 0x0022),
  referencedFrameOfReferenceUid: tag(0x3006, 0x0024),
  roiName: tag(0x3006, 0x0026),
  roiContourSequence: tag(0x3006, 0x0039),
  roiDisplayColor: tag(0x3006, 0x002a),
  contourSequence: tag(0x3006, 0x0040),
  contourGeometricType: tag(0x3006, 0x0042),
  contourData: tag(0x3006, 0x0050),
  referencedRoiNumber: tag(0x3006, 0x0084),
} as const;

/**
 * Reads the ROIs of an RT Structure Set: names and frames of reference from the Structure Set ROI
 * Sequence (3006,0020, PS3.3 C.8.8.5), colours and contours from the ROI Contour Sequence
 * (3006,0039, C.8.8.6) joined on Referenced ROI Number (3006,0084). ROIs without contours are kept
 * (they have a name) with an empty list.
 *
 * @example
 * const set = readStructureSet(readDicom(bytes));
 * set.rois.map((r) => r.name); // ['PTV', 'Bladder']
 */
export function readStructureSet(file: DicomFile): StructureSet {
  const ds = file.dataSet;
  // Empty values count as absent: de-identification may blank a name (PS3.15 E.1, Table E.1-1: ROI Name is Z unless the Clean Descriptors option keeps it).
  const str = (d: DataSet, t: number) => getString(file, d, t)?.trim() || undefined;
  const names = new Map<number, { name: string; frame?: string }>();
  for (const item of getSequence(ds, T.structureSetRoiSequence)) {
    const number = getNumber(file, item, T.roiNumber);
    if (number === undefined) continue;
    const frame = str(item, T.referencedFrameOfReferenceUid);
    names.set(number, { name: str(item, T.roiName) ?? `ROI ${number}`, ...(frame ? { frame } : {}) });
  }
  const rois: Roi[] = [];
  const seen = new Set<number>();
  for (const item of getSequence(ds, T.roiContourSequence)) {
    const number = getNumber(file, item, T.referencedRoiNumber) ?? rois.length + 1;
    const rgb = getNumbers(file, item, T.roiDisplayColor);
    const color: readonly [number, number, number] =
      rgb.length === 3 ? [rgb[0]!, rgb[1]!, rgb[2]!] : (PALETTE[rois.length % PALETTE.length] ?? [255, 0, 0]);
    const contours: Contour[] = [];
    for (const c of getSequence(item, T.contourSequence)) {
      const data = getNumbers(file, c, T.contourData);
      if (data.length < 3) continue;
      contours.push({
        type: str(c, T.contourGeometricType) ?? 'CLOSED_PLANAR',
        points: Float64Array.from(data.slice(0, data.length - (data.length % 3))),
      });
    }
    rois.push({ number, name: names.get(number)?.name ?? `ROI ${number}`, color, contours });
    seen.add(number);
  }
  for (const [number, { name }] of names) {
    if (!seen.has(number)) rois.push({ number, name, color: PALETTE[rois.length % PALETTE.length]!, contours: [] });
  }
  const firstFrame =
    [...names.values()].find((n) => n.frame !== undefined)?.frame ??
    str(getSequence(ds, T.referencedFrameOfReferenceSequence)[0] ?? ds, T.frameOfReferenceUid);
  return { label: str(ds, T.label) ?? '', ...(firstFrame ? { frameOfReferenceUid: firstFrame } : {}), rois };
}

/**
 * The contours that lie in an image's plane: every point within `tolerance` mm of it (half the
 * slice spacing is right for a stack: each contour then shows on exactly one slice).
 *
 * @example
 * const onSlice = contoursOnPlane(set, plane, 0.625);
 */
export function contoursOnPlane(
  set: StructureSet,
  plane: Pick<ImagePlane, 'position' | 'rowCosines' | 'columnCosines'>,
  tolerance: number,
): { roi: Roi; contour: Contour }[] {
  const out: { roi: Roi; contour: Contour }[] = [];
  for (const roi of set.rois) {
    for (const contour of roi.contours) {
      const p = contour.points;
      let inPlane = true;
      for (let i = 0; i + 2 < p.length; i += 3) {
        if (Math.abs(distanceToPlane(plane, [p[i]!, p[i + 1]!, p[i + 2]!])) > tolerance) {
          inPlane = false;
          break;
        }
      }
      if (inPlane) out.push({ roi, contour });
    }
  }
  return out;
}
