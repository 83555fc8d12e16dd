/**
 * Synthetic CT series for benchmarks and tests: Part 10 files with a realistic CT Image header
 * (PS3.3 A.3: patient, study, series, frame of reference, equipment, image plane, image pixel,
 * CT image modules, a code sequence and a private block) built with our own writer
 * (`createDicom`), followed by uncompressed 16-bit Pixel Data of a simple phantom.
 * UIDs are deterministic: the same options give the same files, byte for byte.
 *
 * Other packages' tests import this by relative path (bench/synthetic/ct-series.ts).
 *
 * @example
 * const files = ctSeries({ slices: 3, rows: 16, columns: 16 }); // Uint8Array[] of whole files
 * writeCtSeries('/tmp/ct', { slices: 2000 });                    // 2,000 files of 512×512
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createDicom, EXPLICIT_VR_LITTLE_ENDIAN, type NewElement, tag, transferSyntaxFromUID } from '@courier/dicom';

/** CT Image Storage (PS3.4 B.5). */
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export interface CtSeriesOptions {
  readonly slices: number;
  readonly rows?: number;
  readonly columns?: number;
  /** Makes UIDs differ between series (default 1). */
  readonly seed?: number;
  readonly patientName?: string;
  readonly patientId?: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: 'M' | 'F' | 'O';
  readonly studyDate?: string;
  /** Default Explicit VR Little Endian; Implicit VR LE and Explicit VR BE work too. */
  readonly transferSyntaxUID?: string;
  /** Override any UID (otherwise derived from `seed`). */
  readonly studyInstanceUID?: string;
  readonly seriesInstanceUID?: string;
  readonly frameOfReferenceUID?: string;
}

/** One slice: the Part 10 bytes up to and including the Pixel Data element header, and the pixel length. */
export interface SyntheticSlice {
  readonly header: Uint8Array;
  readonly pixelDataLength: number;
  readonly sopInstanceUID: string;
}

/**
 * A deterministic UID under 2.25 (PS3.5 B.2) from a seed, a role and an index. Not random: the
 * same inputs give the same UID, which is what reproducible test data needs.
 */
export function syntheticUID(seed: number, role: number, index = 0): string {
  return `2.25.${BigInt(seed) * 10n ** 20n + BigInt(role) * 10n ** 10n + BigInt(index)}`;
}

/** The UIDs a series shares. */
export function seriesUIDs(options: CtSeriesOptions): { study: string; series: string; frameOfReference: string } {
  const seed = options.seed ?? 1;
  return {
    study: options.studyInstanceUID ?? syntheticUID(seed, 1),
    series: options.seriesInstanceUID ?? syntheticUID(seed, 2),
    frameOfReference: options.frameOfReferenceUID ?? syntheticUID(seed, 3),
  };
}

const t = tag;
const el = (tg: number, vr: NewElement['vr'], value: NewElement['value']): NewElement => ({ tag: tg, vr, value });

/** The header elements of slice `index` (0-based), without Pixel Data. */
export function ctSliceElements(index: number, options: CtSeriesOptions): NewElement[] {
  const rows = options.rows ?? 512;
  const columns = options.columns ?? 512;
  const uids = seriesUIDs(options);
  const sop = syntheticUID(options.seed ?? 1, 4, index);
  const date = options.studyDate ?? '20240115';
  const thickness = 1.25;
  const z = -index * thickness;
  return [
    el(t(0x0008, 0x0005), 'CS', 'ISO_IR 100'),
    el(t(0x0008, 0x0008), 'CS', ['ORIGINAL', 'PRIMARY', 'AXIAL']),
    el(t(0x0008, 0x0012), 'DA', date),
    el(t(0x0008, 0x0013), 'TM', '101500'),
    el(t(0x0008, 0x0016), 'UI', CT_IMAGE_STORAGE),
    el(t(0x0008, 0x0018), 'UI', sop),
    el(t(0x0008, 0x0020), 'DA', date),
    el(t(0x0008, 0x0021), 'DA', date),
    el(t(0x0008, 0x0022), 'DA', date),
    el(t(0x0008, 0x0023), 'DA', date),
    el(t(0x0008, 0x0030), 'TM', '101000'),
    el(t(0x0008, 0x0031), 'TM', '101200'),
    el(t(0x0008, 0x0032), 'TM', '101230'),
    el(t(0x0008, 0x0033), 'TM', '101500'),
    el(t(0x0008, 0x0050), 'SH', 'ACC0001'),
    el(t(0x0008, 0x0060), 'CS', 'CT'),
    el(t(0x0008, 0x0070), 'LO', 'COURIER SYNTHETIC'),
    el(t(0x0008, 0x0080), 'LO', 'Synthetic General Hospital'),
    el(t(0x0008, 0x0090), 'PN', 'Referrer^Rita'),
    el(t(0x0008, 0x1010), 'SH', 'CTSIM01'),
    el(t(0x0008, 0x1030), 'LO', 'CT THORAX PLANNING'),
    el(t(0x0008, 0x1032), 'SQ', [
      [
        el(t(0x0008, 0x0100), 'SH', 'ZZ-CT-THX'),
        el(t(0x0008, 0x0102), 'SH', '99COURIER'),
        el(t(0x0008, 0x0104), 'LO', 'CT thorax for RT planning'),
      ],
    ]),
    el(t(0x0008, 0x103e), 'LO', 'Thorax 1.25mm'),
    el(t(0x0008, 0x1090), 'LO', 'Synthetic CT 64'),
    el(t(0x0009, 0x0010), 'LO', 'COURIER SYNTH 1.0'),
    el(t(0x0009, 0x1001), 'LO', `slice ${index}`),
    el(t(0x0010, 0x0010), 'PN', options.patientName ?? 'Synthetic^Patient'),
    el(t(0x0010, 0x0020), 'LO', options.patientId ?? 'SYN0001'),
    el(t(0x0010, 0x0030), 'DA', options.patientBirthDate ?? '19600101'),
    el(t(0x0010, 0x0040), 'CS', options.patientSex ?? 'O'),
    el(t(0x0010, 0x1010), 'AS', '064Y'),
    el(t(0x0018, 0x0015), 'CS', 'CHEST'),
    el(t(0x0018, 0x0050), 'DS', [thickness]),
    el(t(0x0018, 0x0060), 'DS', [120]),
    el(t(0x0018, 0x0088), 'DS', [thickness]),
    el(t(0x0018, 0x0090), 'DS', [500]),
    el(t(0x0018, 0x1020), 'LO', 'courier-synthetic 1'),
    el(t(0x0018, 0x1100), 'DS', [500]),
    el(t(0x0018, 0x1120), 'DS', [0]),
    el(t(0x0018, 0x1130), 'DS', [150]),
    el(t(0x0018, 0x1140), 'CS', 'CW'),
    el(t(0x0018, 0x1150), 'IS', [1000]),
    el(t(0x0018, 0x1151), 'IS', [300]),
    el(t(0x0018, 0x1152), 'IS', [300]),
    el(t(0x0018, 0x1160), 'SH', 'BODY FILTER'),
    el(t(0x0018, 0x1210), 'SH', 'STANDARD'),
    el(t(0x0018, 0x5100), 'CS', 'HFS'),
    el(t(0x0020, 0x000d), 'UI', uids.study),
    el(t(0x0020, 0x000e), 'UI', uids.series),
    el(t(0x0020, 0x0010), 'SH', 'STUDY1'),
    el(t(0x0020, 0x0011), 'IS', [2]),
    el(t(0x0020, 0x0012), 'IS', [1]),
    el(t(0x0020, 0x0013), 'IS', [index + 1]),
    el(t(0x0020, 0x0032), 'DS', [-250, -250, z]),
    el(t(0x0020, 0x0037), 'DS', [1, 0, 0, 0, 1, 0]),
    el(t(0x0020, 0x0052), 'UI', uids.frameOfReference),
    el(t(0x0020, 0x1040), 'LO', ''),
    el(t(0x0020, 0x1041), 'DS', [z]),
    el(t(0x0028, 0x0002), 'US', [1]),
    el(t(0x0028, 0x0004), 'CS', 'MONOCHROME2'),
    el(t(0x0028, 0x0010), 'US', [rows]),
    el(t(0x0028, 0x0011), 'US', [columns]),
    el(t(0x0028, 0x0030), 'DS', [500 / rows, 500 / columns]),
    el(t(0x0028, 0x0100), 'US', [16]),
    el(t(0x0028, 0x0101), 'US', [12]),
    el(t(0x0028, 0x0102), 'US', [11]),
    el(t(0x0028, 0x0103), 'US', [0]),
    el(t(0x0028, 0x1050), 'DS', [40]),
    el(t(0x0028, 0x1051), 'DS', [400]),
    el(t(0x0028, 0x1052), 'DS', [-1024]),
    el(t(0x0028, 0x1053), 'DS', [1]),
    el(t(0x0028, 0x1054), 'LO', 'HU'),
  ];
}

/**
 * Header of slice `index`: the Part 10 bytes of `ctSliceElements` followed by the header of a
 * Pixel Data element (OW) of `pixelDataLength` bytes, whose value the caller appends.
 */
export function ctSliceHeader(index: number, options: CtSeriesOptions, pixelDataLength?: number): SyntheticSlice {
  const elements = ctSliceElements(index, options);
  const uid = options.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN;
  const syntax = transferSyntaxFromUID(uid);
  const length = pixelDataLength ?? (options.rows ?? 512) * (options.columns ?? 512) * 2;
  const part10 = createDicom(elements, { transferSyntaxUID: uid });
  // (7FE0,0010) OW: explicit VR uses 2 reserved bytes and a 32-bit length (PS3.5 7.1.2).
  const pixelHeader = new Uint8Array(syntax.explicitVR ? 12 : 8);
  const view = new DataView(pixelHeader.buffer);
  const le = syntax.littleEndian;
  view.setUint16(0, 0x7fe0, le);
  view.setUint16(2, 0x0010, le);
  if (syntax.explicitVR) {
    pixelHeader.set([0x4f, 0x57], 4); // "OW"
    view.setUint32(8, length, le);
  } else {
    view.setUint32(4, length, le);
  }
  const header = new Uint8Array(part10.length + pixelHeader.length);
  header.set(part10);
  header.set(pixelHeader, part10.length);
  const sop = elements.find((e) => e.tag === t(0x0008, 0x0018))?.value as string;
  return { header, pixelDataLength: length, sopInstanceUID: sop };
}

/**
 * Pixels of slice `index`: a water cylinder (0 HU) with a bone ring (+1000 HU) in air
 * (−1000 HU), stored as HU + 1024 in 12 bits, little endian 16-bit words.
 */
export function ctSlicePixels(index: number, rows = 512, columns = 512): Uint8Array {
  const pixels = new Uint16Array(rows * columns);
  const cy = rows / 2;
  const cx = columns / 2;
  const r = Math.min(rows, columns) * (0.38 + 0.02 * Math.sin(index / 40));
  const r2 = r * r;
  const inner2 = (r * 0.92) ** 2;
  for (let y = 0; y < rows; y++) {
    const dy2 = (y - cy) ** 2;
    for (let x = 0; x < columns; x++) {
      const d2 = dy2 + (x - cx) ** 2;
      pixels[y * columns + x] = d2 > r2 ? 24 : d2 > inner2 ? 2024 : 1024 + ((x * 7 + y * 3 + index) & 31);
    }
  }
  return new Uint8Array(pixels.buffer);
}

/** Whole files of a small series, in memory (for tests). */
export function ctSeries(options: CtSeriesOptions): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < options.slices; i++) {
    const { header } = ctSliceHeader(i, options);
    const pixels = ctSlicePixels(i, options.rows, options.columns);
    const file = new Uint8Array(header.length + pixels.length);
    file.set(header);
    file.set(pixels, header.length);
    out.push(file);
  }
  return out;
}

/**
 * Writes the series as `dir/CT000001.dcm` … and returns the paths. The pixels are computed once
 * and reused for every slice (the header differs per slice), so 2,000 slices take seconds.
 */
export function writeCtSeries(dir: string, options: CtSeriesOptions): string[] {
  mkdirSync(dir, { recursive: true });
  const pixels = ctSlicePixels(0, options.rows, options.columns);
  const paths: string[] = [];
  for (let i = 0; i < options.slices; i++) {
    const { header } = ctSliceHeader(i, options, pixels.length);
    const path = join(dir, `CT${String(i + 1).padStart(6, '0')}.dcm`);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, header);
      writeSync(fd, pixels);
    } finally {
      closeSync(fd);
    }
    paths.push(path);
  }
  return paths;
}

/**
 * Writes one CT instance with `pixelDataLength` bytes of Pixel Data (e.g. 200 MB) without ever
 * holding them in memory: the value is written in 4 MiB chunks of a position-dependent pattern
 * (byte i of the value is (i * 2654435761) >>> 24), so its hash is reproducible. Returns the
 * header length (the Pixel Data value starts there).
 */
export function writeLargeCtInstance(
  path: string,
  pixelDataLength: number,
  options: Partial<CtSeriesOptions> = {},
): number {
  const rows = options.rows ?? 10240;
  const columns = options.columns ?? Math.ceil(pixelDataLength / 2 / rows);
  const { header } = ctSliceHeader(0, { slices: 1, ...options, rows, columns }, pixelDataLength);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    const chunk = new Uint8Array(4 * 1024 * 1024);
    for (let done = 0; done < pixelDataLength; done += chunk.length) {
      const n = Math.min(chunk.length, pixelDataLength - done);
      for (let i = 0; i < n; i++) chunk[i] = (Math.imul(done + i, 2654435761) >>> 24) & 0xff;
      writeSync(fd, chunk, 0, n);
    }
  } finally {
    closeSync(fd);
  }
  return header.length;
}
