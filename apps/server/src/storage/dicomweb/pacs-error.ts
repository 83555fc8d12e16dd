/**
 * The error catalogue of the DICOMweb PACS store: stable upper-case codes, a human reason, and the
 * original error as `cause`. Codes are never reused.
 */
export const PACS_ERROR_CODES = {
  PACS_UNREACHABLE: 'the PACS cannot be reached',
  PACS_UNAUTHORIZED: 'the PACS refused the credentials',
  PACS_HTTP_ERROR: 'the PACS answered with an unexpected HTTP status',
  PACS_BAD_RESPONSE: 'the PACS answer cannot be understood',
  PACS_INSTANCE_REFUSED: 'the PACS did not store the instance',
  PACS_UID_MISMATCH: 'the PACS stored the instance under other UIDs than asked',
  PACS_CHECKSUM_MISMATCH: 'the bytes in the PACS differ from the bytes sent',
  PACS_SOURCE_FAILED: 'the instance bytes could not be read while sending',
} as const;

/** One of the stable codes of {@link PACS_ERROR_CODES}. */
export type PacsErrorCode = keyof typeof PACS_ERROR_CODES;

/**
 * The one error class of the DICOMweb store.
 *
 * @example
 * try { await store.put(key, source) } catch (e) {
 *   if (e instanceof PacsError && e.code === 'PACS_UNAUTHORIZED') log.error('check the PACS user');
 * }
 */
export class PacsError extends Error {
  override readonly name = 'PacsError';
  readonly code: PacsErrorCode;
  /** The message after the catalogue text: which request, which instance, what the PACS said. */
  readonly detail: string;
  /** The HTTP status of the PACS answer, when there was one. */
  readonly status: number | undefined;

  constructor(code: PacsErrorCode, detail: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${PACS_ERROR_CODES[code]}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.status = options.status;
  }
}
