import { type DoseGrid, doseOnPlane, doseWash } from './dose-grid.js';
import { type ImagePlane, pixelToWorld, type Vec3 } from './image-plane.js';
import { contoursOnPlane, type StructureSet } from './structure-set.js';

/** Maps a patient-space point to canvas CSS pixels (Cornerstone's viewport.worldToCanvas). */
export type WorldToCanvas = (p: Vec3) => readonly [number, number];

/** What the overlay shows on the current slice. */
export interface OverlayContent {
  readonly structures?: StructureSet;
  readonly dose?: DoseGrid;
}

/** What was drawn: the tests and the status line read it. */
export interface OverlayResult {
  readonly contours: number;
  readonly dose: boolean;
}

/**
 * Draws the dose wash and the contours of the current slice over the image, on a 2D canvas laid
 * over Cornerstone's: dose resampled onto the slice's pixel grid then placed with the affine map
 * of three pixel centres through `toCanvas`; contours stroked point by point through `toCanvas`.
 * Works the same whether Cornerstone renders with WebGL or on the CPU.
 *
 * @example
 * const drawn = drawOverlay(context, plane, 0.625, { structures }, (p) => viewport.worldToCanvas(p), devicePixelRatio);
 */
export function drawOverlay(
  context: CanvasRenderingContext2D,
  plane: ImagePlane,
  tolerance: number,
  content: OverlayContent,
  toCanvas: WorldToCanvas,
  scale: number,
  doseCache: Map<string, HTMLCanvasElement>,
  cacheKey: string,
): OverlayResult {
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  let dose = false;
  if (content.dose !== undefined && content.dose.max > 0) {
    let wash = doseCache.get(cacheKey);
    if (wash === undefined) {
      const values = doseOnPlane(content.dose, plane, plane.columns > 256 ? 2 : 1);
      wash = document.createElement('canvas');
      wash.width = plane.columns;
      wash.height = plane.rows;
      wash
        .getContext('2d')
        ?.putImageData(new ImageData(doseWash(values, content.dose.max), plane.columns, plane.rows), 0, 0);
      wash.dataset.empty = String(!values.some((v) => v >= 0.1 * (content.dose?.max ?? 0)));
      doseCache.set(cacheKey, wash);
    }
    if (wash.dataset.empty !== 'true') {
      const [ox, oy] = toCanvas(pixelToWorld(plane, 0, 0));
      const [ux, uy] = toCanvas(pixelToWorld(plane, 1, 0));
      const [vx, vy] = toCanvas(pixelToWorld(plane, 0, 1));
      context.setTransform(
        (ux - ox) * scale,
        (uy - oy) * scale,
        (vx - ox) * scale,
        (vy - oy) * scale,
        ox * scale,
        oy * scale,
      );
      context.imageSmoothingEnabled = true;
      // A pixel's value belongs to its centre (PS3.3 C.7.6.2.1.1), so pixel (0,0) spans -0.5…0.5.
      context.drawImage(wash, -0.5, -0.5);
      context.setTransform(1, 0, 0, 1, 0, 0);
      dose = true;
    }
  }
  let contours = 0;
  if (content.structures !== undefined) {
    context.lineWidth = 2 * scale;
    context.lineJoin = 'round';
    for (const { roi, contour } of contoursOnPlane(content.structures, plane, tolerance)) {
      const p = contour.points;
      context.strokeStyle = `rgb(${roi.color[0]}, ${roi.color[1]}, ${roi.color[2]})`;
      context.fillStyle = context.strokeStyle;
      context.beginPath();
      for (let i = 0; i + 2 < p.length; i += 3) {
        const [x, y] = toCanvas([p[i]!, p[i + 1]!, p[i + 2]!]);
        if (contour.type === 'POINT') {
          context.moveTo(x * scale + 3 * scale, y * scale);
          context.arc(x * scale, y * scale, 3 * scale, 0, 2 * Math.PI);
        } else if (i === 0) context.moveTo(x * scale, y * scale);
        else context.lineTo(x * scale, y * scale);
      }
      if (contour.type === 'CLOSED_PLANAR') context.closePath();
      if (contour.type === 'POINT') context.fill();
      else context.stroke();
      contours++;
    }
  }
  return { contours, dose };
}
