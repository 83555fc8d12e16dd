/**
 * The error catalogue of @courier/deid: stable upper-case codes, a human reason, the original
 * error as `cause` when one is wrapped. Codes are never reused.
 */
export const DEID_ERROR_CODES = {
  DEID_INVALID_CONFIG: 'the de-identification configuration is incomplete or inconsistent',
  DEID_UNREADABLE_INPUT: 'the instance could not be read',
  DEID_INCOMPLETE_INPUT: 'the instance was read header-only but the plan needs every element',
} as const;

/**
 * A code of the catalogue.
 *
 * @example
 * const c: DeidErrorCode = 'DEID_INVALID_CONFIG';
 */
export type DeidErrorCode = keyof typeof DEID_ERROR_CODES;

/**
 * The one error class of @courier/deid.
 *
 * @example
 * try { planDeidentification(file, config) } catch (e) {
 *   if (e instanceof DeidError && e.code === 'DEID_INVALID_CONFIG') console.log(e.message);
 * }
 */
export class DeidError extends Error {
  override readonly name = 'DeidError';
  readonly code: DeidErrorCode;

  constructor(code: DeidErrorCode, detail: string, options: { cause?: unknown } = {}) {
    super(`${DEID_ERROR_CODES[code]}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
