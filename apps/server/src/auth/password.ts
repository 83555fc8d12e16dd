import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt parameters: N=2^15, r=8, p=1 as OWASP's Password Storage Cheat Sheet recommends (about
// 32 MiB and tens of milliseconds per hash). They are stored in each hash, so they can be raised
// later without invalidating existing passwords.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt and a random salt into `scrypt$N$r$p$salt$hash` (base64url parts).
 * `cost` (N) defaults to 2^15; test fixtures pass a lower one to stay fast, and verification reads
 * N from the stored hash either way.
 *
 * @example
 * const stored = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string, options: { cost?: number } = {}): Promise<string> {
  const n = options.cost ?? N;
  const salt = randomBytes(16);
  const key = await derive(password, salt, n, R, P);
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time; false for a malformed hash.
 *
 * @example
 * if (!(await verifyPassword(given, user.passwordHash))) throw new ApiError('INVALID_CREDENTIALS');
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the user name is unknown so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

/**
 * Generates a password for a new or demo user: 20 characters from an alphabet without look-alikes.
 *
 * @example
 * generatePassword(); // 'q7Ms4kZp9WfT2nXc8hRb'
 */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let result = '';
  // 256 % 56 !== 0, so reject bytes >= 224 (4 × 56) to keep every character equally likely.
  for (let i = 0; result.length < 20; i++) {
    const byte = i < bytes.length ? bytes[i]! : randomBytes(1)[0]!;
    if (byte < 224) result += alphabet[byte % alphabet.length];
  }
  return result;
}
