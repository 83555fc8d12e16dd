import { DicomError } from './errors.js';
import type { PartList } from './part-list.js';
import { formatTag, type Tag } from './tag.js';
import { type VR, VR_INFO } from './value-representation.js';

/** The two encoding choices of an uncompressed data set (PS3.5 7.1, 7.3); a TransferSyntax fits. */
export interface ElementSyntax {
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
}

/** Explicit VR Little Endian: the File Meta Information's encoding (PS3.10 7.1). */
export const EXPLICIT_LE: ElementSyntax = { explicitVR: true, littleEndian: true };

/** Implicit VR Little Endian: the encoding of a UN sequence's items (PS3.5 6.2.2). */
export const IMPLICIT_LE: ElementSyntax = { explicitVR: false, littleEndian: true };

/** The undefined length 0xFFFFFFFF (PS3.5 7.1.2). */
export const UNDEFINED_LENGTH = 0xffffffff;

/** Item (FFFE,E000), Item Delimitation Item (FFFE,E00D), Sequence Delimitation Item (FFFE,E0DD) — PS3.5 7.5. */
export const ITEM = 0xfffee000;
export const ITEM_DELIMITER = 0xfffee00d;
export const SEQUENCE_DELIMITER = 0xfffee0dd;

/**
 * Encodes an element's tag, VR and length (PS3.5 7.1.2 explicit VR: 8 bytes, or 12 for the VRs
 * with a 32-bit length; PS3.5 7.1.3 implicit VR: 8 bytes), in the byte order of `syntax`.
 * Throws DicomError DICOM_INVALID_VALUE when a value is too long for a 16-bit length field, or
 * when an undefined length is asked for a VR that cannot have one (only SQ, UN and encapsulated
 * OB/OW may, PS3.5 7.1.2).
 *
 * @example
 * encodeElementHeader(tag(0x0010, 0x0010), 'PN', 8, EXPLICIT_LE); // 10 00 10 00 'P' 'N' 08 00
 */
export function encodeElementHeader(t: Tag, vr: VR, length: number, syntax: ElementSyntax): Uint8Array {
  const long = checkElementHeader(t, vr, length, syntax);
  const bytes = new Uint8Array(syntax.explicitVR && long ? 12 : 8);
  writeHeader(bytes, 0, t, vr, long, length, syntax);
  return bytes;
}

/**
 * Appends an element header to a PartList (same checks and bytes as `encodeElementHeader`) and
 * returns the position of its length field in the list's buffer, for a length patched once the
 * value is written: 32 bits when `headerHasLongLength` says so, else 16.
 *
 * @example
 * const at = putElementHeader(list, tag(0x0008, 0x1140), 'SQ', 0, EXPLICIT_LE); // then list.patch32(at, n, true)
 */
export function putElementHeader(list: PartList, t: Tag, vr: VR, length: number, syntax: ElementSyntax): number {
  const long = checkElementHeader(t, vr, length, syntax);
  const size = syntax.explicitVR && long ? 12 : 8;
  const at = list.reserve(size);
  writeHeader(list.buffer, at, t, vr, long, length, syntax);
  return at + size - (!syntax.explicitVR || long ? 4 : 2);
}

/**
 * True when the header of `vr` in `syntax` has a 32-bit length field (implicit VR always; explicit
 * VR for the VRs of PS3.5 Table 7.1-1 with reserved bytes).
 *
 * @example
 * headerHasLongLength('SQ', EXPLICIT_LE); // true
 */
export function headerHasLongLength(vr: VR, syntax: ElementSyntax): boolean {
  return !syntax.explicitVR || VR_INFO[vr].longLength;
}

/**
 * Appends an Item or delimiter header (see `encodeItemHeader`) and returns the position of its
 * 32-bit length field in the list's buffer.
 *
 * @example
 * const at = putItemHeader(list, ITEM, 0, true); // then list.patch32(at, itemLength, true)
 */
export function putItemHeader(list: PartList, t: Tag, length: number, littleEndian: boolean): number {
  const at = list.reserve(8);
  const bytes = list.buffer;
  put16(bytes, at, t >>> 16, littleEndian);
  put16(bytes, at + 2, t & 0xffff, littleEndian);
  put32(bytes, at + 4, length, littleEndian);
  return at + 4;
}

/** The checks of PS3.5 7.1.2 on a header; returns whether the VR has the long (32-bit) form. */
function checkElementHeader(t: Tag, vr: VR, length: number, syntax: ElementSyntax): boolean {
  const long = VR_INFO[vr].longLength;
  // In implicit VR the VR is not written, and any element of undefined length is read as a sequence.
  const mayBeUndefined = !syntax.explicitVR || vr === 'SQ' || vr === 'UN' || vr === 'OB' || vr === 'OW';
  if (length === UNDEFINED_LENGTH && !mayBeUndefined) {
    throw new DicomError('DICOM_INVALID_VALUE', `${formatTag(t)} ${vr} cannot have an undefined length`);
  }
  if (length > UNDEFINED_LENGTH || (length === UNDEFINED_LENGTH && syntax.explicitVR && !long)) {
    throw new DicomError('DICOM_INVALID_VALUE', `${formatTag(t)} value of ${length} bytes is too long`);
  }
  if (syntax.explicitVR && !long && length > 0xffff) {
    throw new DicomError(
      'DICOM_INVALID_VALUE',
      `${formatTag(t)} ${vr} value of ${length} bytes does not fit the 16-bit length of explicit VR (PS3.5 7.1.2)`,
    );
  }
  return long;
}

// Written byte by byte: a DataView per header costs more than the header itself on hot paths.
function writeHeader(
  bytes: Uint8Array,
  at: number,
  t: Tag,
  vr: VR,
  long: boolean,
  length: number,
  syntax: ElementSyntax,
): void {
  const le = syntax.littleEndian;
  put16(bytes, at, t >>> 16, le);
  put16(bytes, at + 2, t & 0xffff, le);
  if (!syntax.explicitVR) {
    put32(bytes, at + 4, length, le);
  } else {
    bytes[at + 4] = vr.charCodeAt(0);
    bytes[at + 5] = vr.charCodeAt(1);
    if (long) {
      bytes[at + 6] = 0;
      bytes[at + 7] = 0;
      put32(bytes, at + 8, length, le);
    } else put16(bytes, at + 6, length, le);
  }
}

/**
 * Encodes an Item, Item Delimitation Item or Sequence Delimitation Item header: the tag and a
 * 32-bit length, never a VR, in every transfer syntax (PS3.5 7.5).
 *
 * @example
 * encodeItemHeader(ITEM, UNDEFINED_LENGTH, true); // FE FF 00 E0 FF FF FF FF
 */
export function encodeItemHeader(t: Tag, length: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(8);
  put16(bytes, 0, t >>> 16, littleEndian);
  put16(bytes, 2, t & 0xffff, littleEndian);
  put32(bytes, 4, length, littleEndian);
  return bytes;
}

function put16(bytes: Uint8Array, at: number, n: number, le: boolean): void {
  bytes[at + (le ? 0 : 1)] = n & 0xff;
  bytes[at + (le ? 1 : 0)] = (n >>> 8) & 0xff;
}

function put32(bytes: Uint8Array, at: number, n: number, le: boolean): void {
  bytes[at + (le ? 0 : 3)] = n & 0xff;
  bytes[at + (le ? 1 : 2)] = (n >>> 8) & 0xff;
  bytes[at + (le ? 2 : 1)] = (n >>> 16) & 0xff;
  bytes[at + (le ? 3 : 0)] = (n >>> 24) & 0xff;
}
