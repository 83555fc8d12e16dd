/**
 * The File Meta Information of a written file (PS3.10 7.1): group 0002, explicit VR little endian,
 * with (0002,0000) counting the bytes after it.
 */
import type { DataSet, DicomFile } from './data-set.js';
import { implicitVR } from './dictionary.js';
import type { DataSetEdit, NewElement } from './edit.js';
import { EXPLICIT_LE, putElementHeader } from './encode-element-header.js';
import { ASCII_ENCODING } from './encode-text.js';
import { DicomError } from './errors.js';
import type { PartList } from './part-list.js';
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
export function writeMeta(
  list: PartList,
  file: DicomFile,
  edit: DataSetEdit | undefined,
  metaEdit: DataSetEdit | undefined,
): void {
  checkMetaEdit(file, metaEdit);
  const sopClass = setValueOf(edit, SOP_CLASS_UID);
  const sopInstance = setValueOf(edit, SOP_INSTANCE_UID);
  const sopEdited = sopClass !== undefined || sopInstance !== undefined;
  if (!file.transferSyntax.deflated) {
    const groupLength = file.meta.elements.get(FILE_META_GROUP_LENGTH);
    if (isEmptyEdit(metaEdit) && !sopEdited) {
      const end = wellFormedMetaEnd(file, false);
      if (groupLength !== undefined && end >= 0) {
        // Nothing changes: the group as one range of the source.
        list.range(groupLength.headerOffset, end - groupLength.headerOffset);
        return;
      }
    } else if (wellFormedMetaEnd(file, true) >= 0 && editMeta(list, file, metaEdit, sopClass, sopInstance)) return;
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
  follow(set, named, MEDIA_STORAGE_SOP_CLASS_UID, sopClass);
  follow(set, named, MEDIA_STORAGE_SOP_INSTANCE_UID, sopInstance);
  if (file.transferSyntax.deflated) follow(set, named, TRANSFER_SYNTAX_UID, EXPLICIT_VR_LITTLE_ENDIAN);
  encodeFileMeta(list, set.values(), file.source);
}

/** The value an edit sets at the top level for `t`, if any. */
function setValueOf(edit: DataSetEdit | undefined, t: Tag): NewElement['value'] | undefined {
  for (const el of edit?.set ?? []) if (el.tag === t) return el.value;
  return undefined;
}

/** A meta UID that follows the data set's (PS3.10 7.1), unless the meta edit names it itself. */
function follow(
  set: Map<Tag, NewElement>,
  named: ReadonlySet<Tag>,
  metaTag: Tag,
  value: NewElement['value'] | undefined,
): void {
  if (value !== undefined && !named.has(metaTag)) set.set(metaTag, { tag: metaTag, vr: 'UI', value });
}

/**
 * Where the meta group ends when it is already right (else -1), so it can be copied whole: explicit VR (no element read
 * as UN), and a (0002,0000) that counts exactly the bytes after it (PS3.10 7.1). `forEdit` (copied
 * element by element around an edit) also asks for (0002,0000) first and even value lengths
 * (PS3.5 7.1.1), so that the ranges equal what re-encoding would write. Otherwise the group is
 * re-encoded.
 */
function wellFormedMetaEnd(file: DicomFile, forEdit: boolean): number {
  const groupLength = file.meta.elements.get(FILE_META_GROUP_LENGTH);
  if (groupLength === undefined || groupLength.length !== 4) return -1;
  if (forEdit && groupLength.headerOffset !== file.meta.offset) return -1;
  let end = groupLength.offset + 4;
  for (const el of file.meta.elements.values()) {
    if (el.vr === 'UN' || el.undefinedLength || (forEdit && (el.length & 1) === 1)) return -1;
    end = Math.max(end, el.offset + el.length);
  }
  // Around an edit the elements are copied one by one: nothing may lie between them (a repeated tag).
  if (forEdit && end !== file.meta.offset + file.meta.length) return -1;
  const s = file.source;
  const at = groupLength.offset;
  const declared = ((s[at] ?? 0) | ((s[at + 1] ?? 0) << 8) | ((s[at + 2] ?? 0) << 16) | ((s[at + 3] ?? 0) << 24)) >>> 0;
  return declared === end - (at + 4) ? end : -1;
}

/**
 * A well-formed meta group with an edit: untouched elements stay ranges of the source, (0002,0000)
 * is recomputed by the data set writer (PS3.5 7.2), the SOP UIDs follow the data set's. The same
 * bytes as re-encoding every element. Returns false (nothing written) for the edits only the
 * re-encoding path takes as it always did: (0002,0000) named, or a tag both removed and set.
 */
function editMeta(
  list: PartList,
  file: DicomFile,
  metaEdit: DataSetEdit | undefined,
  sopClass: NewElement['value'] | undefined,
  sopInstance: NewElement['value'] | undefined,
): boolean {
  const remove = metaEdit?.remove ?? [];
  const set: NewElement[] = [...(metaEdit?.set ?? [])];
  const named = new Set<Tag>(remove);
  for (const el of set) {
    if (named.has(el.tag) || el.tag === FILE_META_GROUP_LENGTH) return false;
    named.add(el.tag);
  }
  if (named.has(FILE_META_GROUP_LENGTH)) return false;
  if (sopClass !== undefined && !named.has(MEDIA_STORAGE_SOP_CLASS_UID)) {
    set.push({ tag: MEDIA_STORAGE_SOP_CLASS_UID, vr: 'UI', value: sopClass });
  }
  if (sopInstance !== undefined && !named.has(MEDIA_STORAGE_SOP_INSTANCE_UID)) {
    set.push({ tag: MEDIA_STORAGE_SOP_INSTANCE_UID, vr: 'UI', value: sopInstance });
  }
  writeDataSet(
    list,
    file.meta,
    { remove, set },
    { source: file.source, syntax: EXPLICIT_LE, text: ASCII_ENCODING, path: 'File Meta Information ' },
  );
  return true;
}

/**
 * Encodes a File Meta Information group (PS3.10 7.1) from its elements in any order: explicit VR
 * little endian, (0002,0000) computed and written first. Values given as Uint8Array are taken as
 * they are (views of `source` stay views).
 */
export function encodeFileMeta(list: PartList, elements: Iterable<NewElement>, source: Uint8Array): void {
  const set: NewElement[] = [];
  for (const el of elements) if (el.tag !== FILE_META_GROUP_LENGTH) set.push(el);
  // (0002,0000) first, its value patched with the byte count of the elements after it.
  const valueAt = putElementHeader(list, FILE_META_GROUP_LENGTH, 'UL', 4, EXPLICIT_LE) + 2;
  list.reserve(4);
  const start = list.length;
  writeDataSet(
    list,
    EMPTY_DATA_SET,
    { set },
    { source, syntax: EXPLICIT_LE, text: ASCII_ENCODING, path: 'File Meta Information ' },
  );
  list.patch32(valueAt, list.length - start, true);
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
  list: PartList,
  file: DicomFile,
  edit: DataSetEdit | undefined,
  metaEdit: DataSetEdit | undefined,
): void {
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
  encodeFileMeta(list, elements.values(), file.source);
}
