/**
 * The DICOM File Format header of PS3.10 7.1: 128-byte preamble, "DICM", then the File Meta
 * Information (group 0002), always Explicit VR Little Endian. Lenient about what real files do:
 * "DICM" without preamble, a meta group without either, a wrong group length.
 */
import type { DataSet, DicomElement } from './data-set.js';
import type { ReadContext } from './read-context.js';
import { vrAt } from './read-data-set.js';
import { type Tag, tag } from './tag.js';
import { VR_INFO } from './value-representation.js';

/** What the header gave: the meta group, where the data set starts, and its transfer syntax UID. */
export interface Part10Header {
  readonly meta: DataSet;
  readonly hasPreamble: boolean;
  readonly dataSetOffset: number;
  /** (0002,0010) without padding; undefined when the meta group has none. */
  readonly transferSyntaxUID: string | undefined;
}

const FILE_META_GROUP_LENGTH = tag(0x0002, 0x0000);
const TRANSFER_SYNTAX_UID = tag(0x0002, 0x0010);
/** Bytes needed to tell what a file starts with: preamble, "DICM" and one element header. */
export const SNIFF_BYTES = 144;

function isDICM(bytes: Uint8Array, pos: number): boolean {
  return bytes[pos] === 0x44 && bytes[pos + 1] === 0x49 && bytes[pos + 2] === 0x43 && bytes[pos + 3] === 0x4d;
}

/** True when `pos` holds a (0002,xxxx) element header in Explicit VR Little Endian. */
function isMetaElementAt(bytes: Uint8Array, pos: number): boolean {
  return bytes[pos] === 0x02 && bytes[pos + 1] === 0x00 && vrAt(bytes, pos + 4) !== undefined;
}

/**
 * Reads the Part 10 header if there is one; undefined when the input starts with no "DICM"
 * prefix and no group 0002 element (a raw data set, PS3.10 does not apply).
 */
export function readPart10Header(ctx: ReadContext): Part10Header | undefined {
  const bytes = ctx.bytes;
  let start: number;
  let hasPreamble = false;
  if (ctx.available >= 132 && isDICM(bytes, 128)) {
    start = 132;
    hasPreamble = true;
  } else if (isDICM(bytes, 0)) {
    ctx.warn('DICOM_NO_PREAMBLE', '"DICM" at byte 0 without the 128-byte preamble', 0);
    start = 4;
  } else if (isMetaElementAt(bytes, 0)) {
    ctx.warn('DICOM_NO_PREAMBLE', 'File Meta Information at byte 0', 0);
    start = 0;
  } else {
    return undefined;
  }

  // Group 0002 has no sequences: a flat loop that ends at the first tag of another group.
  const elements = new Map<Tag, DicomElement>();
  let pos = start;
  while (pos + 4 <= ctx.fileEnd) {
    ctx.need(pos + 8, ctx.fileEnd, undefined);
    const t = ctx.tagAt(pos, true);
    if (t >>> 16 !== 0x0002) break;
    const vr = vrAt(bytes, pos + 4);
    let length: number;
    let offset: number;
    if (vr === undefined) {
      // Some writers encode the meta group in Implicit VR: tag, 32-bit length.
      length = ctx.u32(pos + 4, true);
      offset = pos + 8;
    } else if (VR_INFO[vr].longLength) {
      ctx.need(pos + 12, ctx.fileEnd, undefined, t);
      length = ctx.u32(pos + 8, true);
      offset = pos + 12;
    } else {
      length = ctx.u16(pos + 6, true);
      offset = pos + 8;
    }
    ctx.need(offset + length, ctx.fileEnd, undefined, t);
    ctx.countElement(pos);
    if (!elements.has(t)) {
      elements.set(t, { tag: t, vr: vr ?? 'UN', headerOffset: pos, offset, length, undefinedLength: false });
    }
    pos = offset + length;
  }

  const groupLength = elements.get(FILE_META_GROUP_LENGTH);
  if (groupLength && groupLength.length === 4) {
    const declared = ctx.u32(groupLength.offset, true);
    const found = pos - (groupLength.offset + 4);
    if (declared !== found) {
      ctx.warn(
        'DICOM_META_GROUP_LENGTH_WRONG',
        `(0002,0000) says ${declared}, the group holds ${found} bytes`,
        groupLength.offset,
      );
    }
  }
  const ts = elements.get(TRANSFER_SYNTAX_UID);
  const transferSyntaxUID = ts ? uidAt(bytes, ts.offset, ts.length) : undefined;
  return {
    meta: { elements, offset: start, length: pos - start, undefinedLength: false },
    hasPreamble,
    dataSetOffset: pos,
    transferSyntaxUID,
  };
}

/** A UI value: ASCII with trailing NUL or space padding removed (PS3.5 6.2, 9.1). */
function uidAt(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset + length;
  while (end > offset && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  let s = '';
  for (let i = offset; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s.trim();
}
