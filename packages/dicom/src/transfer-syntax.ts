import type { TransferSyntax } from './data-set.js';

/** Implicit VR Little Endian, the default transfer syntax (PS3.5 10.1). */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
/** Explicit VR Little Endian (PS3.5 A.2). */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Deflated Explicit VR Little Endian (PS3.5 A.5). */
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
/** Explicit VR Big Endian, retired (PS3.5 A.3). */
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
/** Encapsulated Uncompressed Explicit VR Little Endian (PS3.5 A.4.11). */
export const ENCAPSULATED_UNCOMPRESSED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.98';
/** JPIP Referenced Deflate (PS3.5 A.6): a deflated data set whose pixels are referenced. */
export const JPIP_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.95';
/** JPIP Referenced (PS3.5 A.6): Explicit VR Little Endian, pixels referenced by URL. */
export const JPIP_REFERENCED = '1.2.840.10008.1.2.4.94';
/** RLE Lossless (PS3.5 A.4.2). */
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

/**
 * Transfer syntaxes whose data set is not encapsulated Explicit VR Little Endian.
 * Every other transfer syntax of PS3.6 Table A-1 (JPEG, JPEG-LS, JPEG 2000, HTJ2K, JPEG XL, MPEG,
 * HEVC, RLE, Deflated Image Frame Compression, ...) encodes the data set as Explicit VR Little
 * Endian with encapsulated Pixel Data (PS3.5 A.4), so they need no table here.
 */
const SPECIAL: ReadonlyMap<string, Omit<TransferSyntax, 'uid'>> = new Map([
  [IMPLICIT_VR_LITTLE_ENDIAN, { explicitVR: false, littleEndian: true, deflated: false, encapsulated: false }],
  [EXPLICIT_VR_LITTLE_ENDIAN, { explicitVR: true, littleEndian: true, deflated: false, encapsulated: false }],
  [DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, { explicitVR: true, littleEndian: true, deflated: true, encapsulated: false }],
  [EXPLICIT_VR_BIG_ENDIAN, { explicitVR: true, littleEndian: false, deflated: false, encapsulated: false }],
  [JPIP_REFERENCED, { explicitVR: true, littleEndian: true, deflated: false, encapsulated: false }],
  [JPIP_REFERENCED_DEFLATE, { explicitVR: true, littleEndian: true, deflated: true, encapsulated: false }],
]);

/** UID prefix of the transfer syntaxes of the standard (PS3.6 Table A-1). */
const STANDARD_PREFIX = '1.2.840.10008.1.2';

/**
 * How a transfer syntax encodes the data set. Unknown UIDs are read as encapsulated Explicit VR
 * Little Endian, the encoding every compressed transfer syntax of the standard uses; check
 * `isStandardTransferSyntax` to tell them apart.
 *
 * @example
 * transferSyntaxFromUID('1.2.840.10008.1.2').explicitVR; // false
 * transferSyntaxFromUID('1.2.840.10008.1.2.4.50').encapsulated; // true (JPEG Baseline)
 */
export function transferSyntaxFromUID(uid: string): TransferSyntax {
  const special = SPECIAL.get(uid);
  if (special) return { uid, ...special };
  return { uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: true };
}

/**
 * True for a UID under the standard's transfer syntax root (1.2.840.10008.1.2[.x...]).
 *
 * @example
 * isStandardTransferSyntax('1.2.840.10008.1.2.4.201'); // true (HTJ2K)
 * isStandardTransferSyntax('1.2.3.4'); // false
 */
export function isStandardTransferSyntax(uid: string): boolean {
  return uid === STANDARD_PREFIX || uid.startsWith(`${STANDARD_PREFIX}.`);
}
