import { encodeValue, type NewElement, type NewValue, type VR } from '@courier/dicom';

const TEXTUAL: ReadonlySet<VR> = new Set<VR>([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UR',
  'UT',
]);
const cache = new Map<string, Uint8Array>();
const CACHE_LIMIT = 1024;

/**
 * A text value of the Default Character Repertoire (ASCII) encoded once, for the writer to copy:
 * ASCII bytes are the same under every Specific Character Set (PS3.5 6.1.2.3: G0 is the default
 * repertoire unless escaped) and in both byte orders, so the per-file encoding and checking of the
 * same dummy, empty or identity value is saved. Values that are not ASCII, or not valid for the
 * VR, stay plain (the writer then encodes them with the file's character set, or reports them).
 *
 * @example
 * preEncoded('DA', '19000101'); // Uint8Array "19000101"
 * preEncoded('PN', 'Müller');   // 'Müller' (left to the writer)
 */
export function preEncoded(vr: VR, value: NewValue): NewValue {
  if (typeof value !== 'string' || !TEXTUAL.has(vr)) return value;
  const key = `${vr}\0${value}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let bytes: Uint8Array;
  try {
    bytes = encodeValue(vr, value, { littleEndian: true });
  } catch {
    return value;
  }
  if (cache.size < CACHE_LIMIT) cache.set(key, bytes);
  return bytes;
}

/**
 * The elements with every text value (items included) pre-encoded as in {@link preEncoded}.
 *
 * @example
 * preEncodedElements(identityElements(config));
 */
export function preEncodedElements(elements: readonly NewElement[]): NewElement[] {
  return elements.map((e) =>
    e.vr === 'SQ' && Array.isArray(e.value)
      ? { ...e, value: (e.value as readonly (readonly NewElement[])[]).map((item) => preEncodedElements(item)) }
      : { ...e, value: preEncoded(e.vr, e.value) },
  );
}

/**
 * A remapped UID value (digits, dots and backslashes only, as generated) as bytes; the writer pads
 * it with NUL (PS3.5 9.1).
 *
 * @example
 * uidBytes('2.25.1234'); // Uint8Array "2.25.1234"
 */
export function uidBytes(value: string): Uint8Array {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i);
  return out;
}
