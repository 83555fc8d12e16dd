import type { DicomFile } from './data-set.js';

/**
 * The error catalogue of @courier/dicom: every failure has a stable upper-case code, a human
 * reason and (when it wraps another error) the original as `cause`. Codes are never reused.
 * See docs/errors.md for the documented entries (tested against this table).
 */
export const DICOM_ERROR_CODES = {
  DICOM_NOT_DICOM: 'not DICOM',
  DICOM_TRUNCATED: 'file is truncated',
  DICOM_INVALID_LENGTH: 'an element length is invalid',
  DICOM_MALFORMED_SEQUENCE: 'a sequence or encapsulated pixel data is malformed',
  DICOM_NESTING_TOO_DEEP: 'sequences are nested too deeply',
  DICOM_TOO_MANY_ELEMENTS: 'too many elements',
  DICOM_UNSUPPORTED_TRANSFER_SYNTAX: 'unsupported transfer syntax',
  DICOM_INFLATE_FAILED: 'deflated data set could not be inflated',
  DICOM_INVALID_EDIT: 'an edit cannot be applied',
  DICOM_INVALID_VALUE: 'a value cannot be encoded for its VR',
} as const;

export type DicomErrorCode = keyof typeof DICOM_ERROR_CODES;

/**
 * The one error class of @courier/dicom.
 *
 * @example
 * try { readDicom(bytes) } catch (e) {
 *   if (e instanceof DicomError && e.code === 'DICOM_TRUNCATED') console.log(e.message, e.offset);
 * }
 */
export class DicomError extends Error {
  override readonly name = 'DicomError';
  readonly code: DicomErrorCode;
  /** The message after the catalogue text: where and what ("at byte 2129 in (300A,00B0) ..."). */
  readonly detail: string;
  /** Byte offset in the input where the problem was found, when known. */
  readonly offset: number | undefined;
  /**
   * What was read before a reading error, when the top-level data set had begun: the elements
   * before the one that failed (`complete` false, `stoppedAt` the failed element). A truncated
   * image still shows its patient and UIDs.
   */
  readonly partial: DicomFile | undefined;

  constructor(
    code: DicomErrorCode,
    detail: string,
    options: { offset?: number; cause?: unknown; partial?: DicomFile } = {},
  ) {
    super(`${DICOM_ERROR_CODES[code]}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.offset = options.offset;
    this.partial = options.partial;
  }
}
