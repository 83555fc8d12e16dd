/**
 * The File Meta Information of a written file (PS3.10 7.1): group 0002, explicit VR little endian,
 * with (0002,0000) counting the bytes after it.
 */
import type { DataSet, DicomFile } from './data-set.js';
import { implicitVR } from './dictionary.js';
import type { DataSetEdit, NewElement } from './edit.js';
import { EXPLICIT_LE, encodeElementHeader } from './encode-element-header.js';
import { ASCII_ENCODING } from './encode-text.js';
import { encodeValue } from './encode-value.js';
import { DicomError } from './errors.js';
import { PartList } from './part-list.js';
import type { Tag } from './tag.js';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntax.js';
import { isEmptyEdit, writeDataSet } from './write-data-set.js';

/** Courier's Implementation Class UID (PS3.7 D.3.3.2), a UUID-derived UID under 2.25 (PS3.5 B.2). */
export const COURIER_IMPLEMENTATION_CLASS_UID = '2.25.272837268693588183531837925931928495193';
/** Courier's Implementation Version Name (0002,0013), at most 16 characters. */
export const COURIER_IMPLEMENTATION_VERSION_NAME = 'COURIER_0_1';

const FILE_META_GROUP_LENGTH: Tag = 0x00020000;
const MEDIA_STORAGE_SOP_CLASS_UID: Tag = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID: Tag = 0x00020003;
const TRANSFER_SYNTAX_UID: Tag = 0x00020010;
const SOP_CLASS_UID: Tag = 0x00080016;
const SOP_INSTANCE_UID: Tag = 0x00080018;
const PREAMBLE_AND_PREFIX = 132;

/**
 * Writes the File Meta Information of a file that has one (PS3.10 7.1): always explicit VR little endian, with
 * (0002,0000) recomputed as the byte count of the elements after it. Every element is re-encoded
 * with an explicit VR header (its value bytes copied), which gives the original bytes for a
 * well-formed group and repairs one written in implicit VR.
 */
export function writeMeta(file: DicomFile, edit: DataSetEdit | undefined, metaEdit: DataSetEdit | undefined): PartList {
  checkMetaEdit(file, metaEdit);
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
  if (file.transferSyntax.deflated) follow(TRANSFER_SYNTAX_UID, EXPLICIT_VR_LITTLE_ENDIAN);
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
 * Refuses meta edits the writer cannot honour: sequences (group 0002 has none), and a Transfer
 * Syntax UID (0002,0010) other than the one the data set is written in — the writer keeps the
 * data set's encoding (PS3.10 7.1: (0002,0010) must describe it), it does not transcode.
 */
function checkMetaEdit(file: DicomFile, metaEdit: DataSetEdit | undefined): void {
  if (metaEdit?.items?.size) {
    throw new DicomError('DICOM_INVALID_EDIT', 'the File Meta Information has no sequences to edit');
  }
  if (metaEdit?.remove?.includes(TRANSFER_SYNTAX_UID)) {
    throw new DicomError('DICOM_INVALID_EDIT', '(0002,0010) Transfer Syntax UID cannot be removed');
  }
  const written = file.transferSyntax.deflated ? EXPLICIT_VR_LITTLE_ENDIAN : file.transferSyntax.uid;
  const value = metaEdit?.set?.find((el) => el.tag === TRANSFER_SYNTAX_UID)?.value;
  if (value !== undefined && (typeof value !== 'string' || value.replace(/[\0 ]+$/, '') !== written)) {
    throw new DicomError(
      'DICOM_INVALID_EDIT',
      `(0002,0010) can only be ${written}, the transfer syntax the data set is written in (the writer does not transcode)`,
    );
  }
}

/**
 * Builds File Meta Information for a raw data set that had none (PS3.10 7.1): version 00\01, SOP
 * Class and Instance UID from the data set (or from the edit that sets them), the transfer syntax
 * written (Explicit VR LE for a deflated input), Courier's implementation UID and version name;
 * `metaEdit` applies on top. Throws DICOM_INVALID_EDIT when the data set has no SOP UIDs.
 */
export function newFileMeta(
  file: DicomFile,
  edit: DataSetEdit | undefined,
  metaEdit: DataSetEdit | undefined,
): PartList {
  checkMetaEdit(file, metaEdit);
  const uidOf = (t: Tag, name: string): NewElement['value'] => {
    const edited = edit?.set?.find((el) => el.tag === t)?.value;
    if (edited !== undefined) return edited;
    const el = file.dataSet.elements.get(t);
    if (el === undefined) {
      throw new DicomError('DICOM_INVALID_EDIT', `cannot build File Meta Information: the data set has no ${name}`);
    }
    const text = String.fromCharCode(...file.source.subarray(el.offset, el.offset + el.length));
    return text.replace(/[\0 ]+$/, '');
  };
  const elements = new Map<Tag, NewElement>();
  const put = (t: Tag, vr: NewElement['vr'], value: NewElement['value']): void => {
    elements.set(t, { tag: t, vr, value });
  };
  put(0x00020001, 'OB', new Uint8Array([0x00, 0x01]));
  put(MEDIA_STORAGE_SOP_CLASS_UID, 'UI', uidOf(SOP_CLASS_UID, 'SOP Class UID (0008,0016)'));
  put(MEDIA_STORAGE_SOP_INSTANCE_UID, 'UI', uidOf(SOP_INSTANCE_UID, 'SOP Instance UID (0008,0018)'));
  put(TRANSFER_SYNTAX_UID, 'UI', file.transferSyntax.deflated ? EXPLICIT_VR_LITTLE_ENDIAN : file.transferSyntax.uid);
  put(0x00020012, 'UI', COURIER_IMPLEMENTATION_CLASS_UID);
  put(0x00020013, 'SH', COURIER_IMPLEMENTATION_VERSION_NAME);
  for (const t of metaEdit?.remove ?? []) elements.delete(t);
  for (const el of metaEdit?.set ?? []) elements.set(el.tag, el);
  return encodeFileMeta(elements.values(), file.source);
}
