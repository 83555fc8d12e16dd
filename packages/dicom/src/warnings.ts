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
} as const;

export type DicomWarningCode = keyof typeof DICOM_WARNING_CODES;

export interface DicomWarning {
  readonly code: DicomWarningCode;
  readonly message: string;
  readonly offset?: number;
}
