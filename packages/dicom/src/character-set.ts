/**
 * Text decoding per Specific Character Set (0008,0005), PS3.5 6.1: single-byte sets (ISO_IR 100,
 * 144, ...), UTF-8 (ISO_IR 192), GB18030/GBK, and ISO 2022 code extensions with escape sequences
 * (Japanese ISO 2022 IR 87/159, Korean IR 149, ...). Decoding is done by `dicom-character-set`.
 */
import { convertBytes } from 'dicom-character-set';
import type { VR } from './value-representation.js';

const latin1 = new TextDecoder('latin1');

/**
 * Decodes a text value. `specificCharacterSet` is the raw value of (0008,0005) (backslash-separated
 * terms) or undefined for the default repertoire. An unknown character set falls back to Latin-1
 * (the DICOM default repertoire is its ASCII subset), so a name never fails to display.
 *
 * @example
 * decodeText(bytes, '\\ISO 2022 IR 87', 'PN'); // "Yamada^Tarou=山田^太郎=やまだ^たろう"
 */
export function decodeText(bytes: Uint8Array, specificCharacterSet: string | undefined, vr: VR): string {
  if (specificCharacterSet === undefined || specificCharacterSet.trim() === '' || isAscii(bytes)) {
    return latin1.decode(bytes);
  }
  try {
    return convertBytes(specificCharacterSet, bytes, { vr });
  } catch {
    // Writers often return to ASCII with ESC ( B without declaring ISO 2022 IR 6 (pydicom's
    // chrSQEncoding.dcm does); DCMTK and pydicom accept it, so retry with IR 6 declared.
    if (/ISO 2022/i.test(specificCharacterSet) && !/IR 6(\\|$|\s)/.test(specificCharacterSet)) {
      try {
        return convertBytes(`${specificCharacterSet.trim()}\\ISO 2022 IR 6`, bytes, { vr });
      } catch {
        // Fall through to Latin-1 below.
      }
    }
    return latin1.decode(bytes);
  }
}

/**
 * True when `specificCharacterSet` names only character sets `decodeText` knows.
 *
 * @example
 * isKnownCharacterSet('ISO_IR 192'); // true
 * isKnownCharacterSet('ISO_IR 999'); // false
 */
export function isKnownCharacterSet(specificCharacterSet: string): boolean {
  let known = knownCache.get(specificCharacterSet);
  if (known === undefined) {
    try {
      convertBytes(specificCharacterSet, PROBE);
      known = true;
    } catch {
      known = false;
    }
    // Every file is checked: remember the answer (a handful of distinct values in practice).
    if (knownCache.size < 256) knownCache.set(specificCharacterSet, known);
  }
  return known;
}

const PROBE = new Uint8Array([0x41]);
const knownCache = new Map<string, boolean>();

/** Pure 7-bit text decodes the same in every supported set except with ESC (ISO 2022). */
function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b >= 0x80 || b === 0x1b) return false;
  }
  return true;
}
