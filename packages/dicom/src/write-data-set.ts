import type { DataSet, DicomElement } from './data-set.js';
import type { DataSetEdit, NewElement } from './edit.js';
import {
  type ElementSyntax,
  headerHasLongLength,
  IMPLICIT_LE,
  ITEM,
  ITEM_DELIMITER,
  putElementHeader,
  putItemHeader,
  SEQUENCE_DELIMITER,
  UNDEFINED_LENGTH,
} from './encode-element-header.js';
import { type TextEncoding, textEncodingFor } from './encode-text.js';
import { encodeValue, type PlainValue } from './encode-value.js';
import { DICOM_ERROR_CODES, DicomError } from './errors.js';
import type { PartList } from './part-list.js';
import { formatTag, isGroupLengthTag, type Tag } from './tag.js';
import { VR_INFO } from './value-representation.js';

const SPECIFIC_CHARACTER_SET = 0x00080005;

/**
 * Where an item lies, for error messages only: formatted as "(0008,1140)[0] > " when an error needs
 * it, so the hot path builds no strings.
 */
export class WritePath {
  constructor(
    readonly parent: WritePath | string,
    readonly tag: Tag,
    readonly item: number,
  ) {}

  toString(): string {
    return `${String(this.parent)}${formatTag(this.tag)}[${this.item}] > `;
  }
}

/** Where the writer is: the source, the encoding of this level and, at the top, the unread tail. */
export interface WriteScope {
  readonly source: Uint8Array;
  readonly syntax: ElementSyntax;
  /** Text encoding inherited from the enclosing data set (PS3.5 7.5.3: an item may override it). */
  readonly text: TextEncoding;
  /** "" or "File Meta Information " at the top, a WritePath inside items; for error messages. */
  readonly path: string | WritePath;
  /** Top level of a header-only read: elements from this tag on were not parsed (PS3.10 7.1 header-only). */
  readonly unreadFrom?: Tag;
  /** Top level of a Part 10 file: group 0002 belongs to the File Meta Information, not here. */
  readonly forbidMetaGroup?: boolean;
}

const EMPTY_DATA_SET: DataSet = { elements: new Map(), offset: 0, length: 0, undefinedLength: false };
const NO_ELEMENTS: readonly DicomElement[] = [];

/** True when the edit changes nothing. */
export function isEmptyEdit(edit: DataSetEdit | undefined): boolean {
  return edit === undefined || (!edit.remove?.length && !edit.set?.length && !edit.items?.size);
}

/** The end of an element in the source: value end, plus the Sequence Delimitation Item when its length was undefined. */
export function elementEnd(el: DicomElement): number {
  return el.offset + el.length + (el.undefinedLength ? 8 : 0);
}

/** Pixel Data (7FE0,0010), Float (7FE0,0008) and Double Float Pixel Data (7FE0,0009): always referenced, never copied. */
function isPixelDataTag(t: Tag): boolean {
  return t === 0x7fe00010 || t === 0x7fe00008 || t === 0x7fe00009;
}

/**
 * Writes a data set with an edit applied into `list` (an empty edit copies every element as a
 * range of the source). Rules, all PS3.5:
 * - elements come out in ascending tag order (7.1), untouched ones as ranges of the source;
 * - a group length (gggg,0000) of a group the edit touches is recomputed (7.2; retired outside
 *   group 0002 but kept when present so old readers still agree); if the group runs into an
 *   unread tail its length is unknown and the element is dropped, which 7.2 allows;
 * - a sequence with edited items keeps the length form it had: an undefined length stays
 *   undefined (with its delimiter), a defined length is recomputed (7.5.1); same for each item;
 * - new sequences and their items get defined lengths.
 * Lengths that depend on what follows are written as placeholders and patched (PartList).
 */
export function writeDataSet(list: PartList, ds: DataSet, edit: DataSetEdit | undefined, scope: WriteScope): void {
  if (edit === undefined || isEmptyEdit(edit)) {
    for (const el of ds.elements.values()) writeUntouched(list, el);
    return;
  }
  const plan = planEdit(ds, edit, scope);
  const text = textFor(ds, plan, scope);
  const inner: WriteScope = text === scope.text ? scope : { ...scope, text };
  const existing = sortedElements(ds);
  const newTags = plan.newTags;
  const le = scope.syntax.littleEndian;
  // A merge of the existing elements (minus removed) and the new ones, in ascending tag order. A
  // group length (gggg,0000) of a touched group is written as a placeholder and patched with the
  // byte count of the rest of its group when the group ends (PS3.5 7.2).
  let group = -1;
  let groupLengthAt = -1;
  let groupStart = 0;
  let e = 0;
  let n = 0;
  while (e < existing.length || n < newTags.length) {
    const el = existing[e];
    const newTag = newTags[n];
    const t = newTag !== undefined && (el === undefined || newTag < el.tag) ? newTag : el!.tag;
    if (t >>> 16 !== group) {
      if (groupLengthAt >= 0) list.patch32(groupLengthAt, list.length - groupStart, le);
      groupLengthAt = -1;
      group = t >>> 16;
    }
    if (newTag === t) {
      n++;
      writeNew(list, plan.set.get(t)!, inner);
      continue;
    }
    e++;
    const element = el!;
    if (plan.removed.has(t)) continue;
    const replacement = plan.set.get(t);
    if (replacement !== undefined) writeNew(list, replacement, inner);
    else if ((t & 0xffff) === 0) {
      if (!plan.touchedGroups.has(group)) writeUntouched(list, element);
      else if (scope.unreadFrom === undefined || scope.unreadFrom >>> 16 !== group) {
        groupLengthAt = putElementHeader(list, t, 'UL', 4, scope.syntax) + (scope.syntax.explicitVR ? 2 : 4);
        list.reserve(4);
        groupStart = list.length;
      }
    } else {
      const itemEdits = plan.items.get(t);
      if (itemEdits !== undefined) writeEditedSequence(list, element, itemEdits, inner);
      else writeUntouched(list, element);
    }
  }
  if (groupLengthAt >= 0) list.patch32(groupLengthAt, list.length - groupStart, le);
}

/** The elements in ascending tag order: as read (the reader keeps stream order) unless the stream was out of order. */
function sortedElements(ds: DataSet): readonly DicomElement[] {
  if (ds.elements.size === 0) return NO_ELEMENTS;
  const all = Array.from(ds.elements.values());
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.tag < all[i - 1]!.tag) return all.sort((a, b) => a.tag - b.tag);
  }
  return all;
}

interface EditPlan {
  readonly removed: ReadonlySet<Tag>;
  readonly set: ReadonlyMap<Tag, NewElement>;
  /** Tags set by the edit that the data set does not have, ascending. */
  readonly newTags: readonly Tag[];
  readonly items: ReadonlyMap<Tag, ReadonlyMap<number, DataSetEdit>>;
  readonly touchedGroups: ReadonlySet<number>;
}

const NO_ITEM_EDITS: ReadonlyMap<Tag, ReadonlyMap<number, DataSetEdit>> = new Map();

function editError(scope: WriteScope, t: Tag, reason: string): DicomError {
  return new DicomError('DICOM_INVALID_EDIT', `${String(scope.path)}${formatTag(t)}: ${reason}`);
}

function checkReadable(scope: WriteScope, t: Tag): void {
  if (scope.unreadFrom !== undefined && t >= scope.unreadFrom) {
    throw editError(
      scope,
      t,
      `lies at or after ${formatTag(scope.unreadFrom)}, where the header-only read stopped; ` +
        'read the whole file to edit it',
    );
  }
  if (scope.forbidMetaGroup === true && t >>> 16 === 0x0002) {
    throw editError(scope, t, 'File Meta Information elements are edited with the metaEdit option');
  }
}

/** Checks an edit against the data set and indexes it; every conflict is a DICOM_INVALID_EDIT. */
function planEdit(ds: DataSet, edit: DataSetEdit, scope: WriteScope): EditPlan {
  const removed = new Set<Tag>();
  const touchedGroups = new Set<number>();
  for (const t of edit.remove ?? []) {
    checkReadable(scope, t);
    removed.add(t);
    if (ds.elements.has(t)) touchedGroups.add(t >>> 16);
  }
  const set = new Map<Tag, NewElement>();
  const newTags: Tag[] = [];
  let sorted = true;
  for (const el of edit.set ?? []) {
    const t = el.tag;
    checkReadable(scope, t);
    if (isGroupLengthTag(t)) throw editError(scope, t, 'group lengths are computed by the writer');
    if (set.has(t)) throw editError(scope, t, 'set twice in one edit');
    if (removed.has(t)) throw editError(scope, t, 'both removed and set');
    set.set(t, el);
    touchedGroups.add(t >>> 16);
    if (!ds.elements.has(t)) {
      if (newTags.length > 0 && t < newTags[newTags.length - 1]!) sorted = false;
      newTags.push(t);
    }
  }
  if (!sorted) newTags.sort((a, b) => a - b);
  const items = edit.items ?? NO_ITEM_EDITS;
  for (const [t, byIndex] of items) {
    checkReadable(scope, t);
    if (removed.has(t) || set.has(t))
      throw editError(scope, t, 'items edited in a sequence that is also removed or set');
    const items = ds.elements.get(t)?.items;
    if (items === undefined) throw editError(scope, t, 'items edited but the data set has no such sequence');
    for (const index of byIndex.keys()) {
      if (!Number.isInteger(index) || index < 0 || index >= items.length) {
        throw editError(scope, t, `item ${index} edited but the sequence has ${items.length} item(s)`);
      }
    }
    touchedGroups.add(t >>> 16);
  }
  return { removed, set, newTags, items, touchedGroups };
}

/** Text encodings by Specific Character Set value as written: a series repeats the same one. */
const encodingsByValue = new Map<string, TextEncoding>();

/** The text encoding of this data set: its own (possibly edited) Specific Character Set, else inherited. */
function textFor(ds: DataSet, plan: EditPlan, scope: WriteScope): TextEncoding {
  const edited = plan.set.get(SPECIFIC_CHARACTER_SET);
  if (edited !== undefined) {
    const v = edited.value;
    if (typeof v === 'string') return textEncodingFor(v.split('\\'));
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return textEncodingFor(v);
    return scope.text;
  }
  const el = ds.elements.get(SPECIFIC_CHARACTER_SET);
  if (el === undefined || plan.removed.has(SPECIFIC_CHARACTER_SET)) return scope.text;
  const source = scope.source;
  let raw = '';
  for (let i = el.offset; i < el.offset + el.length; i++) raw += String.fromCharCode(source[i]!);
  let known = encodingsByValue.get(raw);
  if (known === undefined) {
    known = textEncodingFor(raw.split('\\'));
    if (encodingsByValue.size < 64) encodingsByValue.set(raw, known);
  }
  return known;
}

function writeUntouched(list: PartList, el: DicomElement): void {
  list.range(el.headerOffset, elementEnd(el) - el.headerOffset, isPixelDataTag(el.tag));
}

/** Writes a new element; a sequence value becomes items of defined length (PS3.5 7.5.1). */
function writeNew(list: PartList, el: NewElement, scope: WriteScope): void {
  const value = el.value;
  if (value instanceof Uint8Array && el.vr !== 'SQ') {
    // Raw bytes (pre-encoded text, remapped UIDs, meta values): copied once, padded to even length (PS3.5 7.1.1).
    const odd = value.length & 1;
    try {
      putElementHeader(list, el.tag, el.vr, value.length + odd, scope.syntax);
    } catch (e) {
      throw e instanceof DicomError ? rethrowAt(`${String(scope.path)}${formatTag(el.tag)}`, e) : e;
    }
    list.bytes(value);
    if (odd === 1) list.u8(VR_INFO[el.vr].padding);
    return;
  }
  if (el.vr === 'SQ' || (el.vr === 'UN' && isItemList(value))) {
    if (!isItemList(value)) {
      throw new DicomError(
        'DICOM_INVALID_VALUE',
        `${String(scope.path)}${formatTag(el.tag)}: a sequence value is a list of items (element lists)`,
      );
    }
    // Items are data sets of their own: no unread tail, no meta group rule (those are top-level only).
    const syntax = el.vr === 'UN' ? IMPLICIT_LE : scope.syntax;
    const le = syntax.littleEndian;
    const lengthAt = putElementHeader(list, el.tag, el.vr, 0, scope.syntax);
    const start = list.length;
    value.forEach((elements, i) => {
      const itemLengthAt = putItemHeader(list, ITEM, 0, le);
      const itemStart = list.length;
      const itemPath = new WritePath(scope.path, el.tag, i);
      writeDataSet(
        list,
        EMPTY_DATA_SET,
        { set: elements },
        { source: scope.source, syntax, text: scope.text, path: itemPath },
      );
      list.patch32(itemLengthAt, list.length - itemStart, le);
    });
    patchLength(list, lengthAt, list.length - start, el.vr, scope.syntax);
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = encodeValue(el.vr, value as PlainValue, { littleEndian: scope.syntax.littleEndian, text: scope.text });
    putElementHeader(list, el.tag, el.vr, bytes.length, scope.syntax);
  } catch (e) {
    throw e instanceof DicomError ? rethrowAt(`${String(scope.path)}${formatTag(el.tag)}`, e) : e;
  }
  list.bytes(bytes);
}

function isItemList(value: NewElement['value']): value is readonly (readonly NewElement[])[] {
  return Array.isArray(value) && value.every((item) => Array.isArray(item));
}

/** Re-writes a sequence whose items are edited, keeping each length form (defined/undefined) as it was. */
function writeEditedSequence(
  list: PartList,
  el: DicomElement,
  edits: ReadonlyMap<number, DataSetEdit>,
  scope: WriteScope,
): void {
  // PS3.5 6.2.2: a UN element of undefined length holds items encoded as implicit VR little endian.
  const itemSyntax = el.vr === 'UN' ? IMPLICIT_LE : scope.syntax;
  const le = itemSyntax.littleEndian;
  const lengthAt = putElementHeader(list, el.tag, el.vr, el.undefinedLength ? UNDEFINED_LENGTH : 0, scope.syntax);
  const start = list.length;
  const items = el.items ?? [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const edit = edits.get(i);
    const itemEnd = item.offset + item.length + (item.undefinedLength ? 8 : 0);
    if (isEmptyEdit(edit)) {
      list.range(item.offset - 8, itemEnd - (item.offset - 8));
      continue;
    }
    const itemScope: WriteScope = {
      source: scope.source,
      syntax: itemSyntax,
      text: scope.text,
      path: new WritePath(scope.path, el.tag, i),
    };
    const itemLengthAt = putItemHeader(list, ITEM, item.undefinedLength ? UNDEFINED_LENGTH : 0, le);
    const itemStart = list.length;
    writeDataSet(list, item, edit, itemScope);
    if (item.undefinedLength) putItemHeader(list, ITEM_DELIMITER, 0, le);
    else list.patch32(itemLengthAt, list.length - itemStart, le);
  }
  if (el.undefinedLength) putItemHeader(list, SEQUENCE_DELIMITER, 0, le);
  else patchLength(list, lengthAt, list.length - start, el.vr, scope.syntax);
}

/** Patches an element length written as a placeholder (16 or 32 bits, PS3.5 7.1.2), refusing one that does not fit. */
function patchLength(list: PartList, at: number, length: number, vr: NewElement['vr'], syntax: ElementSyntax): void {
  if (headerHasLongLength(vr, syntax)) {
    if (length >= UNDEFINED_LENGTH)
      throw new DicomError('DICOM_INVALID_VALUE', `a ${vr} value of ${length} bytes is too long`);
    list.patch32(at, length, syntax.littleEndian);
  } else {
    if (length > 0xffff)
      throw new DicomError('DICOM_INVALID_VALUE', `a ${vr} value of ${length} bytes does not fit 16 bits`);
    list.patch16(at, length, syntax.littleEndian);
  }
}

function rethrowAt(where: string, e: DicomError): DicomError {
  const detail = e.message.slice(DICOM_ERROR_CODES[e.code].length + 2);
  return new DicomError(e.code, `${where} ${detail}`, { cause: e });
}
