/**
 * RLE Lossless decoding (PS3.5 Annex G): a frame is one fragment that starts with a 64-byte header
 * (number of segments, then 15 segment offsets, all UL little endian, G.5); each segment is one
 * byte plane (for 16-bit samples the most significant byte first, G.2) compressed with the
 * PackBits scheme of G.3.1.
 */

/**
 * Decodes one RLE fragment into byte planes: `planes[s]` holds byte `s` of every pixel, in the
 * segment order of the file (sample by sample, most significant byte first).
 * Throws an Error naming the defect when the header or a segment is inconsistent.
 *
 * @example
 * const planes = decodeRleFragment(fragment, rows * columns); // Uint8Array per segment
 */
export function decodeRleFragment(fragment: Uint8Array, pixels: number): Uint8Array[] {
  if (fragment.length < 64) throw new Error('RLE header shorter than 64 bytes (PS3.5 G.5)');
  const view = new DataView(fragment.buffer, fragment.byteOffset, fragment.byteLength);
  const count = view.getUint32(0, true);
  if (count < 1 || count > 15) throw new Error(`RLE header names ${count} segments (PS3.5 G.5 allows 1 to 15)`);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(view.getUint32(4 + i * 4, true));
  const planes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = offsets[i] ?? 0;
    const end = i + 1 < count ? (offsets[i + 1] ?? fragment.length) : fragment.length;
    if (start < 64 || end > fragment.length || end < start)
      throw new Error(`RLE segment ${i + 1} lies outside its fragment`);
    planes.push(unpackBits(fragment.subarray(start, end), pixels));
  }
  return planes;
}

/**
 * PackBits (PS3.5 G.3.1): a header byte n in 0..127 copies the next n+1 bytes; -127..-1 repeats
 * the next byte 1-n times; -128 is ignored. Output stops at `length` bytes (segments are padded to
 * even length, G.3.1 last paragraph).
 */
function unpackBits(input: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  let o = 0;
  while (i < input.length && o < length) {
    const n = ((input[i] ?? 0) << 24) >> 24;
    i++;
    if (n >= 0) {
      const run = Math.min(n + 1, length - o, input.length - i);
      out.set(input.subarray(i, i + run), o);
      i += n + 1;
      o += run;
    } else if (n !== -128) {
      const run = Math.min(1 - n, length - o);
      out.fill(input[i] ?? 0, o, o + run);
      i++;
      o += run;
    }
  }
  if (o < length) throw new Error(`RLE segment decoded to ${o} of ${length} bytes`);
  return out;
}
