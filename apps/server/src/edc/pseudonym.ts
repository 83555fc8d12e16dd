import { randomInt } from 'node:crypto';

/** Crockford's base 32: digits and letters without I, L, O, U, so a pseudonym reads back unambiguously. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_LENGTH = 8;
/** The check modulus: a prime above the alphabet size (the idea of ISO/IEC 7064's pure systems). */
const MODULUS = 37;

/**
 * Weighted sum of the characters modulo 37 with weights 2^k (2 is a primitive root of 37, so the
 * nine weights are distinct and non-zero). A single changed character alters the sum by
 * w·(a−b) and a swap of neighbours by (w₁−w₂)·(a−b); with |a−b| < 37 and 37 prime neither is ever
 * a multiple of 37, so every single-character error and every adjacent transposition is detected
 * (Luhn mod N misses some transpositions, e.g. 0↔Z).
 */
function weightedSum(value: string): number {
  let sum = 0;
  let weight = 1;
  for (let i = value.length - 1; i >= 0; i--) {
    sum = (sum + ALPHABET.indexOf(value[i]!) * weight) % MODULUS;
    weight = (weight * 2) % MODULUS;
  }
  return sum;
}

/**
 * A new subject pseudonym (the PID written as Patient ID and Patient Name): 8 random characters
 * (40 bits, never derived from the subject's identity) and a check character. A body whose check
 * value (0–36) has no character in the 32-letter alphabet is drawn again.
 *
 * @example
 * newPseudonym(); // e.g. 'K3M9QXR4W'
 */
export function newPseudonym(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < RANDOM_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
    // The check character has weight 1: choose it so that the weighted sum of all nine is 0 mod 37.
    const check = (MODULUS - ((weightedSum(body) * 2) % MODULUS)) % MODULUS;
    if (check < ALPHABET.length) return body + ALPHABET[check];
  }
}

/**
 * Whether a string is a well-formed pseudonym with a correct check character.
 *
 * @example
 * isValidPseudonym(newPseudonym()); // true
 */
export function isValidPseudonym(value: string): boolean {
  if (value.length !== RANDOM_LENGTH + 1 || ![...value].every((c) => ALPHABET.includes(c))) return false;
  return weightedSum(value) === 0;
}
