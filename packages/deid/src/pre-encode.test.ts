import { type NewElement, readDicom, writeDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../test/build-instance.js';
import { concat } from '../test/concat.js';
import { preEncoded, preEncodedElements, uidBytes } from './pre-encode.js';

const latin1 = (b: unknown) => (b instanceof Uint8Array ? new TextDecoder('latin1').decode(b) : b);

describe('pre-encoded values', () => {
  it('encodes ASCII text once, padded as the VR requires, and leaves other values to the writer', () => {
    expect(latin1(preEncoded('DA', '19000101'))).toBe('19000101');
    expect(latin1(preEncoded('LO', 'ANONYMIZED'))).toBe('ANONYMIZED');
    expect(latin1(preEncoded('CS', 'YES'))).toBe('YES ');
    expect(preEncoded('PN', 'Müller^Jörg')).toBe('Müller^Jörg'); // not ASCII: the file's character set decides
    expect(preEncoded('DA', 'yesterday')).toBe('yesterday'); // invalid: the writer reports it
    expect(preEncoded('US', [0])).toEqual([0]); // binary: byte order matters
    expect(latin1(uidBytes('2.25.12\\2.25.34'))).toBe('2.25.12\\2.25.34');
    const [sq] = preEncodedElements([
      { tag: 0x00120064, vr: 'SQ', value: [[{ tag: 0x00080100, vr: 'SH', value: '113100' }]] },
    ]);
    expect(latin1((sq!.value as NewElement[][])[0]![0]!.value)).toBe('113100');
  });

  it('writes the same bytes as plain values, whatever the Specific Character Set', () => {
    for (const charset of ['ISO_IR 100', 'ISO_IR 192', '\\ISO 2022 IR 87']) {
      const input = buildInstance([
        { tag: 0x00080005, vr: 'CS', value: charset },
        { tag: 0x00080018, vr: 'UI', value: '1.2.3' },
        { tag: 0x00100010, vr: 'PN', value: 'X' },
      ]);
      const file = readDicom(input);
      const plain: NewElement[] = [
        { tag: 0x00100010, vr: 'PN', value: 'T1' },
        { tag: 0x00100030, vr: 'DA', value: '19000101' },
        { tag: 0x00080018, vr: 'UI', value: '2.25.123' },
      ];
      const pre = [...preEncodedElements(plain.slice(0, 2)), { ...plain[2]!, value: uidBytes('2.25.123') }];
      const a = concat(writeDicom(file, { set: plain }), input);
      const b = concat(writeDicom(file, { set: pre }), input);
      expect(b, charset).toEqual(a);
    }
  });
});
