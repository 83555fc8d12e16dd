import type { DicomElement, DicomFile } from '@courier/dicom';

const latin1 = new TextDecoder('latin1');

/**
 * The raw value of an element as a byte-preserving string (each byte one UTF-16 unit), trailing
 * NUL/space padding removed (PS3.5 6.2). Used for ASCII values (UI, DA, DT, TM, IS, DS, CS) and for
 * matching identifying text byte for byte: the patient's name and a description in the same file
 * are encoded with the same Specific Character Set, so comparing their bytes finds the name in
 * every character set without decoding it (case-folding only applies to ASCII letters).
 *
 * @example
 * rawText(file, file.dataSet.elements.get(tag(0x0020, 0x000d))!); // '1.2.3.4'
 */
export function rawText(file: DicomFile, el: DicomElement): string {
  if (el.length === 0 || el.items !== undefined || el.fragments !== undefined) return '';
  const bytes = file.source.subarray(el.offset, el.offset + el.length);
  return latin1.decode(bytes).replace(/[\0 ]+$/, '');
}
