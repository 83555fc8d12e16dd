/**
 * A minimal Explicit VR Little Endian Part 10 encoder for test files (PS3.10 7.1, PS3.5 7.1.2).
 * Independent of @courier/dicom on purpose: files made here test the reader, not its own writer.
 */

export type Value = string | readonly string[] | readonly number[] | Uint8Array | readonly Item[];
/** A sequence item: its elements. */
export type Item = readonly El[];
/** An element: [group, element, VR, value]. Numbers are encoded per VR (US, UL, FD...). */
export type El = readonly [number, number, string, Value];

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const NUMERIC = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD']);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function valueBytes(vr: string, value: Value): Uint8Array {
  if (value instanceof Uint8Array) return pad(value, 0);
  if (vr === 'SQ') {
    const parts = (value as readonly Item[]).map((item) => {
      const body = concat(item.map(encodeElement));
      return concat([u16(0xfffe), u16(0xe000), u32(body.length), body]);
    });
    return concat(parts);
  }
  if (!NUMERIC.has(vr)) {
    const text = typeof value === 'string' ? value : (value as readonly string[]).join('\\');
    return pad(latin1(text), vr === 'UI' ? 0 : 0x20);
  }
  const numbers = value as readonly number[];
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 }[vr] ?? 0;
  if (size === 0) throw new Error(`no number encoding for ${vr}`);
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => {
    if (vr === 'US') view.setUint16(i * size, n, true);
    else if (vr === 'SS') view.setInt16(i * size, n, true);
    else if (vr === 'UL') view.setUint32(i * size, n, true);
    else if (vr === 'SL') view.setInt32(i * size, n, true);
    else if (vr === 'FL') view.setFloat32(i * size, n, true);
    else view.setFloat64(i * size, n, true);
  });
  return out;
}

/** One element, explicit VR little endian, defined length. */
export function encodeElement([group, element, vr, value]: El): Uint8Array {
  const body = valueBytes(vr, value);
  if (!LONG.has(vr) && body.length > 0xffff)
    throw new Error(`${vr} value of ${body.length} bytes needs a 32-bit length`);
  const head = LONG.has(vr)
    ? concat([u16(group), u16(element), latin1(vr), u16(0), u32(body.length)])
    : concat([u16(group), u16(element), latin1(vr), u16(body.length)]);
  return concat([head, body]);
}

/**
 * A Part 10 file: preamble, "DICM", File Meta Information (Explicit VR Little Endian transfer
 * syntax), then the data set's elements sorted by tag.
 */
export function part10(sopClassUID: string, sopInstanceUID: string, elements: readonly El[]): Uint8Array {
  const meta = concat(
    (
      [
        [0x0002, 0x0001, 'OB', Uint8Array.of(0, 1)],
        [0x0002, 0x0002, 'UI', sopClassUID],
        [0x0002, 0x0003, 'UI', sopInstanceUID],
        [0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'],
        [0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1447.1'],
      ] as const
    ).map(encodeElement),
  );
  const groupLength = encodeElement([0x0002, 0x0000, 'UL', [meta.length]]);
  const sorted = [...elements].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return concat([new Uint8Array(128), latin1('DICM'), groupLength, meta, ...sorted.map(encodeElement)]);
}

function pad(bytes: Uint8Array, byte: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = byte;
  return out;
}

function u16(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
}

function u32(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
