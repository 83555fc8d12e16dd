/**
 * Builds DICOM byte streams by hand for edge cases that no real file shows conveniently
 * (undefined-length sequences inside undefined-length items, empty sequences, odd lengths,
 * truncation). Nothing is padded or checked: the bytes are exactly what the test asks for.
 *
 * @example
 * const bytes = new ByteBuilder()
 *   .part10('1.2.840.10008.1.2.1')
 *   .element(0x00100010, 'PN', 'Doe^Jane')
 *   .sequence(0x00081140, [(b) => b.element(0x00081155, 'UI', '1.2.3\0')], { undefinedLength: true })
 *   .bytes();
 */
export class ByteBuilder {
  private readonly chunks: Uint8Array[] = [];
  private readonly explicitVR: boolean;
  private readonly littleEndian: boolean;

  /** Data-set encoding of what follows `part10()` (the meta group is always explicit VR LE). */
  constructor(syntax: { explicitVR: boolean; littleEndian: boolean } = { explicitVR: true, littleEndian: true }) {
    this.explicitVR = syntax.explicitVR;
    this.littleEndian = syntax.littleEndian;
  }

  /** Raw bytes, appended as they are. */
  raw(bytes: Uint8Array | readonly number[]): this {
    this.chunks.push(Uint8Array.from(bytes));
    return this;
  }

  /**
   * 128-byte zero preamble, "DICM" and a File Meta Information group with a correct group length
   * (PS3.10 7.1), in explicit VR LE whatever the data-set encoding.
   */
  part10(
    transferSyntaxUID: string,
    sop: { classUID?: string; instanceUID?: string } = {},
    options: { groupLength?: boolean } = {},
  ): this {
    const meta = new ByteBuilder({ explicitVR: true, littleEndian: true })
      .element(0x00020001, 'OB', [0x00, 0x01])
      .element(0x00020002, 'UI', padUID(sop.classUID ?? '1.2.840.10008.5.1.4.1.1.7'))
      .element(0x00020003, 'UI', padUID(sop.instanceUID ?? '1.2.826.0.1.3680043.2.1125.1'))
      .element(0x00020010, 'UI', padUID(transferSyntaxUID))
      .element(0x00020012, 'UI', padUID('1.2.826.0.1.3680043.2.1125.2'))
      .bytes();
    this.raw(new Uint8Array(128)).raw([0x44, 0x49, 0x43, 0x4d]);
    if (options.groupLength !== false) {
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, meta.length, true);
      this.raw(new ByteBuilder().element(0x00020000, 'UL', length).bytes());
    }
    return this.raw(meta);
  }

  /** One element with a value given as text (Latin-1 bytes) or bytes, and its real length unless `length` overrides it. */
  element(tag: number, vr: string, value: string | Uint8Array | readonly number[] = '', length?: number): this {
    const bytes = typeof value === 'string' ? latin1(value) : Uint8Array.from(value);
    this.header(tag, vr, length ?? bytes.length);
    return this.raw(bytes);
  }

  /** An element with a 16-bit binary value array (US/SS) in this builder's byte order. */
  uint16(tag: number, vr: 'US' | 'SS' | 'OW', values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 2);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => {
      view.setUint16(i * 2, v & 0xffff, this.littleEndian);
    });
    return this.element(tag, vr, bytes);
  }

  /**
   * A sequence whose items are filled by callbacks. Lengths are defined (and computed) unless
   * `undefinedLength` / `itemUndefinedLength` ask for 0xFFFFFFFF with delimitation items (PS3.5 7.5).
   */
  sequence(
    tag: number,
    items: readonly ((item: ByteBuilder) => unknown)[],
    options: { undefinedLength?: boolean; itemUndefinedLength?: boolean; vr?: 'SQ' | 'UN' } = {},
  ): this {
    const body = new ByteBuilder({ explicitVR: this.explicitVR, littleEndian: this.littleEndian });
    for (const fill of items) {
      const itemBuilder = new ByteBuilder(
        options.vr === 'UN'
          ? { explicitVR: false, littleEndian: true }
          : { explicitVR: this.explicitVR, littleEndian: this.littleEndian },
      );
      fill(itemBuilder);
      const content = itemBuilder.bytes();
      body.item(0xfffee000, options.itemUndefinedLength ? 0xffffffff : content.length).raw(content);
      if (options.itemUndefinedLength) body.item(0xfffee00d, 0);
    }
    const content = body.bytes();
    this.header(tag, options.vr ?? 'SQ', options.undefinedLength ? 0xffffffff : content.length);
    this.raw(content);
    if (options.undefinedLength) this.item(0xfffee0dd, 0);
    return this;
  }

  /** Encapsulated Pixel Data (PS3.5 A.4): OB, undefined length, an empty Basic Offset Table, then fragments. */
  encapsulatedPixelData(fragments: readonly Uint8Array[]): this {
    this.header(0x7fe00010, 'OB', 0xffffffff);
    this.item(0xfffee000, 0);
    for (const fragment of fragments) this.item(0xfffee000, fragment.length).raw(fragment);
    return this.item(0xfffee0dd, 0);
  }

  /** An item or delimiter tag with its 32-bit length (no VR, PS3.5 7.5). */
  item(tag: number, length: number): this {
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, tag >>> 16, this.littleEndian);
    view.setUint16(2, tag & 0xffff, this.littleEndian);
    view.setUint32(4, length, this.littleEndian);
    return this.raw(bytes);
  }

  /** Element header only (tag, VR when explicit, length), PS3.5 7.1.2 / 7.1.3. */
  header(tag: number, vr: string, length: number): this {
    const long = ['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'].includes(vr);
    const bytes = new Uint8Array(this.explicitVR && long ? 12 : 8);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, tag >>> 16, this.littleEndian);
    view.setUint16(2, tag & 0xffff, this.littleEndian);
    if (!this.explicitVR) view.setUint32(4, length, this.littleEndian);
    else {
      bytes[4] = vr.charCodeAt(0);
      bytes[5] = vr.charCodeAt(1);
      if (long) view.setUint32(8, length, this.littleEndian);
      else view.setUint16(6, length, this.littleEndian);
    }
    return this.raw(bytes);
  }

  /** Everything appended so far, as one array. */
  bytes(): Uint8Array {
    let total = 0;
    for (const c of this.chunks) total += c.length;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function padUID(uid: string): string {
  return uid.length % 2 === 1 ? `${uid}\0` : uid;
}
