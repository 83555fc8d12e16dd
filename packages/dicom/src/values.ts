/**
 * Value accessors: decode an element's bytes on demand (PS3.5 6.2 value representations).
 * Every accessor reads from `file.source`; nothing is cached or copied except the returned value.
 */
import { decodeText } from './character-set.js';
import type { DataSet, DicomElement, DicomFile } from './data-set.js';
import { lookupTag } from './dictionary.js';
import type { Tag } from './tag.js';
import { type VR, VR_INFO } from './value-representation.js';

const SPECIFIC_CHARACTER_SET = 0x00080005;
const latin1 = new TextDecoder('latin1');
/** VRs whose value may hold a backslash that is not a value separator (PS3.5 6.2: VM is always 1). */
const SINGLE_VALUED: ReadonlySet<VR> = new Set<VR>(['LT', 'ST', 'UT', 'UR']);
/** VRs whose value is a byte stream or a sequence, not numbers to print (PS3.5 6.2). */
const BYTE_STREAMS: ReadonlySet<VR> = new Set<VR>(['OB', 'OW', 'OL', 'OF', 'OD', 'OV', 'UN', 'SQ']);

/**
 * The bytes of an element's value, as a view that shares memory with `file.source` (no copy:
 * writing into it changes the source).
 *
 * @example
 * const pixels = getBytes(file, file.dataSet.elements.get(tag(0x7fe0, 0x0010))!);
 */
export function getBytes(file: DicomFile, el: DicomElement): Uint8Array {
  return file.source.subarray(el.offset, el.offset + el.length);
}

/**
 * The items of a sequence, or [] when the tag is absent or not a sequence.
 *
 * @example
 * for (const roi of getSequence(file.dataSet, tag(0x3006, 0x0020))) getString(file, roi, tag(0x3006, 0x0026));
 */
export function getSequence(ds: DataSet, t: Tag): readonly DataSet[] {
  return ds.elements.get(t)?.items ?? [];
}

/**
 * A text value, decoded with the Specific Character Set in force for `ds` (its own (0008,0005),
 * else the nearest enclosing data set's, PS3.5 7.5.3), trailing spaces and NULs trimmed. For a
 * multi-valued element the values stay joined by backslashes. Binary numbers (US, SS, UL, SL, FL,
 * FD) are joined by backslashes; AT gives "(gggg,eeee)" tags; byte streams (OB, OW, UN, ...) and
 * sequences give undefined. '' for an empty value, undefined when absent.
 * A UN element is read with its dictionary VR (PS3.5 6.2.2).
 *
 * @example
 * getString(file, file.dataSet, tag(0x0010, 0x0010)); // "Yamada^Tarou=山田^太郎=やまだ^たろう"
 */
export function getString(file: DicomFile, ds: DataSet, t: Tag): string | undefined {
  const el = ds.elements.get(t);
  if (!el) return undefined;
  const vr = effectiveVR(el);
  const info = VR_INFO[vr];
  if (!info.text) {
    if (vr === 'AT') return getTagValues(file, el).join('\\');
    // Byte streams (OB, OW, OL, OF, OD, OV, UN) and sequences are not text: use getBytes.
    return BYTE_STREAMS.has(vr) ? undefined : numbersOf(file, el, vr).join('\\');
  }
  const bytes = getBytes(file, el);
  const text = info.specificCharacterSet ? decodeText(bytes, characterSetOf(file, ds), vr) : latin1.decode(bytes);
  return text.replace(/[\s\0]+$/, '');
}

/**
 * A text value split into its values at backslashes (PS3.5 6.4), each trimmed of surrounding
 * spaces; [] when absent or empty. LT, ST, UT and UR are never split.
 *
 * @example
 * getStrings(file, file.dataSet, tag(0x0008, 0x0008)); // ["ORIGINAL", "PRIMARY", "AXIAL"]
 */
export function getStrings(file: DicomFile, ds: DataSet, t: Tag): string[] {
  const s = getString(file, ds, t);
  if (s === undefined || s === '') return [];
  const el = ds.elements.get(t);
  if (el && SINGLE_VALUED.has(effectiveVR(el))) return [s];
  return s.split('\\').map((v) => v.trim());
}

/**
 * The first numeric value (US, SS, UL, SL, FL, FD, SV, UV, and IS/DS text), or undefined when
 * absent, empty or not a number.
 *
 * @example
 * getNumber(file, file.dataSet, tag(0x0028, 0x0010)); // 512 (Rows)
 */
export function getNumber(file: DicomFile, ds: DataSet, t: Tag): number | undefined {
  return getNumbers(file, ds, t)[0];
}

/**
 * All numeric values of an element; [] when absent. Text numbers (IS, DS) that do not parse
 * are NaN, so positions stay aligned with the values.
 *
 * @example
 * getNumbers(file, file.dataSet, tag(0x0028, 0x0030)); // [0.5, 0.5] (Pixel Spacing)
 */
export function getNumbers(file: DicomFile, ds: DataSet, t: Tag): number[] {
  const el = ds.elements.get(t);
  if (!el) return [];
  const vr = effectiveVR(el);
  if (vr === 'IS' || vr === 'DS') {
    const s = latin1.decode(getBytes(file, el)).trim();
    return s === '' ? [] : s.split('\\').map((v) => (v.trim() === '' ? Number.NaN : Number(v.trim())));
  }
  return numbersOf(file, el, vr);
}

/**
 * The Private Creator of a private element (PS3.5 7.8.1): the value of (gggg,00xx) where xx is the
 * high byte of the element number, e.g. (0029,1010) → (0029,0010). Undefined for a public tag or
 * a block without creator.
 *
 * @example
 * getPrivateCreator(file, file.dataSet, tag(0x0029, 0x1010)); // "SIEMENS CSA HEADER"
 */
export function getPrivateCreator(file: DicomFile, ds: DataSet, t: Tag): string | undefined {
  const group = t >>> 16;
  const element = t & 0xffff;
  if ((group & 1) === 0 || element < 0x1000) return undefined;
  const creator = ((group << 16) | (element >>> 8)) >>> 0;
  return getString(file, ds, creator)?.trim();
}

function effectiveVR(el: DicomElement): VR {
  if (el.vr !== 'UN') return el.vr;
  const known = lookupTag(el.tag)?.vr;
  return known === undefined || known === 'SQ' ? 'UN' : known;
}

function numbersOf(file: DicomFile, el: DicomElement, vr: VR): number[] {
  const size = VR_INFO[vr].binarySize;
  if (size === 0 || VR_INFO[vr].text || vr === 'OB' || vr === 'UN') return [];
  const little = file.transferSyntax.littleEndian || el.offset < file.dataSetOffset;
  const view = new DataView(file.source.buffer, file.source.byteOffset + el.offset, el.length);
  const count = Math.floor(el.length / size);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const p = i * size;
    switch (vr) {
      case 'US':
      case 'OW':
        out[i] = view.getUint16(p, little);
        break;
      case 'SS':
        out[i] = view.getInt16(p, little);
        break;
      case 'UL':
      case 'OL':
        out[i] = view.getUint32(p, little);
        break;
      case 'SL':
        out[i] = view.getInt32(p, little);
        break;
      case 'FL':
      case 'OF':
        out[i] = view.getFloat32(p, little);
        break;
      case 'FD':
      case 'OD':
        out[i] = view.getFloat64(p, little);
        break;
      case 'SV':
        out[i] = Number(view.getBigInt64(p, little));
        break;
      case 'UV':
      case 'OV':
        out[i] = Number(view.getBigUint64(p, little));
        break;
      default:
        out[i] = Number.NaN;
    }
  }
  return out;
}

/** AT values: pairs of 16-bit group and element numbers, formatted "(gggg,eeee)". */
function getTagValues(file: DicomFile, el: DicomElement): string[] {
  const little = file.transferSyntax.littleEndian || el.offset < file.dataSetOffset;
  const view = new DataView(file.source.buffer, file.source.byteOffset + el.offset, el.length);
  const out: string[] = [];
  for (let p = 0; p + 4 <= el.length; p += 4) {
    const g = view.getUint16(p, little).toString(16).toUpperCase().padStart(4, '0');
    const e = view
      .getUint16(p + 2, little)
      .toString(16)
      .toUpperCase()
      .padStart(4, '0');
    out.push(`(${g},${e})`);
  }
  return out;
}

/** Parent of each item data set, computed once per file (data sets hold no parent link). */
const parents = new WeakMap<DicomFile, WeakMap<DataSet, DataSet>>();

function parentIndex(file: DicomFile): WeakMap<DataSet, DataSet> {
  let index = parents.get(file);
  if (!index) {
    const map = new WeakMap<DataSet, DataSet>();
    const stack: DataSet[] = [file.dataSet];
    for (let ds = stack.pop(); ds; ds = stack.pop()) {
      for (const el of ds.elements.values()) {
        for (const item of el.items ?? []) {
          map.set(item, ds);
          stack.push(item);
        }
      }
    }
    parents.set(file, map);
    index = map;
  }
  return index;
}

/** The raw Specific Character Set in force for `ds`: its own, else its nearest ancestor's (PS3.5 7.5.3). */
function characterSetOf(file: DicomFile, ds: DataSet): string | undefined {
  let current: DataSet | undefined = ds;
  let index: WeakMap<DataSet, DataSet> | undefined;
  while (current) {
    const el = current.elements.get(SPECIFIC_CHARACTER_SET);
    if (el) return latin1.decode(getBytes(file, el));
    if (current === file.dataSet) return undefined;
    index ??= parentIndex(file);
    current = index.get(current);
  }
  return undefined;
}
