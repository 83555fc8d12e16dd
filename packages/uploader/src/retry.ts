import { ApiError } from '@courier/api';

/**
 * How failed requests are retried: exponential backoff with full jitter (the delay before attempt
 * n+1 is uniform in [0, min(maxDelayMs, baseDelayMs × 2^n)]), bounded by `maxAttempts`, so many
 * clients behind one failing proxy do not retry in step.
 *
 * @example
 * const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (>= 1). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. */
  readonly random?: () => number;
}

/** 6 attempts, 0.5 s doubling up to 30 s: rides out a proxy restart of about a minute. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The delay before the retry that follows failed attempt `attempt` (0-based).
 *
 * @example
 * backoffDelay(3, { ...DEFAULT_RETRY_POLICY, random: () => 0.5 }); // 2000 (half of 500 × 2³)
 */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor((policy.random ?? Math.random)() * cap);
}

/** Gateway and availability statuses a proxy or a restarting Portal answers (RFC 9110 15.6). */
const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/** Socket errors of a cut or refused connection (Node's errno codes and undici's). */
const RETRIABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The HTTP status of a failed Portal request, when it got an answer: `ApiError.details.httpStatus`
 * as the Portal client sets it, else the status of the error's code.
 *
 * @example
 * httpStatusOf(new ApiError('SESSION_EXPIRED')); // 401
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const details = error.details as { httpStatus?: unknown } | undefined;
  return typeof details?.httpStatus === 'number' ? details.httpStatus : error.status;
}

function errnoCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRIABLE_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * Whether a failure is worth retrying: 502 / 503 / 504, or a connection cut, refused or timed out
 * (fetch's "fetch failed" TypeError carries the socket error as `cause`). A 4xx is not: the same
 * request would fail again (401 is handled apart: the engine asks for a login).
 *
 * @example
 * isRetriable(new ApiError('INTERNAL_ERROR', 'proxy', { details: { httpStatus: 503 } })); // true
 */
export function isRetriable(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined) return RETRIABLE_STATUSES.has(status);
  return errnoCode(error) !== undefined;
}

/**
 * A pause that ends early with the signal's reason when it is aborted.
 *
 * @example
 * await sleep(500, signal);
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, a failure is not retriable, or the attempts are used up; the
 * last error is rethrown. `onRetry` hears of each retry before its delay (for the log and the UI).
 *
 * @example
 * const result = await withRetry((n) => client.storeBatch(id, body), DEFAULT_RETRY_POLICY, {
 *   onRetry: (n, delayMs, error) => log.push({ event: 'retry', n, delayMs, reason: String(error) }),
 * });
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  options: {
    readonly signal?: AbortSignal;
    readonly retriable?: (error: unknown) => boolean;
    readonly onRetry?: (attemptNumber: number, delayMs: number, error: unknown) => void;
  } = {},
): Promise<T> {
  const retriable = options.retriable ?? isRetriable;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n + 1 >= policy.maxAttempts || !retriable(error) || options.signal?.aborted) throw error;
      const delay = backoffDelay(n, policy);
      options.onRetry?.(n + 1, delay, error);
      await sleep(delay, options.signal);
    }
  }
}
