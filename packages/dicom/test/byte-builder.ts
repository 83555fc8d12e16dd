/**
 * Builds DICOM bytes by hand for edge cases no real file has handy: undefined lengths, delimiters,
 * odd VRs, big endian, truncation, corrupt lengths (in the manner of dcmjs's test stream builder).
 *
 * @example
 * const bytes = new ByteBuilder()
 *   .part10('1.2.840.10008.1.2.1')
 *   .element(tag(0x0010, 0x0010), 'PN', 'Doe^John')
 *   .sequence(tag(0x0008, 0x1140), [(b) => b.element(tag(0x0008, 0x1155), 'UI', '1.2.3')], { undefinedLength: true })
 *   .build();
 */
import type { Tag } from '../src/tag.js';
import { type VR, VR_INFO } from '../src/value-representation.js';

export interface BuilderEncoding {
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
}

const UNDEFINED = 0xffffffff;

export class ByteBuilder {
  private readonly chunks: number[] = [];
  private enc: BuilderEncoding;

  constructor(enc: BuilderEncoding = { explicitVR: true, littleEndian: true }) {
    this.enc = enc;
  }

  /** Switches the encoding of what follows (e.g. after the meta group). */
  encoding(enc: BuilderEncoding): this {
    this.enc = enc;
    return this;
  }

  get length(): number {
    return this.chunks.length;
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.chunks.push((bytes[i] ?? 0) & 0xff);
    return this;
  }

  u16(n: number, little: boolean = this.enc.littleEndian): this {
    return little ? this.raw([n, n >> 8]) : this.raw([n >> 8, n]);
  }

  u32(n: number, little: boolean = this.enc.littleEndian): this {
    return little ? this.raw([n, n >>> 8, n >>> 16, n >>> 24]) : this.raw([n >>> 24, n >>> 16, n >>> 8, n]);
  }

  ascii(s: string): this {
    return this.raw(Array.from(s, (c) => c.charCodeAt(0)));
  }

  tag(t: Tag): this {
    return this.u16(t >>> 16).u16(t & 0xffff);
  }

  /** An element header; `length` is written as given (UNDEFINED_LENGTH allowed). */
  header(t: Tag, vr: VR | string, length: number): this {
    this.tag(t);
    if (!this.enc.explicitVR) return this.u32(length);
    this.ascii(vr);
    const long = vr in VR_INFO ? VR_INFO[vr as VR].longLength : true;
    return long ? this.u16(0).u32(length) : this.u16(length);
  }

  /**
   * A whole element. Strings are padded to even length (space, NUL for UI); `length` overrides the
   * length field (to corrupt it) without changing the value bytes written.
   */
  element(t: Tag, vr: VR, value: string | ArrayLike<number>, options: { length?: number } = {}): this {
    let bytes: number[];
    if (typeof value === 'string') {
      bytes = Array.from(new TextEncoder().encode(value));
      if (bytes.length % 2 === 1) bytes.push(vr === 'UI' ? 0 : 0x20);
    } else {
      bytes = Array.from(value);
    }
    return this.header(t, vr, options.length ?? bytes.length).raw(bytes);
  }

  us(t: Tag, ...values: number[]): this {
    const b = new ByteBuilder(this.enc);
    for (const v of values) b.u16(v);
    return this.element(t, 'US', b.chunks);
  }

  /**
   * A sequence of items, each built by a callback. Lengths are computed unless undefined length
   * is asked for (then the delimiters are written, PS3.5 7.5).
   */
  sequence(
    t: Tag,
    items: ((b: ByteBuilder) => void)[],
    options: { undefinedLength?: boolean; undefinedItems?: boolean; vr?: VR } = {},
  ): this {
    const body = new ByteBuilder(this.enc);
    for (const fill of items) {
      const item = new ByteBuilder(this.enc);
      fill(item);
      body
        .tag(0xfffee000)
        .u32(options.undefinedItems ? UNDEFINED : item.length)
        .raw(item.chunks);
      if (options.undefinedItems) body.tag(0xfffee00d).u32(0);
    }
    if (options.undefinedLength) {
      this.header(t, options.vr ?? 'SQ', UNDEFINED).raw(body.chunks);
      return this.tag(0xfffee0dd).u32(0);
    }
    return this.header(t, options.vr ?? 'SQ', body.length).raw(body.chunks);
  }

  /** Encapsulated Pixel Data (PS3.5 A.4): an empty Basic Offset Table, then the fragments. */
  encapsulatedPixelData(fragments: ArrayLike<number>[], offsetTable: number[] = []): this {
    this.header(0x7fe00010, 'OB', UNDEFINED);
    this.tag(0xfffee000).u32(offsetTable.length * 4);
    for (const o of offsetTable) this.u32(o);
    for (const f of fragments) this.tag(0xfffee000).u32(f.length).raw(f);
    return this.tag(0xfffee0dd).u32(0);
  }

  /**
   * Preamble, "DICM" and a File Meta Information group (Explicit VR LE, with group length), then
   * switches to the encoding of `transferSyntaxUID` for the data set.
   */
  part10(transferSyntaxUID: string, options: { preamble?: boolean; sopClassUID?: string } = {}): this {
    if (options.preamble !== false) this.raw(new Uint8Array(128)).ascii('DICM');
    const meta = new ByteBuilder({ explicitVR: true, littleEndian: true })
      .element(0x00020001, 'OB', [0, 1])
      .element(0x00020002, 'UI', options.sopClassUID ?? '1.2.840.10008.5.1.4.1.1.7')
      .element(0x00020003, 'UI', '1.2.3.4')
      .element(0x00020010, 'UI', transferSyntaxUID);
    const le = new ByteBuilder({ explicitVR: true, littleEndian: true }).element(0x00020000, 'UL', [
      meta.length & 0xff,
      (meta.length >> 8) & 0xff,
      0,
      0,
    ]);
    this.raw(le.chunks).raw(meta.chunks);
    this.enc = {
      explicitVR: transferSyntaxUID !== '1.2.840.10008.1.2',
      littleEndian: transferSyntaxUID !== '1.2.840.10008.1.2.2',
    };
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export const UNDEFINED_LENGTH: number = UNDEFINED;

/**
 * Index of the first byte where `a` and `b` differ (a length difference counts at the shorter
 * length), or -1 when they are equal. Cheaper than a deep equality on large arrays, and the index
 * is what a failing test needs to show.
 *
 * @example
 * expect(firstDifference(written, original)).toBe(-1);
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
