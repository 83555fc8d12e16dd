import type { DicomFile } from '@courier/dicom';

/**
 * A header-only read stops before Pixel Data, so a file cut inside its pixels parses fine. This
 * checks the one thing that is cheap to check from the prefix: the declared length of the element
 * the read stopped at (PS3.5 7.1.2 explicit VR: 2-byte VR, 2 reserved bytes, 4-byte length; 7.1.3
 * implicit VR: 4-byte length) against the file size. Undefined lengths (encapsulated pixel data,
 * PS3.5 A.4) and inflated sources are not checked.
 * Returns a description of the shortfall, or undefined when nothing is wrong or nothing can be said.
 *
 * @example
 * truncatedPixelData(file, 1_000); // "Pixel Data (7FE0,0010) needs 526 336 bytes up to byte 527 234; the file has 1 000"
 */
export function truncatedPixelData(file: DicomFile, fileSize: number): string | undefined {
  const stop = file.stoppedAt;
  if (stop === undefined || !file.sourceIsFile) return undefined;
  const { explicitVR, littleEndian } = file.transferSyntax;
  const lengthAt = stop.headerOffset + (explicitVR ? 8 : 4);
  if (lengthAt + 4 > file.source.length) return undefined;
  const view = new DataView(file.source.buffer, file.source.byteOffset, file.source.byteLength);
  const length = view.getUint32(lengthAt, littleEndian);
  if (length === 0xffffffff) return undefined;
  const end = lengthAt + 4 + length;
  if (end <= fileSize) return undefined;
  const hex = stop.tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)}) declares ${length} bytes, ending at byte ${end}; the file has ${fileSize}`;
}
