import type { DataSet } from './data-set.js';
import type { NewElement } from './edit.js';
import { ASCII_ENCODING } from './encode-text.js';
import { DicomError } from './errors.js';
import { PartList } from './part-list.js';
import { EXPLICIT_VR_LITTLE_ENDIAN, transferSyntaxFromUID } from './transfer-syntax.js';
import { writeDataSet } from './write-data-set.js';
import { concatParts } from './write-dicom.js';
import {
  COURIER_IMPLEMENTATION_CLASS_UID,
  COURIER_IMPLEMENTATION_VERSION_NAME,
  emptyPreambleAndPrefix,
  encodeFileMeta,
} from './write-file-meta.js';

const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;
/** New elements only: nothing is referenced, so there is no source. */
const NO_SOURCE = new Uint8Array(0);
const EMPTY: DataSet = { elements: new Map(), offset: 0, length: 0, undefinedLength: false };

/**
 * Options of `createDicom`.
 *
 * @example
 * createDicom(elements, { transferSyntaxUID: '1.2.840.10008.1.2' });
 */
export interface CreateOptions {
  /** An uncompressed transfer syntax: Explicit VR LE (default), Implicit VR LE or Explicit VR BE. */
  readonly transferSyntaxUID?: string;
  /** Extra File Meta Information elements, e.g. (0002,0016) Source Application Entity Title. */
  readonly meta?: readonly NewElement[];
}

/**
 * Builds a new Part 10 file (PS3.10 7.1) from a list of elements: 128-byte zero preamble,
 * "DICM", File Meta Information derived from the data set ((0002,0002)/(0002,0003) from SOP Class
 * and Instance UID, (0002,0010), Courier's implementation UID and version name, group length),
 * then the data set encoded in the transfer syntax. Elements may come in any order; sequences
 * are element lists per item. Used for synthetic test data and benchmarks.
 *
 * Throws DicomError DICOM_INVALID_VALUE for a value that does not fit its VR, and
 * DICOM_UNSUPPORTED_TRANSFER_SYNTAX for a compressed or deflated transfer syntax.
 *
 * @example
 * const bytes = createDicom([
 *   { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
 *   { tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.1' },
 *   { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Doe^Jane' },
 * ]);
 */
export function createDicom(elements: readonly NewElement[], options: CreateOptions = {}): Uint8Array {
  const uid = options.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN;
  const syntax = transferSyntaxFromUID(uid);
  if (syntax.deflated || syntax.encapsulated) {
    throw new DicomError('DICOM_UNSUPPORTED_TRANSFER_SYNTAX', `createDicom writes uncompressed data sets, not ${uid}`);
  }

  // The data set first (its value errors come first), the preamble and meta then go in front of it.
  const body = new PartList(NO_SOURCE, { copyBelow: 0, rangesAllowed: false });
  writeDataSet(body, EMPTY, { set: elements }, { source: NO_SOURCE, syntax, text: ASCII_ENCODING, path: '' });

  const uidOf = (t: number): string => {
    const value = elements.find((el) => el.tag === t)?.value;
    if (typeof value !== 'string') {
      throw new DicomError('DICOM_INVALID_VALUE', 'createDicom needs SOP Class UID and SOP Instance UID as strings');
    }
    return value;
  };
  const meta: NewElement[] = [
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0x00, 0x01]) },
    { tag: 0x00020002, vr: 'UI', value: uidOf(SOP_CLASS_UID) },
    { tag: 0x00020003, vr: 'UI', value: uidOf(SOP_INSTANCE_UID) },
    { tag: 0x00020010, vr: 'UI', value: uid },
    { tag: 0x00020012, vr: 'UI', value: COURIER_IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: COURIER_IMPLEMENTATION_VERSION_NAME },
  ];
  const extra = new Set((options.meta ?? []).map((el) => el.tag));
  const header = new PartList(NO_SOURCE, { copyBelow: 0, rangesAllowed: false });
  header.bytes(emptyPreambleAndPrefix());
  encodeFileMeta(header, [...meta.filter((el) => !extra.has(el.tag)), ...(options.meta ?? [])], NO_SOURCE);
  return concatParts([...header.finish(), ...body.finish()], NO_SOURCE);
}
