import type { DicomFile } from '@courier/dicom';

/** Where the Pixel Data (7FE0,0010) value of a stored file lies, found from a header-only read. */
export interface PixelDataLocation {
  /** Offset of the value's first byte in the Part 10 file. */
  offset: number;
  /** Value length; undefined for encapsulated (undefined length, PS3.5 A.4) pixel data. */
  length: number | undefined;
  vr: 'OB' | 'OW';
}

const PIXEL_DATA = 0x7fe00010;

/**
 * The location of Pixel Data after a header-only read stopped at it (the element header is in the
 * prefix the read had): PS3.5 7.1.2, explicit VR OB/OW has 2 reserved bytes and a 32-bit length
 * (12-byte header), implicit VR an 8-byte header. Undefined when the file has no Pixel Data, is
 * deflated (offsets are not file offsets) or the prefix ends inside the element header.
 *
 * @example
 * const where = pixelDataLocation(file); // { offset: 1234, length: 524288, vr: 'OW' }
 */
export function pixelDataLocation(file: DicomFile): PixelDataLocation | undefined {
  const stop = file.stoppedAt;
  if (stop === undefined || stop.tag !== PIXEL_DATA || !file.sourceIsFile) return undefined;
  const bytes = file.source;
  const at = stop.headerOffset;
  const little = file.transferSyntax.littleEndian;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (file.transferSyntax.explicitVR) {
    if (at + 12 > bytes.length) return undefined;
    const vr = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!) === 'OW' ? 'OW' : 'OB';
    const length = view.getUint32(at + 8, little);
    return { offset: at + 12, length: length === 0xffffffff ? undefined : length, vr };
  }
  if (at + 8 > bytes.length) return undefined;
  const length = view.getUint32(at + 4, little);
  return { offset: at + 8, length: length === 0xffffffff ? undefined : length, vr: 'OW' };
}
