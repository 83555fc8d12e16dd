import { describe, expect, it } from 'vitest';
import { isValidPseudonym, newPseudonym } from './pseudonym.js';

describe('pseudonyms', () => {
  it('are 9 characters of Crockford base 32 with a valid check character', () => {
    for (let i = 0; i < 200; i++) {
      const pseudonym = newPseudonym();
      expect(pseudonym).toMatch(/^[0-9A-HJKMNP-TV-Z]{9}$/);
      expect(isValidPseudonym(pseudonym)).toBe(true);
    }
  });

  it('detect every single-character change', () => {
    const pseudonym = newPseudonym();
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < pseudonym.length; i++) {
      for (const c of alphabet) {
        if (c === pseudonym[i]) continue;
        expect(isValidPseudonym(pseudonym.slice(0, i) + c + pseudonym.slice(i + 1))).toBe(false);
      }
    }
  });

  it('detect swapped neighbours', () => {
    for (let n = 0; n < 50; n++) {
      const pseudonym = newPseudonym();
      for (let i = 0; i + 1 < pseudonym.length; i++) {
        if (pseudonym[i] === pseudonym[i + 1]) continue;
        const swapped = pseudonym.slice(0, i) + pseudonym[i + 1] + pseudonym[i] + pseudonym.slice(i + 2);
        expect(isValidPseudonym(swapped)).toBe(false);
      }
    }
  });

  it('are random, not derived from anything', () => {
    expect(new Set(Array.from({ length: 1000 }, newPseudonym)).size).toBe(1000);
  });
});

describe('the check character', () => {
  it('catches the swap of 0 and Z that Luhn mod 32 misses', () => {
    let pseudonym = newPseudonym();
    while (!pseudonym.startsWith('0Z')) pseudonym = newPseudonym();
    expect(isValidPseudonym(`Z0${pseudonym.slice(2)}`)).toBe(false);
  });
});
