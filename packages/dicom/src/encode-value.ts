import type { NewValue } from './edit.js';
import { ASCII_ENCODING, encodeText, type TextEncoding } from './encode-text.js';
import { DicomError } from './errors.js';
import { type VR, VR_INFO } from './value-representation.js';

/**
 * How a value is encoded: the byte order of the transfer syntax and the text encoding of the
 * data set it goes into (see `textEncodingFor`).
 *
 * @example
 * const encoding: ValueEncoding = { littleEndian: true, text: textEncodingFor(['ISO_IR 192']) };
 */
export interface ValueEncoding {
  readonly littleEndian: boolean;
  /** Defaults to the Default Character Repertoire (ASCII). */
  readonly text?: TextEncoding;
}

/** Values of every VR except SQ (sequences are encoded by the writer, item by item). */
export type PlainValue = Exclude<NewValue, readonly (readonly unknown[])[]>;

/**
 * Maximum length of one value (PS3.5 Table 6.2-1): in characters for the VRs decoded with the
 * Specific Character Set, in bytes for the others. PN's 64 applies to each component group.
 */
const MAX_LENGTH: Partial<Record<VR, number>> = {
  AE: 16,
  AS: 4,
  CS: 16,
  DA: 8,
  DS: 16,
  DT: 26,
  IS: 12,
  LO: 64,
  LT: 10240,
  PN: 64,
  SH: 16,
  ST: 1024,
  TM: 14,
  UI: 64,
};

/** VRs whose value is one text that may contain a backslash (PS3.5 6.4: VM is always 1). */
const SINGLE_TEXT: ReadonlySet<VR> = new Set<VR>(['LT', 'ST', 'UT', 'UR']);

/** Text VRs that may hold control characters: TAB, LF, FF, CR (PS3.5 6.1.3, Table 6.2-1). */
const FORMATTED_TEXT: ReadonlySet<VR> = new Set<VR>(['LT', 'ST', 'UT']);

/** Formats of the default-repertoire VRs (PS3.5 Table 6.2-1); an empty value is always allowed. */
const FORMAT: Partial<Record<VR, RegExp>> = {
  AS: /^\d{3}[DWMY]$/,
  CS: /^[A-Z0-9 _]*$/,
  DA: /^\d{8}$/,
  DS: /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/,
  DT: /^\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?)?)?)?([+-]\d{4})?$/,
  IS: /^ *[+-]?\d+ *$/,
  TM: /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/,
  UI: /^\d+(\.\d+)*$/,
};

/**
 * Encodes one element value for `vr`, padded to even length (PS3.5 7.1.1: space for text, NUL
 * for UI and binary VRs). Accepted forms:
 * - text VRs: a string (backslash separates values) or a string array; IS and DS also take
 *   numbers, formatted to fit 12 and 16 characters;
 * - binary VRs (US SS UL SL FL FD AT SV UV OB OW OL OF OD OV): a number array (AT: tags as
 *   numbers, `tag(g, e)`); SV, UV and OV take safe integers;
 * - any VR: a Uint8Array of raw bytes, already in the target byte order.
 * Throws DicomError DICOM_INVALID_VALUE with the reason when the value does not fit its VR
 * (length limit, format, range, or a character the data set's character set cannot hold).
 *
 * @example
 * encodeValue('PN', 'Doe^Jane', { littleEndian: true }); // "Doe^Jane" (8 bytes)
 * encodeValue('UI', '1.2.3', { littleEndian: true });     // "1.2.3\0"
 * encodeValue('US', [512], { littleEndian: false });      // [0x02, 0x00]
 */
export function encodeValue(vr: VR, value: PlainValue, encoding: ValueEncoding): Uint8Array {
  if (vr === 'SQ') throw invalid(vr, 'a sequence is written item by item, not as one value');
  if (value instanceof Uint8Array) return padded(value, VR_INFO[vr].padding);
  if (VR_INFO[vr].text) return encodeTextValue(vr, value, encoding.text ?? ASCII_ENCODING);
  if (typeof value === 'string' || !value.every((v): v is number => typeof v === 'number')) {
    throw invalid(vr, 'a binary VR takes an array of numbers or a Uint8Array');
  }
  return encodeNumbers(vr, value, encoding.littleEndian);
}

function encodeTextValue(vr: VR, value: Exclude<PlainValue, Uint8Array>, text: TextEncoding): Uint8Array {
  const values = toStrings(vr, value);
  if (SINGLE_TEXT.has(vr) && values.length > 1) throw invalid(vr, 'the VR holds a single value');
  values.forEach((v) => {
    checkTextValue(vr, v);
  });
  const joined = values.join('\\');
  const defaultRepertoire = !VR_INFO[vr].specificCharacterSet;
  const bytes = encodeText(joined, defaultRepertoire ? ASCII_ENCODING : text);
  return padded(bytes, VR_INFO[vr].padding);
}

function toStrings(vr: VR, value: Exclude<PlainValue, Uint8Array>): string[] {
  if (typeof value === 'string') return SINGLE_TEXT.has(vr) ? [value] : value.split('\\');
  const values: readonly (string | number)[] = value;
  return values.map((v) => {
    if (typeof v === 'string') return v;
    if (vr === 'IS') return formatIS(v);
    if (vr === 'DS') return formatDS(v);
    throw invalid(vr, `a number (${v}) is not a text value; only IS and DS take numbers`);
  });
}

function checkTextValue(vr: VR, v: string): void {
  if (!SINGLE_TEXT.has(vr) && v.includes('\\')) throw invalid(vr, 'a value contains a backslash');
  for (let i = 0; i < v.length; i++) {
    const code = v.charCodeAt(i);
    const allowedControl = FORMATTED_TEXT.has(vr) && (code === 9 || code === 10 || code === 12 || code === 13);
    if ((code < 0x20 || code === 0x7f) && !allowedControl) {
      throw invalid(vr, `control character 0x${code.toString(16)} is not allowed`);
    }
  }
  const format = FORMAT[vr];
  if (format !== undefined && v !== '' && !format.test(v)) throw invalid(vr, `"${v}" does not match ${format}`);
  if (vr === 'IS' && v.trim() !== '' && Math.abs(Number(v)) > 2 ** 31 - 1 && Number(v) !== -(2 ** 31)) {
    throw invalid(vr, `${v} is outside the signed 32-bit range`);
  }
  const max = MAX_LENGTH[vr];
  if (max === undefined) return;
  if (vr === 'PN') {
    // PS3.5 6.2.1: up to three component groups (alphabetic, ideographic, phonetic), 64 each.
    const groups = v.split('=');
    if (groups.length > 3) throw invalid(vr, 'a person name has at most 3 component groups');
    for (const group of groups) {
      if ([...group].length > max) throw invalid(vr, `a component group is longer than ${max} characters`);
      if (group.split('^').length > 5) throw invalid(vr, 'a component group has at most 5 components');
    }
    return;
  }
  // Characters for the Specific Character Set VRs, bytes (= ASCII characters) for the others.
  if ([...v].length > max) throw invalid(vr, `"${v.slice(0, 20)}…" is longer than ${max} characters`);
}

/**
 * Formats an integer as an IS value (PS3.5 Table 6.2-1: at most 12 characters, signed 32-bit).
 *
 * @example
 * formatIS(-42); // "-42"
 */
export function formatIS(n: number): string {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw invalid('IS', `${n} is not a signed 32-bit integer`);
  }
  return String(n);
}

/**
 * Formats a number as a DS value of at most 16 characters (PS3.5 Table 6.2-1), keeping as many
 * significant digits as fit.
 *
 * @example
 * formatDS(0.1 + 0.2);  // "0.3"
 * formatDS(Math.PI);    // "3.14159265358979" (16 characters)
 * formatDS(1e-20);      // "1e-20"
 */
export function formatDS(n: number): string {
  if (!Number.isFinite(n)) throw invalid('DS', `${n} is not a finite number`);
  const plain = String(n);
  if (plain.length <= 16) return plain;
  for (let precision = 16; precision >= 1; precision--) {
    const candidate = n
      .toPrecision(precision)
      .replace(/e\+/, 'e')
      .replace(/(\.\d*?)0+(e|$)/, '$1$2')
      .replace(/\.(e|$)/, '$1');
    if (candidate.length <= 16) return candidate;
  }
  throw invalid('DS', `${n} cannot be written in 16 characters`);
}

/** Range checks and writers per binary VR (PS3.5 Table 6.2-1). */
const NUMERIC: Partial<
  Record<
    VR,
    { size: number; ok: (n: number) => boolean; put: (v: DataView, o: number, n: number, le: boolean) => void }
  >
> = {
  US: { size: 2, ok: isUint(16), put: (v, o, n, le) => v.setUint16(o, n, le) },
  OW: { size: 2, ok: isUint(16), put: (v, o, n, le) => v.setUint16(o, n, le) },
  SS: { size: 2, ok: isInt(16), put: (v, o, n, le) => v.setInt16(o, n, le) },
  UL: { size: 4, ok: isUint(32), put: (v, o, n, le) => v.setUint32(o, n, le) },
  OL: { size: 4, ok: isUint(32), put: (v, o, n, le) => v.setUint32(o, n, le) },
  SL: { size: 4, ok: isInt(32), put: (v, o, n, le) => v.setInt32(o, n, le) },
  FL: { size: 4, ok: () => true, put: (v, o, n, le) => v.setFloat32(o, n, le) },
  OF: { size: 4, ok: () => true, put: (v, o, n, le) => v.setFloat32(o, n, le) },
  FD: { size: 8, ok: () => true, put: (v, o, n, le) => v.setFloat64(o, n, le) },
  OD: { size: 8, ok: () => true, put: (v, o, n, le) => v.setFloat64(o, n, le) },
  SV: { size: 8, ok: Number.isSafeInteger, put: (v, o, n, le) => v.setBigInt64(o, BigInt(n), le) },
  UV: { size: 8, ok: (n) => Number.isSafeInteger(n) && n >= 0, put: (v, o, n, le) => v.setBigUint64(o, BigInt(n), le) },
  OV: { size: 8, ok: (n) => Number.isSafeInteger(n) && n >= 0, put: (v, o, n, le) => v.setBigUint64(o, BigInt(n), le) },
  OB: { size: 1, ok: isUint(8), put: (v, o, n) => v.setUint8(o, n) },
  UN: { size: 1, ok: isUint(8), put: (v, o, n) => v.setUint8(o, n) },
  // PS3.5 6.2 AT: group number then element number, each a 16-bit unsigned in the byte order.
  AT: {
    size: 4,
    ok: isUint(32),
    put: (v, o, n, le) => {
      v.setUint16(o, n >>> 16, le);
      v.setUint16(o + 2, n & 0xffff, le);
    },
  },
};

function encodeNumbers(vr: VR, values: readonly number[], littleEndian: boolean): Uint8Array {
  const spec = NUMERIC[vr];
  if (spec === undefined) throw invalid(vr, 'no numeric encoding for this VR');
  const bytes = new Uint8Array(values.length * spec.size + ((values.length * spec.size) % 2));
  const view = new DataView(bytes.buffer);
  values.forEach((n, i) => {
    if (!spec.ok(n)) throw invalid(vr, `${n} is out of range`);
    spec.put(view, i * spec.size, n, littleEndian);
  });
  return bytes;
}

function isUint(bits: number): (n: number) => boolean {
  return (n) => Number.isInteger(n) && n >= 0 && n < 2 ** bits;
}

function isInt(bits: number): (n: number) => boolean {
  return (n) => Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n < 2 ** (bits - 1);
}

function padded(bytes: Uint8Array, padding: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = padding;
  return out;
}

function invalid(vr: VR, reason: string): DicomError {
  return new DicomError('DICOM_INVALID_VALUE', `${vr}: ${reason}`);
}
