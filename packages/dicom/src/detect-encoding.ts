/**
 * Guesses how a data set is encoded from its first element, for raw data sets without File Meta
 * Information and for files whose transfer syntax does not match their bytes. The same heuristic
 * DCMTK and pydicom use: an explicit VR has two upper-case letters naming a VR at bytes 4-5
 * (PS3.5 7.1.2), which an implicit 32-bit length (7.1.3) almost never has.
 */
import { lookupTag } from './dictionary.js';
import type { Encoding } from './read-context.js';
import { vrAt } from './read-data-set.js';

function u16(bytes: Uint8Array, pos: number, little: boolean): number {
  const a = bytes[pos] ?? 0;
  const b = bytes[pos + 1] ?? 0;
  return little ? a | (b << 8) : (a << 8) | b;
}

function tagOf(bytes: Uint8Array, pos: number, little: boolean): number {
  return ((u16(bytes, pos, little) << 16) | u16(bytes, pos + 2, little)) >>> 0;
}

/**
 * A tag a data set may plausibly start with: a known public tag or a group length. `lenient`
 * (after a File Meta Information, where the input is surely DICOM) also accepts private tags,
 * even in the odd groups PS3.5 7.8 forbids (0001-0007), which real files use anyway. Without it,
 * private tags are refused: JPEG, PNG or PDF headers read as odd (private) groups, and a raw
 * data set starts with a public group in practice (0008 or a group length).
 */
function plausibleTag(t: number, lenient: boolean): boolean {
  const group = t >>> 16;
  if (group === 0 || group === 0xfffe || group === 0xffff) return false;
  if ((group & 1) === 1) return lenient;
  if (group < 0x0002) return false;
  return (t & 0xffff) === 0 || lookupTag(t) !== undefined;
}

/**
 * The encoding of the element at `pos`, or undefined when it looks like no DICOM element.
 * `fileEnd` bounds an implicit length (a plausible length fits in the input).
 */
export function detectEncoding(bytes: Uint8Array, pos: number, fileEnd: number, lenient = false): Encoding | undefined {
  if (pos + 8 > bytes.length) return undefined;
  if (vrAt(bytes, pos + 4) !== undefined) {
    const le = tagOf(bytes, pos, true);
    const be = tagOf(bytes, pos, false);
    // The byte order that gives the smaller group is the right one: data sets start at low groups.
    const little = le >>> 16 <= be >>> 16;
    if (plausibleTag(little ? le : be, lenient)) return { explicitVR: true, littleEndian: little };
  }
  const t = tagOf(bytes, pos, true);
  const a = bytes[pos + 4] ?? 0;
  const length =
    (a | ((bytes[pos + 5] ?? 0) << 8) | ((bytes[pos + 6] ?? 0) << 16) | ((bytes[pos + 7] ?? 0) << 24)) >>> 0;
  if (plausibleTag(t, lenient) && (length === 0xffffffff || pos + 8 + length <= fileEnd)) {
    return { explicitVR: false, littleEndian: true };
  }
  return undefined;
}
