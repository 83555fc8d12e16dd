import { describe, expect, it } from 'vitest';
import { identifierTokens, isCleanText } from './clean-text.js';

const ids = identifierTokens({
  names: ['Doe^Jane Mary', 'Smith^Ann'],
  ids: ['PID12345', 'ACC-9'],
  dates: ['19700102'],
});

describe('cleaning descriptors', () => {
  it('keeps clinical descriptions that name no one and hold no date', () => {
    for (const text of [
      'CT THORAX W/O CONTRAST',
      'AX T1 POST GD',
      'Planning CT 2.5mm',
      'ANNOTATION layer',
      'PTV 60 Gy',
    ]) {
      expect(isCleanText(text, ids), text).toBe(true);
    }
  });

  it('rejects text holding the patient’s or a physician’s name, an ID or the birth date in any common form', () => {
    for (const text of [
      'CT for DOE JANE',
      'jane follow-up',
      'pid12345 thorax',
      'acc-9',
      'born 02.01.1970',
      'Smith protocol',
    ]) {
      expect(isCleanText(text, ids), text).toBe(false);
    }
  });

  it('rejects anything that looks like a date, a person name, an e-mail or a phone number', () => {
    for (const text of [
      'f/u 03/04/2021',
      'scan 20210304',
      'March 3 scan',
      '3 Mar follow up',
      'Dr. Who said',
      'X^Y',
      'mail a@b.org',
      'call 030 1234567',
    ]) {
      expect(isCleanText(text, ids), text).toBe(false);
    }
  });
});
