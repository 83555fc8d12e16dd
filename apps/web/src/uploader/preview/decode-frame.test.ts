import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { type DecodedFrame, decodeFrame } from './decode-frame.js';
import { defaultWindow, frameToRgba } from './window-level.js';

// pydicom's test files (Debian python3-pydicom, provenance in their README.txt): the same images in
// several transfer syntaxes, which must decode to the same pixels. dcmdump (dcmtk) extracts the raw
// Pixel Data independently of our reader for an absolute check.
const FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const DCMDUMP = '/usr/bin/dcmdump';
const available = existsSync(FILES) && existsSync(DCMDUMP);
if (!available) {
  const message = `${FILES} or ${DCMDUMP} missing (apt-get install python3-pydicom dcmtk)`;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') throw new Error(message);
  console.warn(`skipping preview decoding tests: ${message}`);
}

function decode(name: string, frame?: number): ReturnType<typeof decodeFrame> {
  return decodeFrame(readDicom(new Uint8Array(readFileSync(join(FILES, name)))), frame);
}

function gray(name: string, frame?: number): Extract<DecodedFrame, { kind: 'gray' }> {
  const result = decode(name, frame);
  if (!('kind' in result) || result.kind !== 'gray') throw new Error(`${name}: ${JSON.stringify(result)}`);
  return result;
}

/** The Pixel Data value as dcmtk writes it (+W: host byte order, i.e. little endian here). */
function dcmtkPixelBytes(name: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'courier-preview-'));
  try {
    execFileSync(DCMDUMP, ['+W', dir, join(FILES, name)]);
    return readFileSync(join(dir, `${name}.0.raw`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!available)('decodeFrame', () => {
  it('gives the CT values dcmtk extracts, signed and rescaled to HU (Rescale Intercept -1024)', () => {
    const frame = gray('CT_small.dcm');
    const raw = dcmtkPixelBytes('CT_small.dcm');
    const stored = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
    expect(frame.rows * frame.columns).toBe(stored.length);
    expect(Array.from(frame.values)).toEqual(Array.from(stored, (v) => v - 1024));
    expect(new Set(frame.values).size).toBeGreaterThan(100);
  });

  it('decodes one MR image identically from explicit LE, implicit LE, big endian and RLE Lossless', () => {
    const reference = gray('MR_small.dcm');
    expect(reference.window).toEqual({ center: 600, width: 1600 });
    for (const name of ['MR_small_implicit.dcm', 'MR_small_bigendian.dcm', 'MR_small_expb.dcm', 'MR_small_RLE.dcm']) {
      expect({ name, values: Array.from(gray(name).values) }).toEqual({ name, values: Array.from(reference.values) });
    }
  });

  it('picks the middle frame of a multi-frame RT Dose by default and decodes 32-bit RLE like native', () => {
    const middle = gray('rtdose.dcm');
    expect({ frameCount: middle.frameCount, frameIndex: middle.frameIndex }).toEqual({ frameCount: 15, frameIndex: 7 });
    expect(Array.from(gray('rtdose_rle.dcm').values)).toEqual(Array.from(middle.values));
    expect(Array.from(gray('rtdose_expb.dcm', 3).values)).toEqual(Array.from(gray('rtdose.dcm', 3).values));
    expect(Array.from(gray('rtdose.dcm', 3).values)).not.toEqual(Array.from(middle.values));
  });

  it('decodes RGB RLE of 8 and 16 bits to the same 8-bit colours (within rounding)', () => {
    const eight = decode('SC_rgb_rle.dcm');
    const sixteen = decode('SC_rgb_rle_16bit.dcm');
    if (!('kind' in eight) || eight.kind !== 'rgb' || !('kind' in sixteen) || sixteen.kind !== 'rgb')
      throw new Error('not rgb');
    // The pydicom image is red, green, blue, black, white… bands.
    expect(new Set(Array.from(eight.rgb)).size).toBeGreaterThan(2);
    const diff = eight.rgb.reduce((max, v, i) => Math.max(max, Math.abs(v - (sixteen.rgb[i] ?? 0))), 0);
    expect(diff).toBeLessThanOrEqual(1);
  });

  it('reports compressed syntaxes it cannot decode, files without pixels and 1-bit pixels instead of throwing', () => {
    expect(decode('JPEG2000.dcm')).toEqual({ reason: 'compressed', transferSyntaxUID: '1.2.840.10008.1.2.4.91' });
    expect(decode('rtstruct.dcm')).toEqual({ reason: 'no-pixel-data' });
    expect(decode('liver_1frame.dcm')).toMatchObject({ reason: 'unsupported', detail: 'Bits Allocated 1' });
    expect(decode('SC_ybr_full_422_uncompressed.dcm')).toMatchObject({ reason: 'unsupported' });
  });
});

describe.skipIf(!available)('defaultWindow and frameToRgba', () => {
  it("uses the file's window and maps values below/above it to black/white (PS3.3 C.11.2.1.2.1)", () => {
    const frame = gray('MR_small.dcm');
    const window = defaultWindow(frame);
    expect(window).toEqual({ center: 600, width: 1600 });
    const rgba = frameToRgba(frame, window);
    const index = frame.values.findIndex((v) => v <= -200);
    const bright = frame.values.findIndex((v) => v >= 1400);
    if (index >= 0) expect(rgba[index * 4]).toBe(0);
    if (bright >= 0) expect(rgba[bright * 4]).toBe(255);
    expect(rgba[3]).toBe(255);
  });

  it('without a file window, spreads the 1st–99th percentile so the CT is not blank', () => {
    const frame = gray('CT_small.dcm');
    expect(frame.window).toBeUndefined();
    const window = defaultWindow(frame);
    expect(window.width).toBeGreaterThan(0);
    const rgba = frameToRgba(frame, window);
    const greys = new Set<number>();
    for (let i = 0; i < rgba.length; i += 4) greys.add(rgba[i] ?? 0);
    expect(greys.size).toBeGreaterThan(50);
  });
});
