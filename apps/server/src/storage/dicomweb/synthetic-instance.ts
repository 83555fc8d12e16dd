import { randomBytes } from 'node:crypto';
import type { InstanceKey } from '../dicom-store.js';

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** PS3.5 7.1.2: these VRs have a 2-byte reserved field and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR', 'OF', 'OD', 'OL']);

function element(group: number, elementNumber: number, vr: string, value: Uint8Array): Buffer {
  // PS3.5 7.1.2 Explicit VR Little Endian; every value has even length (PS3.5 7.1.1).
  const padded =
    value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]);
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elementNumber, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(padded.length, 8);
  else head.writeUInt16LE(padded.length, 6);
  return Buffer.concat([head, padded]);
}
const text = (value: string) => Buffer.from(value, 'latin1');
const us = (value: number) => {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
};

/** A fresh UID under the 2.25 root (PS3.5 B.2: a UUID as a decimal integer). */
export function randomUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString()}`;
}

/**
 * A minimal, valid CT Image Storage Part 10 file (PS3.10 7.1, Explicit VR Little Endian) with the
 * given UIDs and `rows × columns` random 16-bit pixels: a PACS accepts it like a real slice
 * (512 × 512 gives the 512 KiB of a typical CT slice). Used by the store suites and the benchmark,
 * which need many distinct instances with chosen UIDs.
 *
 * @example
 * const bytes = syntheticCtInstance({ studyInstanceUid, seriesInstanceUid, sopInstanceUid }, { rows: 64, columns: 64 });
 */
export function syntheticCtInstance(
  key: InstanceKey,
  options: { rows?: number; columns?: number; instanceNumber?: number } = {},
): Buffer {
  const rows = options.rows ?? 16;
  const columns = options.columns ?? 16;
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', text(CT_IMAGE_STORAGE)),
    element(0x0002, 0x0003, 'UI', text(key.sopInstanceUid)),
    element(0x0002, 0x0010, 'UI', text(EXPLICIT_VR_LITTLE_ENDIAN)),
    element(0x0002, 0x0012, 'UI', text('2.25.1')),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  const dataset = Buffer.concat([
    element(0x0008, 0x0016, 'UI', text(CT_IMAGE_STORAGE)),
    element(0x0008, 0x0018, 'UI', text(key.sopInstanceUid)),
    element(0x0008, 0x0060, 'CS', text('CT')),
    element(0x0010, 0x0010, 'PN', text('COURIER^TEST')),
    element(0x0010, 0x0020, 'LO', text('COURIER-TEST')),
    element(0x0020, 0x000d, 'UI', text(key.studyInstanceUid)),
    element(0x0020, 0x000e, 'UI', text(key.seriesInstanceUid)),
    element(0x0020, 0x0013, 'IS', text(String(options.instanceNumber ?? 1))),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', text('MONOCHROME2')),
    element(0x0028, 0x0010, 'US', us(rows)),
    element(0x0028, 0x0011, 'US', us(columns)),
    element(0x0028, 0x0100, 'US', us(16)),
    element(0x0028, 0x0101, 'US', us(16)),
    element(0x0028, 0x0102, 'US', us(15)),
    element(0x0028, 0x0103, 'US', us(0)),
    element(0x7fe0, 0x0010, 'OW', randomBytes(rows * columns * 2)),
  ]);
  return Buffer.concat([Buffer.alloc(128), text('DICM'), element(0x0002, 0x0000, 'UL', groupLength), meta, dataset]);
}
