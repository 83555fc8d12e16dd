/**
 * The error catalogue of @courier/uploader: every failure has a stable upper-case code, a human
 * reason and (when it wraps another error) the original as `cause`. Codes are never reused.
 * Files the scanner skips are not errors: they are "ignored" with a reason (ignored-reasons.ts).
 *
 * @example
 * UPLOADER_ERROR_CODES.UPLOADER_SCAN_ABORTED; // 'the scan was cancelled'
 */
export const UPLOADER_ERROR_CODES = {
  UPLOADER_INVALID_ARGUMENT: 'an argument is invalid',
  UPLOADER_SCAN_ABORTED: 'the scan was cancelled',
  UPLOADER_UNKNOWN_SERIES: 'the series is not part of the scanned data',
  UPLOADER_CANNOT_ACKNOWLEDGE: 'only warnings can be acknowledged',
} as const;

/**
 * A code of the catalogue.
 *
 * @example
 * const code: UploaderErrorCode = 'UPLOADER_UNKNOWN_SERIES';
 */
export type UploaderErrorCode = keyof typeof UPLOADER_ERROR_CODES;

/**
 * The one error class of @courier/uploader.
 *
 * @example
 * try { await scanFiles(files, { signal }) } catch (e) {
 *   if (e instanceof UploaderError && e.code === 'UPLOADER_SCAN_ABORTED') showCancelled();
 * }
 */
export class UploaderError extends Error {
  override readonly name = 'UploaderError';
  readonly code: UploaderErrorCode;

  constructor(code: UploaderErrorCode, detail: string, options: { cause?: unknown } = {}) {
    super(
      `${UPLOADER_ERROR_CODES[code]}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
  }
}
