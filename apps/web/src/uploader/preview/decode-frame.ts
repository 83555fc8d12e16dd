import {
  type DicomFile,
  ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN,
  getBytes,
  getNumber,
  getNumbers,
  getString,
  tag,
} from '@courier/dicom';
import { decodeRleFragment } from './rle.js';

/** RLE Lossless (PS3.5 A.4.2, Annex G). */
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

/**
 * One decoded frame: grey frames as modality values (Rescale Slope/Intercept applied, PS3.3
 * C.11.1.1.2), colour frames as interleaved 8-bit RGB.
 */
export type DecodedFrame =
  | (FrameGeometry & { readonly kind: 'gray'; readonly values: Float32Array; readonly invert: boolean })
  | (FrameGeometry & { readonly kind: 'rgb'; readonly rgb: Uint8ClampedArray });

/** What every decoded frame carries besides its pixels. */
export interface FrameGeometry {
  readonly rows: number;
  readonly columns: number;
  /** Number of Frames (0028,0008), 1 when absent. */
  readonly frameCount: number;
  /** The frame that was decoded (0-based). */
  readonly frameIndex: number;
  /** The file's first VOI window (Window Center/Width, PS3.3 C.11.2.1.2), when it has one. */
  readonly window?: { readonly center: number; readonly width: number };
  /** Pixel Spacing (0028,0030): row spacing, column spacing in mm. */
  readonly pixelSpacing?: readonly [number, number];
}

/** Why a frame could not be decoded; the preview shows a message per reason. */
export type FrameFailure =
  | { readonly reason: 'no-pixel-data' }
  | { readonly reason: 'compressed'; readonly transferSyntaxUID: string }
  | { readonly reason: 'unsupported'; readonly detail: string };

const T = {
  samplesPerPixel: tag(0x0028, 0x0002),
  photometric: tag(0x0028, 0x0004),
  planarConfiguration: tag(0x0028, 0x0006),
  numberOfFrames: tag(0x0028, 0x0008),
  rows: tag(0x0028, 0x0010),
  columns: tag(0x0028, 0x0011),
  pixelSpacing: tag(0x0028, 0x0030),
  bitsAllocated: tag(0x0028, 0x0100),
  bitsStored: tag(0x0028, 0x0101),
  highBit: tag(0x0028, 0x0102),
  pixelRepresentation: tag(0x0028, 0x0103),
  windowCenter: tag(0x0028, 0x1050),
  windowWidth: tag(0x0028, 0x1051),
  rescaleIntercept: tag(0x0028, 0x1052),
  rescaleSlope: tag(0x0028, 0x1053),
  pixelData: tag(0x7fe0, 0x0010),
} as const;

/**
 * Decodes frame `frameIndex` (default: the middle one) of a fully read file: native pixel data
 * of 8, 16 or 32 bits (PS3.5 8.1.1, either byte order), RLE Lossless (PS3.5 Annex G) and
 * Encapsulated Uncompressed; MONOCHROME1/2, RGB and YBR_FULL. Other compressed transfer syntaxes
 * (JPEG, JPEG-LS, JPEG 2000, …) come back as `compressed`, without throwing.
 *
 * @example
 * const result = decodeFrame(readDicom(bytes));
 * if ('kind' in result) drawFrame(canvas, result);
 */
export function decodeFrame(file: DicomFile, frameIndex?: number): DecodedFrame | FrameFailure {
  const ds = file.dataSet;
  const num = (t: number, fallback: number) => getNumber(file, ds, t) ?? fallback;
  const pixelData = ds.elements.get(T.pixelData);
  if (pixelData === undefined) return { reason: 'no-pixel-data' };
  const rows = num(T.rows, 0);
  const columns = num(T.columns, 0);
  const samples = num(T.samplesPerPixel, 1);
  const bitsAllocated = num(T.bitsAllocated, 0);
  const bitsStored = num(T.bitsStored, bitsAllocated);
  const highBit = num(T.highBit, bitsStored - 1);
  const signed = num(T.pixelRepresentation, 0) === 1;
  const photometric = (getString(file, ds, T.photometric) ?? 'MONOCHROME2').trim().toUpperCase();
  const frameCount = Math.max(1, num(T.numberOfFrames, 1));
  const index = Math.min(frameCount - 1, Math.max(0, frameIndex ?? Math.floor(frameCount / 2)));
  if (rows <= 0 || columns <= 0) return { reason: 'unsupported', detail: 'no Rows/Columns' };
  if (![8, 16, 32].includes(bitsAllocated)) return { reason: 'unsupported', detail: `Bits Allocated ${bitsAllocated}` };
  if (samples !== 1 && samples !== 3) return { reason: 'unsupported', detail: `Samples per Pixel ${samples}` };
  if (!['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL'].includes(photometric))
    return { reason: 'unsupported', detail: `Photometric Interpretation ${photometric}` };

  const pixels = rows * columns;
  const bytesPerSample = bitsAllocated / 8;
  let words: Uint32Array;
  // true: all of sample 0, then sample 1… (Planar Configuration 1, and every RLE frame, PS3.5 G.2).
  let planar = num(T.planarConfiguration, 0) === 1;
  const syntax = file.transferSyntax;
  if (!syntax.encapsulated) {
    const frameBytes = pixels * samples * bytesPerSample;
    const all = getBytes(file, pixelData);
    const start = index * frameBytes;
    if (start + frameBytes > all.length) return { reason: 'unsupported', detail: 'Pixel Data shorter than its frames' };
    // PS3.5 A.3: OW in Explicit VR Big Endian holds 16-bit words in big-endian order, so 8-bit
    // samples in OW come byte-swapped in pairs.
    const swapPairs = !syntax.littleEndian && bitsAllocated === 8 && pixelData.vr === 'OW';
    words = nativeWords(all.subarray(start, start + frameBytes), bitsAllocated, syntax.littleEndian, swapPairs);
  } else {
    const fragments = (pixelData.fragments ?? []).slice(1); // [0] is the Basic Offset Table (PS3.5 A.4)
    const fragment = fragments[index];
    if (syntax.uid === RLE_LOSSLESS) {
      // PS3.5 G.5: one fragment per frame.
      if (fragment === undefined) return { reason: 'unsupported', detail: `no fragment for frame ${index + 1}` };
      const planes = decodeRleFragment(
        file.source.subarray(fragment.offset, fragment.offset + fragment.length),
        pixels,
      );
      if (planes.length !== samples * bytesPerSample)
        return {
          reason: 'unsupported',
          detail: `RLE with ${planes.length} segments for ${samples}×${bitsAllocated} bits`,
        };
      words = rleWords(planes, pixels, samples, bytesPerSample);
      planar = true;
    } else if (syntax.uid === ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN) {
      // PS3.5 A.4.11: each frame one fragment of native little-endian bytes.
      if (fragment === undefined) return { reason: 'unsupported', detail: `no fragment for frame ${index + 1}` };
      words = nativeWords(
        file.source.subarray(fragment.offset, fragment.offset + fragment.length),
        bitsAllocated,
        true,
        false,
      );
    } else {
      return { reason: 'compressed', transferSyntaxUID: syntax.uid };
    }
  }

  const interpret = storedValue(bitsAllocated, bitsStored, highBit, signed);
  const center = getNumbers(file, ds, T.windowCenter)[0];
  const width = getNumbers(file, ds, T.windowWidth)[0];
  const spacing = getNumbers(file, ds, T.pixelSpacing);
  const geometry: FrameGeometry = {
    rows,
    columns,
    frameCount,
    frameIndex: index,
    ...(center !== undefined && width !== undefined && width > 0 ? { window: { center, width } } : {}),
    ...(spacing.length === 2 && spacing[0]! > 0 && spacing[1]! > 0
      ? { pixelSpacing: [spacing[0]!, spacing[1]!] as const }
      : {}),
  };
  if (samples === 1) {
    const slope = num(T.rescaleSlope, 1);
    const intercept = num(T.rescaleIntercept, 0);
    const values = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) values[p] = interpret(words[p] ?? 0) * slope + intercept;
    return { ...geometry, kind: 'gray', values, invert: photometric === 'MONOCHROME1' };
  }
  const rgb = new Uint8ClampedArray(pixels * 3);
  const shift = Math.max(0, bitsStored - 8);
  for (let p = 0; p < pixels; p++) {
    for (let s = 0; s < 3; s++) {
      const word = words[planar ? s * pixels + p : p * 3 + s] ?? 0;
      rgb[p * 3 + s] = interpret(word) / 2 ** shift;
    }
  }
  if (photometric === 'YBR_FULL') ybrFullToRgb(rgb);
  return { ...geometry, kind: 'rgb', rgb };
}

/** The stored words of a native frame, as unsigned integers of `bits` bits. */
function nativeWords(bytes: Uint8Array, bits: number, littleEndian: boolean, swapPairs: boolean): Uint32Array {
  const count = Math.floor((bytes.length * 8) / bits);
  const words = new Uint32Array(count);
  if (bits === 8) {
    for (let i = 0; i < count; i++) words[i] = bytes[swapPairs ? i ^ 1 : i] ?? 0;
    return words;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bits === 16) for (let i = 0; i < count; i++) words[i] = view.getUint16(i * 2, littleEndian);
  else for (let i = 0; i < count; i++) words[i] = view.getUint32(i * 4, littleEndian);
  return words;
}

/** Joins RLE byte planes (most significant byte first, PS3.5 G.2) into words, sample-major. */
function rleWords(planes: Uint8Array[], pixels: number, samples: number, bytesPerSample: number): Uint32Array {
  const words = new Uint32Array(pixels * samples);
  for (let s = 0; s < samples; s++) {
    for (let b = 0; b < bytesPerSample; b++) {
      const plane = planes[s * bytesPerSample + b];
      if (plane === undefined) continue;
      const factor = 2 ** (8 * (bytesPerSample - 1 - b));
      for (let p = 0; p < pixels; p++) words[s * pixels + p] = (words[s * pixels + p] ?? 0) + (plane[p] ?? 0) * factor;
    }
  }
  return words;
}

/**
 * The value a stored word holds (PS3.5 8.1.1): Bits Stored bits ending at High Bit, two's
 * complement when Pixel Representation is 1; the other bits of the word (overlays, noise) ignored.
 */
function storedValue(
  bitsAllocated: number,
  bitsStored: number,
  highBit: number,
  signed: boolean,
): (w: number) => number {
  if (bitsStored >= 32) return signed ? (w) => w | 0 : (w) => w >>> 0;
  const shift = Math.max(0, highBit + 1 - bitsStored);
  const mask = 2 ** bitsStored - 1;
  const sign = 2 ** (bitsStored - 1);
  const full = 2 ** bitsStored;
  if (bitsStored === bitsAllocated && shift === 0 && !signed) return (w) => w;
  return (w) => {
    const v = Math.floor(w / 2 ** shift) & mask;
    return signed && v >= sign ? v - full : v;
  };
}

/** YBR_FULL to RGB in place (PS3.3 C.7.6.3.1.2, the inverse of its equations). */
function ybrFullToRgb(pixels: Uint8ClampedArray): void {
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const y = pixels[i] ?? 0;
    const cb = (pixels[i + 1] ?? 128) - 128;
    const cr = (pixels[i + 2] ?? 128) - 128;
    pixels[i] = y + 1.402 * cr;
    pixels[i + 1] = y - 0.344136 * cb - 0.714136 * cr;
    pixels[i + 2] = y + 1.772 * cb;
  }
}
