import type { DataSet, DicomElement } from './data-set.js';
import type { DataSetEdit, NewElement } from './edit.js';
import {
  type ElementSyntax,
  encodeElementHeader,
  encodeItemHeader,
  IMPLICIT_LE,
  ITEM,
  ITEM_DELIMITER,
  SEQUENCE_DELIMITER,
  UNDEFINED_LENGTH,
} from './encode-element-header.js';
import { type TextEncoding, textEncodingFor } from './encode-text.js';
import { encodeValue, type PlainValue } from './encode-value.js';
import { DICOM_ERROR_CODES, DicomError } from './errors.js';
import { PartList } from './part-list.js';
import { formatTag, groupOf, isGroupLengthTag, type Tag } from './tag.js';

const SPECIFIC_CHARACTER_SET = 0x00080005;
/** Pixel Data, Float Pixel Data, Double Float Pixel Data: always referenced, never copied. */
const PIXEL_DATA_TAGS: ReadonlySet<Tag> = new Set([0x7fe00010, 0x7fe00008, 0x7fe00009]);

/** Where the writer is: the source, the encoding of this level and, at the top, the unread tail. */
export interface WriteScope {
  readonly source: Uint8Array;
  readonly syntax: ElementSyntax;
  /** Text encoding inherited from the enclosing data set (PS3.5 7.5.3: an item may override it). */
  readonly text: TextEncoding;
  /** "(0008,1140)[0]" etc., for error messages. */
  readonly path: string;
  /** Top level of a header-only read: elements from this tag on were not parsed (PS3.10 7.1 header-only). */
  readonly unreadFrom?: Tag;
  /** Top level of a Part 10 file: group 0002 belongs to the File Meta Information, not here. */
  readonly forbidMetaGroup?: boolean;
}

const EMPTY_DATA_SET: DataSet = { elements: new Map(), offset: 0, length: 0, undefinedLength: false };

/** True when the edit changes nothing. */
export function isEmptyEdit(edit: DataSetEdit | undefined): boolean {
  return edit === undefined || (!edit.remove?.length && !edit.set?.length && !edit.items?.size);
}

/** The end of an element in the source: value end, plus the Sequence Delimitation Item when its length was undefined. */
export function elementEnd(el: DicomElement): number {
  return el.offset + el.length + (el.undefinedLength ? 8 : 0);
}

/**
 * Writes a data set with an edit applied (an empty edit copies every element as a range of the
 * source). Rules, all PS3.5:
 * - elements come out in ascending tag order (7.1), untouched ones as ranges of the source;
 * - a group length (gggg,0000) of a group the edit touches is recomputed (7.2; retired outside
 *   group 0002 but kept when present so old readers still agree); if the group runs into an
 *   unread tail its length is unknown and the element is dropped, which 7.2 allows;
 * - a sequence with edited items keeps the length form it had: an undefined length stays
 *   undefined (with its delimiter), a defined length is recomputed (7.5.1); same for each item;
 * - new sequences and their items get defined lengths.
 */
export function writeDataSet(ds: DataSet, edit: DataSetEdit | undefined, scope: WriteScope): PartList {
  const list = new PartList();
  if (edit === undefined || isEmptyEdit(edit)) {
    for (const el of ds.elements.values()) writeUntouched(list, el);
    return list;
  }
  const plan = planEdit(ds, edit, scope);
  const inner: WriteScope = { ...scope, text: textFor(ds, plan, scope) };
  const entries = mergeEntries(ds, plan);
  // One pass per group: the group's elements go into `body` first, so a group length (gggg,0000)
  // in front of them can be written with the byte count of what follows (PS3.5 7.2).
  let i = 0;
  while (i < entries.length) {
    const group = groupOf(entries[i]!.tag);
    let groupLength: DicomElement | undefined;
    const body = new PartList();
    for (; i < entries.length && groupOf(entries[i]!.tag) === group; i++) {
      const entry = entries[i]!;
      if (entry.replacement !== undefined) writeNew(body, entry.replacement, inner);
      else if (entry.element === undefined) continue;
      else if (isGroupLengthTag(entry.tag)) groupLength = entry.element;
      else if (entry.itemEdits !== undefined) writeEditedSequence(body, entry.element, entry.itemEdits, inner);
      else writeUntouched(body, entry.element);
    }
    if (groupLength !== undefined) {
      if (!plan.touchedGroups.has(group)) writeUntouched(list, groupLength);
      else if (scope.unreadFrom === undefined || groupOf(scope.unreadFrom) !== group) {
        list.bytes(encodeElementHeader(groupLength.tag, 'UL', 4, scope.syntax));
        list.bytes(encodeValue('UL', [body.length], scope.syntax));
      }
    }
    list.append(body);
  }
  return list;
}

/** One element of the edited data set, in output order: kept, replaced/new, or with edited items. */
interface Entry {
  readonly tag: Tag;
  readonly element?: DicomElement;
  readonly replacement?: NewElement;
  readonly itemEdits?: ReadonlyMap<number, DataSetEdit>;
}

/** Existing (minus removed) and new elements merged in ascending tag order (PS3.5 7.1). */
function mergeEntries(ds: DataSet, plan: EditPlan): Entry[] {
  const existing = [...ds.elements.values()].sort((a, b) => a.tag - b.tag);
  const newTags = [...plan.set.keys()].filter((t) => !ds.elements.has(t)).sort((a, b) => a - b);
  const entries: Entry[] = [];
  let n = 0;
  for (const el of existing) {
    while (n < newTags.length && newTags[n]! < el.tag) {
      const t = newTags[n++]!;
      entries.push({ tag: t, replacement: plan.set.get(t)! });
    }
    if (plan.removed.has(el.tag)) continue;
    const replacement = plan.set.get(el.tag);
    const itemEdits = plan.items.get(el.tag);
    if (replacement !== undefined) entries.push({ tag: el.tag, replacement });
    else if (itemEdits !== undefined) entries.push({ tag: el.tag, element: el, itemEdits });
    else entries.push({ tag: el.tag, element: el });
  }
  while (n < newTags.length) {
    const t = newTags[n++]!;
    entries.push({ tag: t, replacement: plan.set.get(t)! });
  }
  return entries;
}

interface EditPlan {
  readonly removed: ReadonlySet<Tag>;
  readonly set: ReadonlyMap<Tag, NewElement>;
  readonly items: ReadonlyMap<Tag, ReadonlyMap<number, DataSetEdit>>;
  readonly touchedGroups: ReadonlySet<number>;
}

/** Checks an edit against the data set and indexes it; every conflict is a DICOM_INVALID_EDIT. */
function planEdit(ds: DataSet, edit: DataSetEdit, scope: WriteScope): EditPlan {
  const fail = (t: Tag, reason: string): DicomError =>
    new DicomError('DICOM_INVALID_EDIT', `${scope.path}${formatTag(t)}: ${reason}`);
  const checkReadable = (t: Tag): void => {
    if (scope.unreadFrom !== undefined && t >= scope.unreadFrom) {
      throw fail(
        t,
        `lies at or after ${formatTag(scope.unreadFrom)}, where the header-only read stopped; ` +
          'read the whole file to edit it',
      );
    }
    if (scope.forbidMetaGroup === true && groupOf(t) === 0x0002) {
      throw fail(t, 'File Meta Information elements are edited with the metaEdit option');
    }
  };
  const removed = new Set<Tag>();
  const touchedGroups = new Set<number>();
  for (const t of edit.remove ?? []) {
    checkReadable(t);
    removed.add(t);
    if (ds.elements.has(t)) touchedGroups.add(groupOf(t));
  }
  const set = new Map<Tag, NewElement>();
  for (const el of edit.set ?? []) {
    checkReadable(el.tag);
    if (isGroupLengthTag(el.tag)) throw fail(el.tag, 'group lengths are computed by the writer');
    if (set.has(el.tag)) throw fail(el.tag, 'set twice in one edit');
    if (removed.has(el.tag)) throw fail(el.tag, 'both removed and set');
    set.set(el.tag, el);
    touchedGroups.add(groupOf(el.tag));
  }
  const items = edit.items ?? new Map<Tag, ReadonlyMap<number, DataSetEdit>>();
  for (const [t, byIndex] of items) {
    checkReadable(t);
    if (removed.has(t) || set.has(t)) throw fail(t, 'items edited in a sequence that is also removed or set');
    const items = ds.elements.get(t)?.items;
    if (items === undefined) throw fail(t, 'items edited but the data set has no such sequence');
    for (const index of byIndex.keys()) {
      if (!Number.isInteger(index) || index < 0 || index >= items.length) {
        throw fail(t, `item ${index} edited but the sequence has ${items.length} item(s)`);
      }
    }
    touchedGroups.add(groupOf(t));
  }
  return { removed, set, items, touchedGroups };
}

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
  const raw = scope.source.subarray(el.offset, el.offset + el.length);
  return textEncodingFor(String.fromCharCode(...raw).split('\\'));
}

function writeUntouched(list: PartList, el: DicomElement): void {
  list.range(el.headerOffset, elementEnd(el) - el.headerOffset, PIXEL_DATA_TAGS.has(el.tag));
}

/** Writes a new element; a sequence value becomes items of defined length (PS3.5 7.5.1). */
function writeNew(list: PartList, el: NewElement, scope: WriteScope): void {
  const where = (): string => `${scope.path}${formatTag(el.tag)}`;
  if (el.vr === 'SQ' || (el.vr === 'UN' && isItemList(el.value))) {
    if (!isItemList(el.value)) {
      throw new DicomError('DICOM_INVALID_VALUE', `${where()}: a sequence value is a list of items (element lists)`);
    }
    // Items are data sets of their own: no unread tail, no meta group rule (those are top-level only).
    const itemScope: WriteScope = {
      source: scope.source,
      syntax: el.vr === 'UN' ? IMPLICIT_LE : scope.syntax,
      text: scope.text,
      path: scope.path,
    };
    const body = new PartList();
    el.value.forEach((elements, i) => {
      const item = writeDataSet(EMPTY_DATA_SET, { set: elements }, { ...itemScope, path: `${where()}[${i}] > ` });
      body.bytes(encodeItemHeader(ITEM, item.length, itemScope.syntax.littleEndian));
      body.append(item);
    });
    list.bytes(encodeElementHeader(el.tag, el.vr, body.length, scope.syntax));
    list.append(body);
    return;
  }
  let value: Uint8Array;
  try {
    value = encodeValue(el.vr, el.value as PlainValue, { littleEndian: scope.syntax.littleEndian, text: scope.text });
    list.bytes(encodeElementHeader(el.tag, el.vr, value.length, scope.syntax));
  } catch (e) {
    throw e instanceof DicomError ? rethrowAt(where(), e) : e;
  }
  list.bytes(value);
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
  const body = new PartList();
  (el.items ?? []).forEach((item, i) => {
    const edit = edits.get(i);
    const itemEnd = item.offset + item.length + (item.undefinedLength ? 8 : 0);
    if (isEmptyEdit(edit)) {
      body.range(item.offset - 8, itemEnd - (item.offset - 8));
      return;
    }
    const itemScope: WriteScope = {
      source: scope.source,
      syntax: itemSyntax,
      text: scope.text,
      path: `${scope.path}${formatTag(el.tag)}[${i}] > `,
    };
    const content = writeDataSet(item, edit, itemScope);
    body.bytes(encodeItemHeader(ITEM, item.undefinedLength ? UNDEFINED_LENGTH : content.length, le));
    body.append(content);
    if (item.undefinedLength) body.bytes(encodeItemHeader(ITEM_DELIMITER, 0, le));
  });
  list.bytes(encodeElementHeader(el.tag, el.vr, el.undefinedLength ? UNDEFINED_LENGTH : body.length, scope.syntax));
  list.append(body);
  if (el.undefinedLength) list.bytes(encodeItemHeader(SEQUENCE_DELIMITER, 0, le));
}

function rethrowAt(where: string, e: DicomError): DicomError {
  const detail = e.message.slice(DICOM_ERROR_CODES[e.code].length + 2);
  return new DicomError(e.code, `${where} ${detail}`, { cause: e });
}
