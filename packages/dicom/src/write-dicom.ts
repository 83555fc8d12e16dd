import type { ByteRange, DataSet, DicomFile } from './data-set.js';
import { implicitVR } from './dictionary.js';
import type { DataSetEdit, NewElement, OutputPart } from './edit.js';
import { EXPLICIT_LE, encodeElementHeader } from './encode-element-header.js';
import { ASCII_ENCODING } from './encode-text.js';
import { encodeValue } from './encode-value.js';
import { DicomError } from './errors.js';
import { finishParts, PartList } from './part-list.js';
import type { Tag } from './tag.js';
import { isEmptyEdit, writeDataSet } from './write-data-set.js';

/** Explicit VR Little Endian (PS3.5 A.2): what a Deflated input is written as. */
const EXPLICIT_VR_LITTLE_ENDIAN_UID = '1.2.840.10008.1.2.1';
const FILE_META_GROUP_LENGTH: Tag = 0x00020000;
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID: Tag = 0x00020003;
const TRANSFER_SYNTAX_UID: Tag = 0x00020010;
const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;
const PREAMBLE_AND_PREFIX = 132;

/**
 * Options of `writeDicom`.
 *
 * @example
 * writeDicom(file, edit, { metaEdit: { set: [{ tag: tag(0x0002, 0x0013), vr: 'SH', value: 'COURIER_1' }] } });
 */
export interface WriteOptions {
  /**
   * Edit of the File Meta Information (group 0002). The writer already: recomputes (0002,0000);
   * copies a new SOP Class / Instance UID set at the top level of `edit` into (0002,0002) /
   * (0002,0003) unless `metaEdit` names those tags itself (PS3.10 7.1: they must agree); and, for
   * a Deflated input, sets (0002,0010) to Explicit VR Little Endian.
   */
  readonly metaEdit?: DataSetEdit;
  /**
   * Size of the whole file, for a header-only read (`file.complete` false): the bytes from where
   * reading stopped to `fileSize` become one range. Defaults to `file.fileSize`, then to
   * `file.source.length` (right when `source` is the whole file).
   */
  readonly fileSize?: number;
  /** Untouched runs shorter than this many bytes are copied into new bytes instead of referenced. Default 256. */
  readonly copyBelow?: number;
}

/**
 * Writes `file` again with `edit` applied, as a list of parts: new bytes (`Uint8Array`) and
 * ranges (`{ offset, length }`) of the file the caller read. Concatenated in order they are the
 * new Part 10 file (PS3.10 7.1: preamble, "DICM", File Meta Information, data set).
 *
 * - Same transfer syntax as the input, except Deflated (PS3.5 A.5), written as Explicit VR
 *   Little Endian with (0002,0010) changed to match.
 * - Untouched elements are ranges of the source; adjacent ones merge into one range; runs shorter
 *   than `copyBelow` (256) bytes are copied. Pixel Data (incl. encapsulated fragments) is always
 *   a range: its bytes never pass through here. A header-only read's unread tail (from
 *   `file.stoppedAt.headerOffset` to the file size) is one range.
 * - Ranges always refer to the caller's file. When `file.sourceIsFile` is false (Deflated input:
 *   `file.source` is the inflated buffer, not the file) no range is returned: the untouched parts
 *   are `Uint8Array` views of `file.source` (shared memory, not copies).
 * - Edits may remove, replace or insert elements at any depth (`edit.items`), including new
 *   sequences. Sequences and items on the path of an edit are re-written with their length form
 *   kept (undefined stays undefined, a defined length is recomputed, PS3.5 7.5); new sequences
 *   and items get defined lengths. Group lengths of edited groups are recomputed (PS3.5 7.2).
 * - New text is encoded with the data set's Specific Character Set (see `textEncodingFor`);
 *   changing (0008,0005) does not re-encode existing values.
 * - A file without File Meta Information is written without one (a raw data set stays raw).
 *
 * Throws DicomError DICOM_INVALID_EDIT (edit does not fit the data set, e.g. an item index out
 * of range or a tag past a header-only read) or DICOM_INVALID_VALUE (a value does not fit its VR).
 *
 * In a browser, turn the parts into a file without reading the pixel bytes:
 * `new Blob(parts.map(p => p instanceof Uint8Array ? p : blob.slice(p.offset, p.offset + p.length)))`.
 *
 * @example
 * const file = readDicom(bytes, { headerOnly: true });
 * const parts = writeDicom(file, { set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'PSEUDO^001' }] });
 * const out = concatParts(parts, bytes); // Node/tests; the browser uses Blob slices instead
 */
export function writeDicom(file: DicomFile, edit?: DataSetEdit, options: WriteOptions = {}): OutputPart[] {
  const list = new PartList();
  const { source } = file;
  if (file.meta.elements.size > 0) {
    const sourceHasPrefix =
      file.hasPreamble &&
      source.length >= PREAMBLE_AND_PREFIX &&
      String.fromCharCode(...source.subarray(128, PREAMBLE_AND_PREFIX)) === 'DICM';
    if (sourceHasPrefix) list.range(0, PREAMBLE_AND_PREFIX);
    else list.bytes(emptyPreambleAndPrefix());
    list.append(writeMeta(file, edit, options.metaEdit));
  } else if (!isEmptyEdit(options.metaEdit)) {
    throw new DicomError('DICOM_INVALID_EDIT', 'metaEdit given but the input has no File Meta Information');
  }

  const syntax = { explicitVR: file.transferSyntax.explicitVR, littleEndian: file.transferSyntax.littleEndian };
  list.append(
    writeDataSet(file.dataSet, edit, {
      source,
      syntax,
      text: ASCII_ENCODING,
      path: '',
      forbidMetaGroup: file.meta.elements.size > 0,
      ...(file.complete || file.stoppedAt === undefined ? {} : { unreadFrom: file.stoppedAt.tag }),
    }),
  );

  if (!file.complete && file.stoppedAt !== undefined) {
    const fileSize = options.fileSize ?? file.fileSize ?? source.length;
    const from = file.stoppedAt.headerOffset;
    if (fileSize < from) {
      throw new DicomError('DICOM_INVALID_EDIT', `fileSize ${fileSize} is before the unread tail at byte ${from}`);
    }
    list.range(from, fileSize - from, true);
  }
  return finishParts(list, source, { copyBelow: options.copyBelow ?? 256, rangesAllowed: file.sourceIsFile });
}

/**
 * Writes the File Meta Information (PS3.10 7.1): always explicit VR little endian, with
 * (0002,0000) recomputed as the byte count of the elements after it. Every element is re-encoded
 * with an explicit VR header (its value bytes copied), which gives the original bytes for a
 * well-formed group and repairs one written in implicit VR.
 */
function writeMeta(file: DicomFile, edit: DataSetEdit | undefined, metaEdit: DataSetEdit | undefined): PartList {
  if (metaEdit?.items?.size) {
    throw new DicomError('DICOM_INVALID_EDIT', 'the File Meta Information has no sequences to edit');
  }
  const sopEdited = edit?.set?.some((el) => el.tag === SOP_CLASS_UID || el.tag === SOP_INSTANCE_UID) ?? false;
  if (isEmptyEdit(metaEdit) && !sopEdited && !file.transferSyntax.deflated) {
    const asIs = wellFormedMeta(file);
    if (asIs !== undefined) return asIs;
  }
  const set = new Map<Tag, NewElement>();
  for (const el of [...file.meta.elements.values()].sort((a, b) => a.tag - b.tag)) {
    if (el.tag === FILE_META_GROUP_LENGTH) continue;
    const vr = el.vr === 'UN' ? implicitVR(el.tag) : el.vr;
    set.set(el.tag, { tag: el.tag, vr, value: file.source.subarray(el.offset, el.offset + el.length) });
  }
  const named = new Set<Tag>();
  for (const t of metaEdit?.remove ?? []) {
    set.delete(t);
    named.add(t);
  }
  for (const el of metaEdit?.set ?? []) {
    set.set(el.tag, el);
    named.add(el.tag);
  }
  const follow = (metaTag: Tag, value: NewElement['value'] | undefined): void => {
    if (value !== undefined && !named.has(metaTag)) set.set(metaTag, { tag: metaTag, vr: 'UI', value });
  };
  follow(MEDIA_STORAGE_SOP_CLASS_UID, edit?.set?.find((el) => el.tag === SOP_CLASS_UID)?.value);
  follow(MEDIA_STORAGE_SOP_INSTANCE_UID, edit?.set?.find((el) => el.tag === SOP_INSTANCE_UID)?.value);
  if (file.transferSyntax.deflated) follow(TRANSFER_SYNTAX_UID, EXPLICIT_VR_LITTLE_ENDIAN_UID);
  return encodeFileMeta(set.values(), file.source);
}

/**
 * The meta group as one range of the source when nothing changes and it is already right: explicit
 * VR (no element read as UN), and a (0002,0000) that counts exactly the bytes after it. Otherwise
 * undefined, and the group is re-encoded.
 */
function wellFormedMeta(file: DicomFile): PartList | undefined {
  const groupLength = file.meta.elements.get(FILE_META_GROUP_LENGTH);
  if (groupLength === undefined || groupLength.length !== 4) return undefined;
  let end = groupLength.offset + 4;
  for (const el of file.meta.elements.values()) {
    if (el.vr === 'UN' || el.undefinedLength) return undefined;
    end = Math.max(end, el.offset + el.length);
  }
  const s = file.source;
  const at = groupLength.offset;
  const declared = ((s[at] ?? 0) | ((s[at + 1] ?? 0) << 8) | ((s[at + 2] ?? 0) << 16) | ((s[at + 3] ?? 0) << 24)) >>> 0;
  if (declared !== end - (at + 4)) return undefined;
  const list = new PartList();
  list.range(groupLength.headerOffset, end - groupLength.headerOffset);
  return list;
}

/**
 * Encodes a File Meta Information group (PS3.10 7.1) from its elements in any order: explicit VR
 * little endian, (0002,0000) computed and written first. Values given as Uint8Array are taken as
 * they are (views of `source` stay views).
 */
export function encodeFileMeta(elements: Iterable<NewElement>, source: Uint8Array): PartList {
  const set = [...elements].filter((el) => el.tag !== FILE_META_GROUP_LENGTH);
  const body = writeDataSet(
    EMPTY_DATA_SET,
    { set },
    { source, syntax: EXPLICIT_LE, text: ASCII_ENCODING, path: 'File Meta Information ' },
  );
  const list = new PartList();
  list.bytes(encodeElementHeader(FILE_META_GROUP_LENGTH, 'UL', 4, EXPLICIT_LE));
  list.bytes(encodeValue('UL', [body.length], EXPLICIT_LE));
  list.append(body);
  return list;
}

const EMPTY_DATA_SET: DataSet = { elements: new Map(), offset: 0, length: 0, undefinedLength: false };

/** A zero 128-byte preamble and "DICM" (PS3.10 7.1). */
export function emptyPreambleAndPrefix(): Uint8Array {
  const bytes = new Uint8Array(PREAMBLE_AND_PREFIX);
  bytes.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return bytes;
}

/**
 * Concatenates output parts into one array, reading ranges from `source` (the whole file the
 * parts refer to). For Node and tests; in a browser build a Blob from file slices instead
 * (see `writeDicom`). Throws DICOM_TRUNCATED when a range lies past the end of `source`, which
 * happens when `source` is only the header prefix of a header-only read.
 *
 * @example
 * const bytes = concatParts(writeDicom(file), fileBytes);
 */
export function concatParts(parts: readonly OutputPart[], source: Uint8Array): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      out.set(part, at);
    } else {
      if (part.offset + part.length > source.length) {
        throw new DicomError(
          'DICOM_TRUNCATED',
          `part [${part.offset}, ${part.offset + part.length}) lies past the end of the ${source.length}-byte source`,
          { offset: source.length },
        );
      }
      out.set(source.subarray(part.offset, part.offset + part.length), at);
    }
    at += part.length;
  }
  return out;
}

/**
 * Total byte length of output parts (the size of the written file).
 *
 * @example
 * partsLength(writeDicom(file)); // e.g. 524_872
 */
export function partsLength(parts: readonly OutputPart[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/**
 * True when a part is a range of the source file rather than new bytes.
 *
 * @example
 * const referenced = parts.filter(isByteRange).reduce((n, p) => n + p.length, 0);
 */
export function isByteRange(part: OutputPart): part is ByteRange {
  return !(part instanceof Uint8Array);
}
