import { describe, expect, it } from 'vitest';
import { encodeText, textEncodingFor } from './encode-text.js';
import { DicomError } from './errors.js';

describe('textEncodingFor', () => {
  it('maps the Specific Character Set to the encoding used for new text (PS3.5 6.1.2.3)', () => {
    expect(textEncodingFor([]).kind).toBe('ascii');
    expect(textEncodingFor(['ISO_IR 6']).kind).toBe('ascii');
    expect(textEncodingFor(['ISO_IR 100 ']).kind).toBe('latin1');
    expect(textEncodingFor(['ISO_IR 192']).kind).toBe('utf8');
  });

  it('accepts only ASCII for code extensions and character sets it does not encode', () => {
    expect(textEncodingFor(['', 'ISO 2022 IR 87'])).toEqual({ kind: 'ascii', name: '\\ISO 2022 IR 87' });
    expect(textEncodingFor(['ISO_IR 100', 'ISO 2022 IR 87']).kind).toBe('ascii');
    expect(textEncodingFor(['GB18030']).kind).toBe('ascii');
  });
});

describe('encodeText', () => {
  it('writes Latin-1 one byte per character and UTF-8 as UTF-8', () => {
    expect([...encodeText('Zoë', textEncodingFor(['ISO_IR 100']))]).toEqual([0x5a, 0x6f, 0xeb]);
    expect([...encodeText('Zoë', textEncodingFor(['ISO_IR 192']))]).toEqual([0x5a, 0x6f, 0xc3, 0xab]);
  });

  it('names the character set when a character does not fit it', () => {
    expect(() => encodeText('Zoë', textEncodingFor([]))).toThrow(/U\+00EB.*"ISO_IR 6".*ISO_IR 192/);
    expect(() => encodeText('€', textEncodingFor(['ISO_IR 100']))).toThrow(DicomError);
  });
});
