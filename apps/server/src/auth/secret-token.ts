import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A new random secret (256 bits, base64url) with an optional prefix that makes leaked tokens
 * recognisable by secret scanners, e.g. `courier_pat_…` for personal API tokens.
 *
 * @example
 * const token = newSecretToken('courier_pat_');
 */
export function newSecretToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * The SHA-256 (hex) under which a token is stored: the database never holds a usable secret. A
 * fast hash is enough because the token has 256 bits of entropy (no dictionary to guess from).
 *
 * @example
 * const id = tokenHash(cookieValue);
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Compares two secrets in constant time.
 *
 * @example
 * if (!sameSecret(header, session.csrfToken)) throw new ApiError('CSRF_INVALID');
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
