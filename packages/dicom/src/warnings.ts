/**
 * Recoverable oddities found while reading, returned next to the result (never thrown).
 * A warning has a stable code, like errors (errors.ts), and a human message.
 */
export const DICOM_WARNING_CODES = {
  DICOM_NO_PREAMBLE: 'no 128-byte preamble and DICM prefix: read as a raw data set',
  DICOM_NO_META: 'no File Meta Information: transfer syntax guessed',
  DICOM_META_GROUP_LENGTH_WRONG: 'File Meta Information Group Length does not match',
  DICOM_ODD_LENGTH: 'an element has an odd length',
  DICOM_UNKNOWN_CHARACTER_SET: 'unknown Specific Character Set, decoded as Latin-1',
  DICOM_VR_MISMATCH: 'explicit VR differs from the dictionary',
  DICOM_UNKNOWN_VR: 'an explicit VR is not one of PS3.5 6.2, read as UN',
  DICOM_UNKNOWN_TRANSFER_SYNTAX: 'unknown transfer syntax UID, read as Explicit VR Little Endian',
  DICOM_TRANSFER_SYNTAX_MISMATCH: 'the data set is not encoded as its transfer syntax says; read as found',
  DICOM_TAG_ORDER: 'elements are not in ascending tag order',
  DICOM_DUPLICATE_TAG: 'a tag occurs twice in one data set; the first is kept',
  DICOM_STRAY_DELIMITER: 'a delimitation item outside a sequence or item of undefined length was skipped',
  DICOM_TRAILING_BYTES: 'bytes after the last element were ignored',
} as const;

export type DicomWarningCode = keyof typeof DICOM_WARNING_CODES;

export interface DicomWarning {
  readonly code: DicomWarningCode;
  readonly message: string;
  readonly offset?: number;
}
