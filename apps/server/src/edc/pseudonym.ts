import { randomInt } from 'node:crypto';

/** Crockford's base 32: digits and letters without I, L, O, U, so a pseudonym reads back unambiguously. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_LENGTH = 8;

/**
 * The Luhn mod N check character over {@link ALPHABET} (N = 32): it catches every single-character
 * error and every transposition of adjacent characters.
 */
function checkCharacter(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let value = ALPHABET.indexOf(body[i]!);
    if (double) {
      value *= 2;
      value = Math.floor(value / 32) + (value % 32);
    }
    sum += value;
    double = !double;
  }
  return ALPHABET[(32 - (sum % 32)) % 32]!;
}

/**
 * A new subject pseudonym (the PID written as Patient ID and Patient Name): 8 random characters
 * (40 bits, never derived from the subject's identity) and a check character.
 *
 * @example
 * newPseudonym(); // 'K3M9QXR4W'
 */
export function newPseudonym(): string {
  let body = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return body + checkCharacter(body);
}

/**
 * Whether a string is a well-formed pseudonym with a correct check character.
 *
 * @example
 * isValidPseudonym('K3M9QXR4W'); // true or false by its check character
 */
export function isValidPseudonym(value: string): boolean {
  if (value.length !== RANDOM_LENGTH + 1 || ![...value].every((c) => ALPHABET.includes(c))) return false;
  return checkCharacter(value.slice(0, -1)) === value.at(-1);
}
