import type { OutputPart } from './edit.js';

/** A range of the source, `pinned` when it must stay a range whatever its size (Pixel Data, the unread tail). */
interface RangePiece {
  offset: number;
  length: number;
  pinned: boolean;
}

type Piece = Uint8Array | RangePiece;

/**
 * The writer's scratch list of output pieces, with their total length known at every step so a
 * sequence or item header can be written with the length of what it encloses (PS3.5 7.5.1).
 * Contiguous source ranges merge as they are added.
 *
 * @example
 * const list = new PartList();
 * list.range(0, 132);
 * list.bytes(new Uint8Array([1, 2]));
 * list.length; // 134
 */
export class PartList {
  readonly pieces: Piece[] = [];
  length = 0;

  /** Appends new bytes (kept by reference; the caller must not change them afterwards). */
  bytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.length += bytes.length;
  }

  /** Appends [offset, offset + length) of the source, merging with a preceding contiguous range. */
  range(offset: number, length: number, pinned = false): void {
    if (length === 0) return;
    const last = this.pieces.at(-1);
    if (last !== undefined && !(last instanceof Uint8Array) && last.offset + last.length === offset) {
      last.length += length;
      last.pinned ||= pinned;
    } else {
      this.pieces.push({ offset, length, pinned });
    }
    this.length += length;
  }

  /** Appends every piece of `other` (which must not be used afterwards). */
  append(other: PartList): void {
    for (const piece of other.pieces) {
      if (piece instanceof Uint8Array) this.bytes(piece);
      else this.range(piece.offset, piece.length, piece.pinned);
    }
  }
}

/**
 * Turns the pieces into output parts: a range shorter than `copyBelow` bytes (and not pinned) is
 * copied, neighbouring bytes are concatenated into one new array, and the other ranges stay
 * ranges of the source. With `rangesAllowed` false (the source is not the caller's file, e.g. an
 * inflated Deflated data set) every range becomes a view of `source` (shared memory, no copy).
 */
export function finishParts(
  list: PartList,
  source: Uint8Array,
  options: { readonly copyBelow: number; readonly rangesAllowed: boolean },
): OutputPart[] {
  const parts: OutputPart[] = [];
  let pending: Uint8Array[] = [];
  const flush = (): void => {
    if (pending.length === 1) parts.push(pending[0]!);
    else if (pending.length > 1) parts.push(concat(pending));
    pending = [];
  };
  for (const piece of list.pieces) {
    if (piece instanceof Uint8Array) {
      pending.push(piece);
    } else if (!piece.pinned && piece.length < options.copyBelow) {
      pending.push(source.subarray(piece.offset, piece.offset + piece.length));
    } else {
      flush();
      parts.push(
        options.rangesAllowed
          ? { offset: piece.offset, length: piece.length }
          : source.subarray(piece.offset, piece.offset + piece.length),
      );
    }
  }
  flush();
  return parts;
}

function concat(arrays: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const a of arrays) total += a.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
