import { inflateSync } from 'node:zlib';

/** Decoded pixels of a PNG: RGBA, 8 bits per channel, row by row. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/**
 * Decodes the PNGs Chromium's screenshots produce (8-bit RGB or RGBA, not interlaced; PNG spec
 * sections 11.2.2 IHDR and 9 filtering), so a spec can count pixels of what the user sees.
 *
 * @example
 * const { width, rgba } = decodePng(await locator.screenshot());
 */
export function decodePng(png: Buffer): Pixels {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || data[12] !== 0)
        throw new Error(`PNG depth ${depth} colour ${colour} interlace ${data[12]} not supported`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const current = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? (current[x - channels] ?? 0) : 0;
      const b = previous[x] ?? 0;
      const c = x >= channels ? (previous[x - channels] ?? 0) : 0;
      const v = line[x] ?? 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      current[x] = (v + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = current[x * channels] ?? 0;
      out[o + 1] = current[x * channels + 1] ?? 0;
      out[o + 2] = current[x * channels + 2] ?? 0;
      out[o + 3] = channels === 4 ? (current[x * channels + 3] ?? 255) : 255;
    }
    previous = current;
  }
  return { width, height, rgba: out };
}

/**
 * Counts the pixels within `tolerance` (per channel) of a colour.
 *
 * @example
 * countColour(pixels, [255, 60, 0], 40); // pixels of the PTV contour
 */
export function countColour(pixels: Pixels, colour: readonly [number, number, number], tolerance: number): number {
  let count = 0;
  const { rgba } = pixels;
  for (let i = 0; i < rgba.length; i += 4) {
    if (
      Math.abs((rgba[i] ?? 0) - colour[0]) <= tolerance &&
      Math.abs((rgba[i + 1] ?? 0) - colour[1]) <= tolerance &&
      Math.abs((rgba[i + 2] ?? 0) - colour[2]) <= tolerance
    )
      count++;
  }
  return count;
}

/**
 * Distinct grey levels (pixels whose R, G and B are equal): an image drawn has many, a blank or
 * a single-colour canvas one or two.
 *
 * @example
 * greyLevels(pixels) > 20;
 */
export function greyLevels(pixels: Pixels): number {
  const levels = new Set<number>();
  const { rgba } = pixels;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] === rgba[i + 1] && rgba[i + 1] === rgba[i + 2]) levels.add(rgba[i] ?? 0);
  }
  return levels.size;
}
