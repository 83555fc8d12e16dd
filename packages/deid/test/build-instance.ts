/**
 * Builds small Part 10 files (explicit VR little endian) from a list of elements, for the
 * de-identification tests: every element is written exactly as given (no dictionary, no sorting
 * beyond what the caller does), sequences with defined or undefined length.
 *
 * @example
 * const bytes = buildInstance([{ tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' }]);
 */
export interface Spec {
  readonly tag: number;
  readonly vr: string;
  readonly value: string | readonly string[] | readonly number[] | Uint8Array | readonly (readonly Spec[])[];
  /** For SQ: write undefined lengths (PS3.5 7.5.2). */
  readonly undefinedLength?: boolean;
}

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const encoder = new TextEncoder();

class Out {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u16(n: number): void {
    this.push(Uint8Array.of(n & 0xff, (n >>> 8) & 0xff));
  }
  u32(n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n >>> 0, true);
    this.push(b);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function valueBytes(spec: Spec): Uint8Array {
  const { vr, value } = spec;
  if (value instanceof Uint8Array) return value.length % 2 === 0 ? value : Uint8Array.of(...value, 0);
  if (typeof value === 'string' || (Array.isArray(value) && typeof value[0] === 'string')) {
    const text = typeof value === 'string' ? value : (value as string[]).join('\\');
    const b = encoder.encode(text);
    if (b.length % 2 === 0) return b;
    const padded = new Uint8Array(b.length + 1);
    padded.set(b);
    padded[b.length] = vr === 'UI' ? 0 : 0x20;
    return padded;
  }
  const nums = value as readonly number[];
  const size = vr === 'US' || vr === 'SS' ? 2 : vr === 'FD' ? 8 : 4;
  const b = new Uint8Array(nums.length * size);
  const dv = new DataView(b.buffer);
  nums.forEach((n, i) => {
    if (vr === 'US') dv.setUint16(i * 2, n, true);
    else if (vr === 'SS') dv.setInt16(i * 2, n, true);
    else if (vr === 'UL') dv.setUint32(i * 4, n, true);
    else if (vr === 'SL') dv.setInt32(i * 4, n, true);
    else if (vr === 'FL') dv.setFloat32(i * 4, n, true);
    else if (vr === 'FD') dv.setFloat64(i * 8, n, true);
    else if (vr === 'AT') {
      dv.setUint16(i * 4, n >>> 16, true);
      dv.setUint16(i * 4 + 2, n & 0xffff, true);
    } else throw new Error(`numbers for ${vr}`);
  });
  return b;
}

function writeElements(out: Out, specs: readonly Spec[]): void {
  for (const spec of [...specs].sort((a, b) => a.tag - b.tag)) {
    out.u16(spec.tag >>> 16);
    out.u16(spec.tag & 0xffff);
    out.push(encoder.encode(spec.vr));
    if (spec.vr === 'SQ') {
      const items = spec.value as readonly (readonly Spec[])[];
      const body = new Out();
      for (const item of items) {
        const inner = new Out();
        writeElements(inner, item);
        body.u16(0xfffe);
        body.u16(0xe000);
        body.u32(spec.undefinedLength ? 0xffffffff : inner.size);
        body.push(inner.bytes());
        if (spec.undefinedLength) {
          body.u16(0xfffe);
          body.u16(0xe00d);
          body.u32(0);
        }
      }
      out.u16(0);
      out.u32(spec.undefinedLength ? 0xffffffff : body.size);
      out.push(body.bytes());
      if (spec.undefinedLength) {
        out.u16(0xfffe);
        out.u16(0xe0dd);
        out.u32(0);
      }
      continue;
    }
    const v = valueBytes(spec);
    if (LONG.has(spec.vr)) {
      out.u16(0);
      out.u32(v.length);
    } else out.u16(v.length);
    out.push(v);
  }
}

/**
 * A Part 10 file: preamble, "DICM", File Meta Information (with group length), then the data
 * set in explicit VR little endian. SOP Class/Instance UIDs of the meta group are taken from
 * (0008,0016)/(0008,0018) of the data set.
 */
export function buildInstance(specs: readonly Spec[]): Uint8Array {
  const str = (t: number) => {
    const s = specs.find((e) => e.tag === t)?.value;
    return typeof s === 'string' ? s : '1.2.3';
  };
  const meta = new Out();
  writeElements(meta, [
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: 0x00020002, vr: 'UI', value: str(0x00080016) },
    { tag: 0x00020003, vr: 'UI', value: str(0x00080018) },
    { tag: 0x00020010, vr: 'UI', value: '1.2.840.10008.1.2.1' },
    { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
    { tag: 0x00020016, vr: 'AE', value: 'SENDER_AE' },
  ]);
  const out = new Out();
  out.push(new Uint8Array(128));
  out.push(encoder.encode('DICM'));
  writeElements(out, [{ tag: 0x00020000, vr: 'UL', value: [meta.size] }]);
  out.push(meta.bytes());
  writeElements(out, specs);
  return out.bytes();
}
