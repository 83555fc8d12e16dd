import type { ByteRange } from './data-set.js';
import type { Tag } from './tag.js';
import type { VR } from './value-representation.js';

/**
 * An edit of a data set, as a value: what to remove, what to set, and edits inside sequence
 * items. Edits are data so they can be logged, tested and replayed; `writeDicom` applies them.
 * Tags not named are written unchanged (copied as ranges of the source where large).
 *
 * @example
 * const edit: DataSetEdit = {
 *   remove: [tag(0x0010, 0x1000)],                              // Other Patient IDs
 *   set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'PSEUDO^001' }],
 *   items: new Map([[tag(0x0008, 0x1140), new Map([[0, { remove: [tag(0x0008, 0x1155)] }]])]]),
 * };
 */
export interface DataSetEdit {
  /** Tags to drop from this data set. */
  readonly remove?: readonly Tag[];
  /** Elements to add or replace in this data set. */
  readonly set?: readonly NewElement[];
  /** Edits inside existing sequence items: sequence tag → item index → edit of that item. */
  readonly items?: ReadonlyMap<Tag, ReadonlyMap<number, DataSetEdit>>;
}

/** A value to write. Strings are encoded per VR (padded to even length); numbers per VR. */
export type NewValue =
  | string
  | readonly string[]
  | readonly number[]
  | Uint8Array
  /** For VR SQ: the items, each a list of elements. */
  | readonly (readonly NewElement[])[];

/** An element to write: a tag, its VR and its value (decoded form or raw bytes in the target byte order). */
export interface NewElement {
  readonly tag: Tag;
  readonly vr: VR;
  readonly value: NewValue;
}

/**
 * One part of a written file: new bytes, or a range of the source to copy unchanged.
 * Concatenating the parts in order gives the file. In a browser: `new Blob(parts.map(p =>
 * p instanceof Uint8Array ? p : file.slice(p.offset, p.offset + p.length)))`.
 */
export type OutputPart = Uint8Array | ByteRange;
