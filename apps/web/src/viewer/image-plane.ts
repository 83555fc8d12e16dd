/** A point or direction in the patient coordinate system (mm, PS3.3 C.7.6.2.1.1). */
export type Vec3 = readonly [number, number, number];

/**
 * Where an image lies in patient space (Image Plane Module, PS3.3 C.7.6.2): the centre of its
 * first pixel, the directions of a row and a column, and the spacing between pixel centres.
 */
export interface ImagePlane {
  /** Image Position (Patient) (0020,0032): centre of the top-left pixel. */
  readonly position: Vec3;
  /** First three values of Image Orientation (Patient) (0020,0037): direction along a row (increasing column). */
  readonly rowCosines: Vec3;
  /** Last three values of (0020,0037): direction down a column (increasing row). */
  readonly columnCosines: Vec3;
  /** Pixel Spacing (0028,0030) first value: distance between rows (mm). */
  readonly rowSpacing: number;
  /** Pixel Spacing second value: distance between columns (mm). */
  readonly columnSpacing: number;
  readonly rows: number;
  readonly columns: number;
}

/** a · b */
export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** a × b */
export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * The plane's normal, row × column (PS3.3 C.7.6.2.1.1: the slice direction).
 *
 * @example
 * planeNormal(axialPlane); // [0, 0, 1]
 */
export function planeNormal(plane: Pick<ImagePlane, 'rowCosines' | 'columnCosines'>): Vec3 {
  return cross(plane.rowCosines, plane.columnCosines);
}

/**
 * The patient-space point of pixel (column, row), fractional indices allowed (PS3.3 C.7.6.2.1.1
 * equation: P = S + X·Δi·i + Y·Δj·j with i the column and j the row index).
 *
 * @example
 * pixelToWorld(plane, 0, 0); // plane.position
 */
export function pixelToWorld(plane: ImagePlane, column: number, row: number): Vec3 {
  const [sx, sy, sz] = plane.position;
  const x = plane.columnSpacing * column;
  const y = plane.rowSpacing * row;
  return [
    sx + plane.rowCosines[0] * x + plane.columnCosines[0] * y,
    sy + plane.rowCosines[1] * x + plane.columnCosines[1] * y,
    sz + plane.rowCosines[2] * x + plane.columnCosines[2] * y,
  ];
}

/**
 * Signed distance of a point from the plane along its normal, in mm.
 *
 * @example
 * distanceToPlane(plane, [0, 0, plane.position[2] + 2.5]); // 2.5 for an axial plane
 */
export function distanceToPlane(plane: Pick<ImagePlane, 'position' | 'rowCosines' | 'columnCosines'>, p: Vec3): number {
  const n = planeNormal(plane);
  return dot(n, [p[0] - plane.position[0], p[1] - plane.position[1], p[2] - plane.position[2]]);
}
