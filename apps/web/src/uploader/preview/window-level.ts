import type { DecodedFrame } from './decode-frame.js';

/** A VOI window: centre and width in modality units (HU for CT). */
export interface VoiWindow {
  readonly center: number;
  readonly width: number;
}

/**
 * The window a preview starts with: the file's own (PS3.3 C.11.2.1.2, first of several), else the
 * 1st to 99th percentile of the frame's values, so a few extreme pixels (air around a CT, a
 * bright marker) do not wash the image out. Sampled on at most 65,536 pixels.
 *
 * @example
 * const w = defaultWindow(frame); // { center: 40, width: 400 } for a CT that says so
 */
export function defaultWindow(frame: DecodedFrame): VoiWindow {
  if (frame.window !== undefined) return frame.window;
  if (frame.kind === 'rgb') return { center: 127.5, width: 256 };
  const { values } = frame;
  const step = Math.max(1, Math.floor(values.length / 65_536));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) sample.push(values[i] ?? 0);
  sample.sort((a, b) => a - b);
  const low = sample[Math.floor((sample.length - 1) * 0.01)] ?? 0;
  const high = sample[Math.ceil((sample.length - 1) * 0.99)] ?? 0;
  if (high > low) return { center: (low + high) / 2, width: high - low };
  // Nearly uniform: use the full range (or 1 so the function below stays defined).
  const min = sample[0] ?? 0;
  const max = sample[sample.length - 1] ?? 0;
  return { center: (min + max) / 2, width: Math.max(1, max - min) };
}

/**
 * Renders a frame into RGBA bytes (an ImageData buffer): grey values through the linear VOI
 * function of PS3.3 C.11.2.1.2.1, inverted for MONOCHROME1; colour frames copied.
 *
 * @example
 * const rgba = frameToRgba(frame, defaultWindow(frame));
 * context.putImageData(new ImageData(rgba, frame.columns, frame.rows), 0, 0);
 */
export function frameToRgba(frame: DecodedFrame, window: VoiWindow): Uint8ClampedArray<ArrayBuffer> {
  const pixels = frame.rows * frame.columns;
  const out = new Uint8ClampedArray(new ArrayBuffer(pixels * 4));
  if (frame.kind === 'rgb') {
    for (let p = 0; p < pixels; p++) {
      out[p * 4] = frame.rgb[p * 3] ?? 0;
      out[p * 4 + 1] = frame.rgb[p * 3 + 1] ?? 0;
      out[p * 4 + 2] = frame.rgb[p * 3 + 2] ?? 0;
      out[p * 4 + 3] = 255;
    }
    return out;
  }
  // y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clamped (C.11.2.1.2.1 with output range 0..255).
  const c = window.center - 0.5;
  const w = Math.max(1, window.width - 1);
  for (let p = 0; p < pixels; p++) {
    let y = (((frame.values[p] ?? 0) - c) / w + 0.5) * 255;
    y = Math.max(0, Math.min(255, y));
    if (frame.invert) y = 255 - y;
    out[p * 4] = y;
    out[p * 4 + 1] = y;
    out[p * 4 + 2] = y;
    out[p * 4 + 3] = 255;
  }
  return out;
}
