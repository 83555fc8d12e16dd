import type { OutputPart } from './edit.js';

/** New bytes [start, end) of the scratch buffer, in output order between ranges. */
class Scratch {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

const INITIAL_CAPACITY = 2048;

/**
 * The writer's output, built front to back in one pass: new bytes go into one growing scratch
 * buffer (no small array per header or value), untouched elements are ranges of the source. A
 * sequence, item or group length that depends on what follows (PS3.5 7.2, 7.5.1) is written as a
 * placeholder and patched once the enclosed bytes are written (`length` counts every byte so far,
 * ranges included). Contiguous ranges merge as they are added; when the next piece arrives, a
 * merged range shorter than `copyBelow` bytes (and not pinned) is copied into the new bytes,
 * otherwise it stays a range (or, with `rangesAllowed` false, a view of the source).
 *
 * @example
 * const list = new PartList(source, { copyBelow: 256, rangesAllowed: true });
 * list.range(0, 132);
 * list.bytes(new Uint8Array([1, 2]));
 * list.length; // 134
 * list.finish(); // [{ offset: 0, length: 132 }, Uint8Array [1, 2]]
 */
export class PartList {
  /** Output bytes so far: new bytes and ranges. */
  length = 0;
  #buf: Uint8Array;
  #pos = 0;
  #segStart = 0;
  readonly #out: (OutputPart | Scratch)[] = [];
  readonly #source: Uint8Array;
  readonly #copyBelow: number;
  readonly #rangesAllowed: boolean;
  #pendingOffset = 0;
  #pendingLength = 0;
  #pendingPinned = false;

  constructor(source: Uint8Array, options: { readonly copyBelow: number; readonly rangesAllowed: boolean }) {
    this.#source = source;
    this.#copyBelow = options.copyBelow;
    this.#rangesAllowed = options.rangesAllowed;
    this.#buf = new Uint8Array(INITIAL_CAPACITY);
  }

  /** Appends [offset, offset + length) of the source, merging with a preceding contiguous range; `pinned` keeps it a range whatever its size (Pixel Data, the unread tail). */
  range(offset: number, length: number, pinned = false): void {
    if (length === 0) return;
    if (this.#pendingLength > 0 && this.#pendingOffset + this.#pendingLength === offset) {
      this.#pendingLength += length;
      this.#pendingPinned ||= pinned;
    } else {
      this.#flushPending();
      this.#pendingOffset = offset;
      this.#pendingLength = length;
      this.#pendingPinned = pinned;
    }
    this.length += length;
  }

  /** Appends a copy of new bytes. */
  bytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const at = this.reserve(bytes.length);
    this.#buf.set(bytes, at);
  }

  /** Appends one byte. */
  u8(n: number): void {
    const at = this.reserve(1);
    this.#buf[at] = n;
  }

  /**
   * Makes room for `n` new bytes at the end and returns their position in the scratch buffer,
   * for `buffer` writes and later `patch16` / `patch32`.
   */
  reserve(n: number): number {
    if (this.#pendingLength > 0) this.#flushPending();
    const at = this.#pos;
    const end = at + n;
    if (end > this.#buf.length) {
      const grown = new Uint8Array(Math.max(end, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, at));
      this.#buf = grown;
    }
    this.#pos = end;
    this.length += n;
    return at;
  }

  /** The scratch buffer; valid until the next `reserve` (which may grow it). */
  get buffer(): Uint8Array {
    return this.#buf;
  }

  /** Writes a 16-bit number at a reserved position. */
  patch16(at: number, n: number, littleEndian: boolean): void {
    const b = this.#buf;
    b[at + (littleEndian ? 0 : 1)] = n & 0xff;
    b[at + (littleEndian ? 1 : 0)] = (n >>> 8) & 0xff;
  }

  /** Writes a 32-bit number at a reserved position. */
  patch32(at: number, n: number, littleEndian: boolean): void {
    const b = this.#buf;
    if (littleEndian) {
      b[at] = n & 0xff;
      b[at + 1] = (n >>> 8) & 0xff;
      b[at + 2] = (n >>> 16) & 0xff;
      b[at + 3] = (n >>> 24) & 0xff;
    } else {
      b[at] = (n >>> 24) & 0xff;
      b[at + 1] = (n >>> 16) & 0xff;
      b[at + 2] = (n >>> 8) & 0xff;
      b[at + 3] = n & 0xff;
    }
  }

  /** The output parts: new bytes as views of one buffer, long ranges as ranges (or source views). */
  finish(): OutputPart[] {
    this.#flushPending();
    this.#closeSegment();
    const buf = this.#buf;
    return this.#out.map((p) => (p instanceof Scratch ? buf.subarray(p.start, p.end) : p));
  }

  #flushPending(): void {
    const length = this.#pendingLength;
    if (length === 0) return;
    const offset = this.#pendingOffset;
    this.#pendingLength = 0;
    if (!this.#pendingPinned && length < this.#copyBelow) {
      // Copied into the new bytes: `length` already counts it.
      this.length -= length;
      this.bytes(this.#source.subarray(offset, offset + length));
      return;
    }
    this.#closeSegment();
    this.#out.push(this.#rangesAllowed ? { offset, length } : this.#source.subarray(offset, offset + length));
  }

  #closeSegment(): void {
    if (this.#pos > this.#segStart) this.#out.push(new Scratch(this.#segStart, this.#pos));
    this.#segStart = this.#pos;
  }
}
