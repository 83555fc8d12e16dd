import { DicomError } from './errors.js';

/**
 * How new text is turned into bytes for a data set, chosen from its Specific Character Set
 * (0008,0005) (PS3.5 6.1.2.3, PS3.3 C.12.1.1.2):
 * - `ascii`: the Default Character Repertoire (no 0008,0005, "ISO_IR 6", or any character set
 *   we do not encode: ASCII is valid in G0 for all of them, PS3.5 6.1.2.5.3);
 * - `latin1`: "ISO_IR 100" (ISO 8859-1), one byte per character;
 * - `utf8`: "ISO_IR 192" (UTF-8).
 *
 * @example
 * textEncodingFor(['ISO_IR 192']); // { kind: 'utf8', name: 'ISO_IR 192' }
 */
export interface TextEncoding {
  readonly kind: 'ascii' | 'latin1' | 'utf8';
  /** The Specific Character Set as written, for error messages ("ISO 2022 IR 87", …). */
  readonly name: string;
}

/** The Default Character Repertoire: what every text value may always contain. */
export const ASCII_ENCODING: TextEncoding = { kind: 'ascii', name: 'ISO_IR 6' };

/**
 * Picks the encoding for new text from the Specific Character Set values (already split on
 * backslash, padding trimmed). Only a single-valued "ISO_IR 100" or "ISO_IR 192" allows
 * non-ASCII text; with ISO 2022 code extensions we would have to emit escape sequences, which
 * we refuse to guess, so those (and GB18030, GBK, other ISO_IR sets) accept ASCII only.
 *
 * @example
 * textEncodingFor([]).kind; // 'ascii'
 * textEncodingFor(['ISO_IR 100']).kind; // 'latin1'
 */
export function textEncodingFor(specificCharacterSet: readonly string[]): TextEncoding {
  const values = specificCharacterSet.map((value) => value.trim());
  const name = values.join('\\');
  if (values.length === 1 && values[0] === 'ISO_IR 100') return { kind: 'latin1', name };
  if (values.length === 1 && values[0] === 'ISO_IR 192') return { kind: 'utf8', name };
  return { kind: 'ascii', name: name === '' ? 'ISO_IR 6' : name };
}

const utf8 = new TextEncoder();

/**
 * Encodes text with `encoding`. Throws DicomError DICOM_INVALID_VALUE when a character cannot be
 * represented (non-ASCII text in a data set whose character set we do not encode, a character
 * above U+00FF for ISO_IR 100), naming the character set so the caller can set ISO_IR 192.
 *
 * @example
 * encodeText('Müller', { kind: 'latin1', name: 'ISO_IR 100' }); // Uint8Array [77, 252, 108, 108, 101, 114]
 */
export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding.kind === 'utf8') return utf8.encode(text);
  const limit = encoding.kind === 'latin1' ? 0xff : 0x7f;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > limit) {
      const shown = String.fromCodePoint(text.codePointAt(i) ?? code);
      throw new DicomError(
        'DICOM_INVALID_VALUE',
        `character "${shown}" (U+${code.toString(16).toUpperCase().padStart(4, '0')}) cannot be written with ` +
          `Specific Character Set "${encoding.name}"; set (0008,0005) to "ISO_IR 192" to write Unicode text`,
      );
    }
    bytes[i] = code;
  }
  return bytes;
}
