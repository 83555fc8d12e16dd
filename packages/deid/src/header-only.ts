import type { DicomFile } from '@courier/dicom';

/**
 * Whether a header-only read (`readDicom(bytes, { headerOnly: true })` or `readHeader`) saw every
 * element that needs de-identifying. The read stops at Pixel Data, and the writer passes the rest
 * of the file through as one range; that is only safe when the rest is exactly the Pixel Data
 * value. Elements after it (private groups above 7FE0 such as (7FE1,xxxx), Digital Signatures
 * Sequence (FFFA,FFFA), Data Set Trailing Padding (FFFC,FFFC)) would otherwise leave the machine
 * unread. Returns undefined when safe, else the reason: the caller then reads the whole file
 * (still without decoding pixels) and plans again.
 *
 * Encapsulated Pixel Data has undefined length (PS3.5 A.4), so its end is unknown until the
 * fragments are walked: such a header-only read is reported as not enough.
 *
 * @example
 * const reason = headerOnlyGap(readDicom(bytes, { headerOnly: true }));
 * const file = reason === undefined ? headerFile : readDicom(bytes);
 */
export function headerOnlyGap(file: DicomFile, fileSize?: number): string | undefined {
  if (file.complete) return undefined;
  const stop = file.stoppedAt;
  if (stop === undefined) return 'the read stopped before the end at an unknown place';
  if (stop.tag >>> 16 !== 0x7fe0) return 'the read stopped before Pixel Data';
  const ts = file.transferSyntax;
  const headerLength = ts.explicitVR ? 12 : 8;
  const at = stop.headerOffset;
  if (at + headerLength > file.source.length) return 'the Pixel Data header lies past the bytes read';
  const view = new DataView(file.source.buffer, file.source.byteOffset, file.source.byteLength);
  const length = view.getUint32(at + headerLength - 4, ts.littleEndian);
  if (length === 0xffffffff) return 'Pixel Data is encapsulated (undefined length): its end is unknown';
  const end = at + headerLength + length;
  // A Deflated input was inflated whole into `source` (its offsets are not file offsets): its end is the data set's end.
  const size = !file.sourceIsFile
    ? file.source.length
    : (fileSize ?? file.fileSize ?? (end <= file.source.length ? file.source.length : undefined));
  if (size === undefined) return 'the bytes read end inside Pixel Data and the file size is unknown: pass fileSize';
  if (end < size) return `${size - end} bytes follow Pixel Data`;
  return undefined;
}
