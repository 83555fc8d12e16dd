/**
 * The element loop of PS3.5 chapter 7: data elements with explicit or implicit VR (7.1.2, 7.1.3),
 * nested data sets in sequence items (7.5), and encapsulated Pixel Data fragments (A.4).
 * Values are not decoded: every element records where its value lies in the source.
 */
import type { ByteRange, DataSet, DicomElement } from './data-set.js';
import { implicitVR } from './dictionary.js';
import { DicomError } from './errors.js';
import {
  type Encoding,
  formatPath,
  IMPLICIT_LE,
  NeedMoreBytes,
  type PathNode,
  type ReadContext,
} from './read-context.js';
import { formatTag, type Tag } from './tag.js';
import { type VR, VR_INFO } from './value-representation.js';

/** (FFFE,E000) Item, (FFFE,E00D) Item Delimitation Item, (FFFE,E0DD) Sequence Delimitation Item (PS3.5 7.5). */
export const ITEM = 0xfffee000;
export const ITEM_DELIMITATION = 0xfffee00d;
export const SEQUENCE_DELIMITATION = 0xfffee0dd;
/** The undefined length of PS3.5 7.1.2. */
export const UNDEFINED_LENGTH = 0xffffffff;
/** (7FE0,0010) Pixel Data. */
export const PIXEL_DATA = 0x7fe00010;

/** The VRs of PS3.5 6.2, and by their two ASCII bytes (first << 8 | second) 1 + their index, 0 for none. */
const VRS = Object.keys(VR_INFO) as VR[];
const VR_INDEX_BY_CODE = new Uint8Array(0x10000);
/** By the same code: 1 when the explicit VR header has the 32-bit length form (PS3.5 Table 7.1-1). */
const LONG_BY_CODE = new Uint8Array(0x10000);
VRS.forEach((vr, i) => {
  const code = (vr.charCodeAt(0) << 8) | vr.charCodeAt(1);
  VR_INDEX_BY_CODE[code] = i + 1;
  LONG_BY_CODE[code] = VR_INFO[vr].longLength ? 1 : 0;
});

/** The VR whose two ASCII characters are at `pos`, or undefined when they name none. */
export function vrAt(bytes: Uint8Array, pos: number): VR | undefined {
  const index = VR_INDEX_BY_CODE[((bytes[pos] ?? 0) << 8) | (bytes[pos + 1] ?? 0)]!;
  return index === 0 ? undefined : VRS[index - 1];
}

/** What reading one data set produced. */
export interface DataSetResult {
  readonly dataSet: DataSet;
  /** Position after the data set (after its Item Delimitation Item when it had one). */
  readonly end: number;
  /** The top-level tag the loop stopped at (header-only reads), with its header offset. */
  readonly stoppedAt?: { readonly tag: Tag; readonly headerOffset: number };
  /** At the top level: the error that ended the loop early (the elements before it are kept). */
  readonly error?: DicomError;
}

/** Options of one loop: where it may stop. */
export interface LoopOptions {
  /** Stop (top level only) at the first tag >= this, before reading its header. */
  readonly stopTag: number;
}

/**
 * Reads the elements of one data set from `start`. With `delimited`, the data set is an item of
 * undefined length and ends at its Item Delimitation Item; otherwise it ends at `limit` (the end
 * of its item, or of the input for the top level).
 */
export function readDataSet(
  ctx: ReadContext,
  enc: Encoding,
  start: number,
  limit: number,
  delimited: boolean,
  depth: number,
  path: PathNode | undefined,
  loop?: LoopOptions,
): DataSetResult {
  const elements = new Map<Tag, DicomElement>();
  const little = enc.littleEndian;
  let pos = start;
  let lastTag = -1;
  let contentEnd = -1;
  let stoppedAt: DataSetResult['stoppedAt'];
  for (;;) {
    if (!delimited && pos >= limit) break;
    if (depth === 0 && !delimited && pos + 4 > ctx.fileEnd) {
      // A few stray bytes after the last element (odd padding written by some systems).
      ctx.warn('DICOM_TRAILING_BYTES', `${ctx.fileEnd - pos} bytes after the last element ignored`, pos);
      break;
    }
    ctx.need(pos + 4, limit, path);
    const t = ctx.tagAt(pos, little);
    if (t === ITEM_DELIMITATION) {
      ctx.need(pos + 8, limit, path, t);
      if (delimited) {
        contentEnd = pos;
        pos += 8;
        break;
      }
      ctx.warn('DICOM_STRAY_DELIMITER', `${formatTag(t)} outside an item of undefined length`, pos);
      pos += 8;
      continue;
    }
    if (t === SEQUENCE_DELIMITATION || t === ITEM) {
      ctx.need(pos + 8, limit, path, t);
      if (t === ITEM) {
        throw new DicomError(
          'DICOM_MALFORMED_SEQUENCE',
          `item ${formatTag(t)} outside a sequence in ${formatPath(path)}`,
          {
            offset: pos,
          },
        );
      }
      ctx.warn('DICOM_STRAY_DELIMITER', `${formatTag(t)} outside a sequence of undefined length`, pos);
      pos += 8;
      continue;
    }
    if (loop && t >= loop.stopTag) {
      stoppedAt = { tag: t, headerOffset: pos };
      break;
    }
    let el: DicomElement;
    try {
      el = readElement(ctx, enc, pos, limit, depth, path, t);
    } catch (e) {
      // At the top level keep what was read: the caller attaches it to the error (DicomError.partial).
      if (!loop || !(e instanceof DicomError) || e instanceof NeedMoreBytes) throw e;
      const dataSet: DataSet = { elements, offset: start, length: pos - start, undefinedLength: false };
      return { dataSet, end: pos, stoppedAt: { tag: t, headerOffset: pos }, error: e };
    }
    ctx.countElement(pos);
    if (t <= lastTag) {
      ctx.warn(
        t === lastTag ? 'DICOM_DUPLICATE_TAG' : 'DICOM_TAG_ORDER',
        `${formatPath(path, t)} after ${formatTag(lastTag)}`,
        pos,
      );
    }
    // Ascending tags (the rule, PS3.5 7.1) are new by construction; a repeated tag keeps its first element.
    if (t > lastTag || !elements.has(t)) elements.set(t, el);
    if (t > lastTag) lastTag = t;
    // After an undefined length comes the 8-byte delimiter the length stops at.
    pos = el.offset + el.length + (el.undefinedLength ? 8 : 0);
  }
  if (contentEnd < 0) contentEnd = pos;
  const dataSet: DataSet = { elements, offset: start, length: contentEnd - start, undefinedLength: delimited };
  return stoppedAt ? { dataSet, end: pos, stoppedAt } : { dataSet, end: pos };
}

/** Reads one element header (PS3.5 7.1.2 explicit, 7.1.3 implicit) and, for SQ, its items. */
function readElement(
  ctx: ReadContext,
  enc: Encoding,
  pos: number,
  limit: number,
  depth: number,
  path: PathNode | undefined,
  t: Tag,
): DicomElement {
  const little = enc.littleEndian;
  let vr: VR;
  let length: number;
  let offset: number;
  if (enc.explicitVR) {
    ctx.need(pos + 8, limit, path, t);
    const bytes = ctx.bytes;
    const code = (bytes[pos + 4]! << 8) | bytes[pos + 5]!;
    const index = VR_INDEX_BY_CODE[code]!;
    if (index === 0) {
      // Not a VR of PS3.5 6.2: like DCMTK, assume the 4-byte length form and keep the bytes as UN.
      ctx.need(pos + 12, limit, path, t);
      ctx.warn('DICOM_UNKNOWN_VR', `${formatPath(path, t)} has an unknown VR, read as UN`, pos);
      vr = 'UN';
      length = ctx.u32(pos + 8, little);
      offset = pos + 12;
    } else if (LONG_BY_CODE[code] === 1) {
      ctx.need(pos + 12, limit, path, t);
      vr = VRS[index - 1]!;
      length = ctx.u32(pos + 8, little);
      offset = pos + 12;
    } else {
      vr = VRS[index - 1]!;
      length = ctx.u16(pos + 6, little);
      offset = pos + 8;
    }
  } else {
    ctx.need(pos + 8, limit, path, t);
    vr = t === PIXEL_DATA ? 'OW' : implicitVR(t);
    length = ctx.u32(pos + 4, little);
    offset = pos + 8;
  }

  if (length === UNDEFINED_LENGTH) {
    if (vr === 'SQ' || vr === 'UN' || (!enc.explicitVR && t !== PIXEL_DATA)) {
      // PS3.5 6.2.2: UN of undefined length holds a sequence in Implicit VR Little Endian.
      const itemEnc = vr === 'UN' && enc.explicitVR ? IMPLICIT_LE : enc;
      const seq = readSequence(ctx, itemEnc, offset, limit, true, depth + 1, path, t);
      return {
        tag: t,
        vr,
        headerOffset: pos,
        offset,
        length: seq.contentEnd - offset,
        undefinedLength: true,
        items: seq.items,
      };
    }
    if (vr === 'OB' || vr === 'OW' || t === PIXEL_DATA) {
      const enc2 = readFragments(ctx, enc, offset, limit, path, t);
      return {
        tag: t,
        vr,
        headerOffset: pos,
        offset,
        length: enc2.contentEnd - offset,
        undefinedLength: true,
        fragments: enc2.fragments,
      };
    }
    throw new DicomError('DICOM_INVALID_LENGTH', `${formatPath(path, t)} (VR ${vr}) has undefined length`, {
      offset: pos,
    });
  }

  const end = offset + length;
  ctx.need(end, limit, path, t);
  if ((length & 1) === 1) ctx.warn('DICOM_ODD_LENGTH', `${formatPath(path, t)} has length ${length}`, pos);
  if (vr === 'SQ') {
    const seq = readSequence(ctx, enc, offset, end, false, depth + 1, path, t);
    return { tag: t, vr, headerOffset: pos, offset, length, undefinedLength: false, items: seq.items };
  }
  return { tag: t, vr, headerOffset: pos, offset, length, undefinedLength: false };
}

interface SequenceResult {
  readonly items: DataSet[];
  /** Position of the Sequence Delimitation Item, or the end for a defined length. */
  readonly contentEnd: number;
  readonly end: number;
}

/**
 * Reads the items of a sequence (PS3.5 7.5.1): each (FFFE,E000) with a defined length or ending
 * at its Item Delimitation Item; an undefined-length sequence ends at (FFFE,E0DD).
 */
function readSequence(
  ctx: ReadContext,
  enc: Encoding,
  start: number,
  limit: number,
  delimited: boolean,
  depth: number,
  parentPath: PathNode | undefined,
  t: Tag,
): SequenceResult {
  if (depth > ctx.maxDepth) {
    throw new DicomError(
      'DICOM_NESTING_TOO_DEEP',
      `${formatPath(parentPath, t)} nests sequences deeper than ${ctx.maxDepth} levels`,
      { offset: start },
    );
  }
  const little = enc.littleEndian;
  const items: DataSet[] = [];
  let pos = start;
  for (;;) {
    if (!delimited && pos >= limit) return { items, contentEnd: limit, end: limit };
    const path: PathNode = { parent: parentPath, tag: t, item: items.length };
    ctx.need(pos + 8, limit, path);
    const itemTag = ctx.tagAt(pos, little);
    const itemLength = ctx.u32(pos + 4, little);
    if (itemTag === SEQUENCE_DELIMITATION) {
      if (delimited) return { items, contentEnd: pos, end: pos + 8 };
      ctx.warn(
        'DICOM_STRAY_DELIMITER',
        `${formatTag(itemTag)} inside ${formatPath(parentPath, t)} of defined length`,
        pos,
      );
      return { items, contentEnd: pos, end: limit };
    }
    if (itemTag !== ITEM) {
      throw new DicomError(
        'DICOM_MALFORMED_SEQUENCE',
        `expected an item (FFFE,E000) at byte ${pos} in ${formatPath(parentPath, t)}, found ${formatTag(itemTag)}`,
        { offset: pos },
      );
    }
    ctx.countElement(pos);
    if (itemLength === UNDEFINED_LENGTH) {
      const item = readDataSet(ctx, enc, pos + 8, limit, true, depth, path);
      items.push(item.dataSet);
      pos = item.end;
    } else {
      const itemEnd = pos + 8 + itemLength;
      ctx.need(itemEnd, limit, path);
      const item = readDataSet(ctx, enc, pos + 8, itemEnd, false, depth, path);
      items.push(item.dataSet);
      pos = itemEnd;
    }
  }
}

/** Reads encapsulated Pixel Data (PS3.5 A.4): Basic Offset Table item, then one item per fragment. */
function readFragments(
  ctx: ReadContext,
  enc: Encoding,
  start: number,
  limit: number,
  path: PathNode | undefined,
  t: Tag,
): { fragments: ByteRange[]; contentEnd: number; end: number } {
  const little = enc.littleEndian;
  const fragments: ByteRange[] = [];
  let pos = start;
  for (;;) {
    ctx.need(pos + 8, limit, path, t);
    const itemTag = ctx.tagAt(pos, little);
    const itemLength = ctx.u32(pos + 4, little);
    if (itemTag === SEQUENCE_DELIMITATION) return { fragments, contentEnd: pos, end: pos + 8 };
    if (itemTag !== ITEM || itemLength === UNDEFINED_LENGTH) {
      throw new DicomError(
        'DICOM_MALFORMED_SEQUENCE',
        `expected a fragment item of defined length at byte ${pos} in ${formatPath(path, t)}, found ${formatTag(itemTag)}`,
        { offset: pos },
      );
    }
    ctx.countElement(pos);
    ctx.need(pos + 8 + itemLength, limit, path, t);
    fragments.push({ offset: pos + 8, length: itemLength });
    pos += 8 + itemLength;
  }
}
