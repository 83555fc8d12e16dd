import { describe, expect, it } from 'vitest';
import { isStandardTransferSyntax, transferSyntaxFromUID } from './transfer-syntax.js';

describe('transferSyntaxFromUID', () => {
  it.each([
    ['1.2.840.10008.1.2', false, true, false, false],
    ['1.2.840.10008.1.2.1', true, true, false, false],
    ['1.2.840.10008.1.2.1.99', true, true, true, false],
    ['1.2.840.10008.1.2.2', true, false, false, false],
    ['1.2.840.10008.1.2.4.50', true, true, false, true],
    ['1.2.840.10008.1.2.5', true, true, false, true],
    ['1.2.840.10008.1.2.4.201', true, true, false, true],
  ])('describes %s', (uid, explicitVR, littleEndian, deflated, encapsulated) => {
    expect(transferSyntaxFromUID(uid)).toEqual({ uid, explicitVR, littleEndian, deflated, encapsulated });
  });

  it('reads an unknown UID as encapsulated Explicit VR Little Endian', () => {
    expect(transferSyntaxFromUID('1.2.3.4')).toMatchObject({
      explicitVR: true,
      littleEndian: true,
      encapsulated: true,
    });
    expect(isStandardTransferSyntax('1.2.3.4')).toBe(false);
    expect(isStandardTransferSyntax('1.2.840.10008.1.2')).toBe(true);
    expect(isStandardTransferSyntax('1.2.840.10008.1.20')).toBe(false);
  });
});
