import { describe, expect, it } from 'vitest';
import { decodeText, isKnownCharacterSet } from './character-set.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const esc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe('decodeText', () => {
  it('decodes the default repertoire and Latin-1', () => {
    expect(decodeText(bytes(0x41, 0x42), undefined, 'PN')).toBe('AB');
    expect(decodeText(bytes(0xc4, 0x6e), 'ISO_IR 100', 'PN')).toBe('Än');
  });

  it('decodes single-byte sets other than Latin-1 (Cyrillic ISO_IR 144)', () => {
    expect(decodeText(bytes(0xbb, 0xee, 0xda), 'ISO_IR 144', 'PN')).toBe('Люк');
  });

  it('decodes UTF-8 (ISO_IR 192)', () => {
    expect(decodeText(new TextEncoder().encode('王^小東'), 'ISO_IR 192', 'PN')).toBe('王^小東');
  });

  it('decodes ISO 2022 escape sequences for Japanese (ISO 2022 IR 87)', () => {
    // "Yamada^Tarou=山田^太郎" from pydicom's chrH31.dcm
    const value = esc('Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B');
    expect(decodeText(Uint8Array.from(value), '\\ISO 2022 IR 87', 'PN')).toBe('Yamada^Tarou=山田^太郎');
  });

  it('accepts a return to ASCII with ESC ( B even when ISO 2022 IR 6 is not declared', () => {
    const value = esc('\xd4\xcf=\x1b$B;3ED\x1b(B');
    expect(decodeText(Uint8Array.from(value), 'ISO 2022 IR 13\\ISO 2022 IR 87', 'PN')).toBe('ﾔﾏ=山田');
  });

  it('falls back to Latin-1 for an unknown character set', () => {
    expect(decodeText(bytes(0xe9), 'ISO_IR 999', 'LO')).toBe('é');
    expect(isKnownCharacterSet('ISO_IR 999')).toBe(false);
    expect(isKnownCharacterSet('ISO 2022 IR 149')).toBe(true);
  });
});
