/**
 * The error catalogue of the Portal's HTTP API: every failure a client can see has a stable
 * upper-case code, a human message and one HTTP status. Codes are never reused once retired.
 * docs/errors.md documents every code; errors.test.ts checks the two agree both ways.
 */
export const API_ERROR_CODES = {
  // Authentication and sessions
  AUTH_REQUIRED: 'authentication required',
  INVALID_CREDENTIALS: 'user name or password is wrong',
  SESSION_EXPIRED: 'the session has expired; log in again',
  TOKEN_INVALID: 'the API token is unknown or revoked',
  CSRF_INVALID: 'the x-csrf-token header is missing or does not match the session',
  RATE_LIMITED: 'too many attempts; try again later',
  // Authorisation
  FORBIDDEN: 'not allowed for this user',
  // Requests
  VALIDATION_FAILED: 'the request is not valid',
  NOT_FOUND: 'not found',
  ALREADY_EXISTS: 'an item with this identifier already exists',
  PAYLOAD_TOO_LARGE: 'the request body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'the request body has a media type this endpoint does not accept',
  NOT_ACCEPTABLE: 'the Portal cannot answer in a media type or transfer syntax the request accepts',
  // EDC state
  STUDY_LOCKED: 'the study is locked',
  SLOT_FILLED: 'the slot already holds a study; set overwrite to replace it',
  SLOT_SAME_STUDY: 'the slot already holds this study',
  SLOT_EMPTY: 'the slot holds no study',
  // Upload sessions
  UPLOAD_CLOSED: 'the upload session is committed, failed or expired',
  MANIFEST_LOCKED: 'instances are already stored; the manifest can no longer change',
  UPLOAD_INCOMPLETE: 'not every manifest instance is stored and valid; nothing was committed',
  STORE_VERIFY_FAILED: 'the DICOM store did not hold an instance as sent; nothing was committed',
  // Server
  INTERNAL_ERROR: 'internal server error',
} as const;

/** Every code in {@link API_ERROR_CODES}, e.g. `'SESSION_EXPIRED'`. */
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/**
 * The HTTP status for each code. Typed as a `Record` over every code, so adding a code without a
 * status does not compile (the pattern of trpc's getHTTPStatusCode).
 *
 * @example
 * reply.status(API_ERROR_STATUS.FORBIDDEN); // 403
 */
export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  AUTH_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  TOKEN_INVALID: 401,
  CSRF_INVALID: 403,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_ACCEPTABLE: 406,
  STUDY_LOCKED: 409,
  SLOT_FILLED: 409,
  SLOT_SAME_STUDY: 409,
  SLOT_EMPTY: 409,
  UPLOAD_CLOSED: 409,
  MANIFEST_LOCKED: 409,
  UPLOAD_INCOMPLETE: 409,
  STORE_VERIFY_FAILED: 502,
  INTERNAL_ERROR: 500,
};

/** Every error code, in catalogue order. */
export const API_ERROR_CODE_LIST: readonly ApiErrorCode[] = Object.keys(API_ERROR_CODES) as ApiErrorCode[];

/**
 * Tells whether a string is a known error code (for clients reading a response body).
 *
 * @example
 * if (isApiErrorCode(body.code) && body.code === 'SESSION_EXPIRED') await relogin();
 */
export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && Object.hasOwn(API_ERROR_CODES, value);
}

/** The JSON body of every error response. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** Machine-readable detail, e.g. validation issues or `retryAfterSeconds`. */
  details?: unknown;
}

/**
 * The one error class of @courier/api, thrown by the server and rebuilt by clients from a body.
 *
 * @example
 * throw new ApiError('NOT_FOUND', 'subject 42 not found');
 * // client side:
 * const error = ApiError.fromBody(await response.json());
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, detail?: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(
      detail === undefined ? API_ERROR_CODES[code] : `${API_ERROR_CODES[code]}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.details = options.details;
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return API_ERROR_STATUS[this.code];
  }

  /** The response body. */
  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from a response body; unknown codes become INTERNAL_ERROR. */
  static fromBody(body: unknown): ApiError {
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const code = isApiErrorCode(record.code) ? record.code : 'INTERNAL_ERROR';
    const error = new ApiError(code, undefined, { details: record.details });
    if (typeof record.message === 'string') error.message = record.message;
    return error;
  }
}
