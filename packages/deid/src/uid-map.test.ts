import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWellKnownUid, remapUid, UidMapper } from './uid-map.js';

describe('UID remapping', () => {
  it('is 2.25. followed by the decimal of the first 128 bits of HMAC-SHA-256(secret, uid)', () => {
    const mac = createHmac('sha256', 'secret-of-study-1').update('1.2.3.4.5').digest();
    const expected = `2.25.${BigInt(`0x${mac.subarray(0, 16).toString('hex')}`).toString(10)}`;
    expect(remapUid('secret-of-study-1', '1.2.3.4.5')).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(64);
  });

  it('is deterministic per secret and differs between secrets', () => {
    const a = new UidMapper('secret-A-0123456789');
    const b = new UidMapper('secret-A-0123456789');
    const c = new UidMapper('secret-B-0123456789');
    expect(a.map('1.2.3')).toBe(b.map('1.2.3'));
    expect(a.map('1.2.3')).not.toBe(c.map('1.2.3'));
    expect(a.map('1.2.3')).not.toBe(a.map('1.2.4'));
  });

  it('ignores trailing padding of the original value', () => {
    const m = new UidMapper('s');
    expect(m.map('1.2.3\0')).toBe(m.map('1.2.3'));
  });

  it('never changes SOP Class, Transfer Syntax or coding scheme UIDs', () => {
    const m = new UidMapper('s');
    expect(m.map('1.2.840.10008.5.1.4.1.1.481.3')).toBe('1.2.840.10008.5.1.4.1.1.481.3');
    expect(m.map('1.2.840.10008.1.2.1')).toBe('1.2.840.10008.1.2.1');
    expect(m.map('2.16.840.1.113883.6.96')).toBe('2.16.840.1.113883.6.96');
    expect(isWellKnownUid('1.3.12.2.1107.5.1.4', (u) => u.startsWith('1.3.12.2.1107.5.1.4'))).toBe(true);
    expect(isWellKnownUid('1.3.6.1.4.1.9590.100.1.2.1')).toBe(false);
  });
});
