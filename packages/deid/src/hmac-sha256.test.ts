import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256, sha256 } from './hmac-sha256.js';

const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);

describe('HmacSha256', () => {
  it('equals Node crypto for keys and messages around every block boundary (FIPS 180-4 padding)', () => {
    for (const keyLength of [0, 1, 20, 63, 64, 65, 130]) {
      const key = bytes(keyLength, keyLength);
      const mac = new HmacSha256(key);
      for (let n = 0; n <= 200; n++) {
        const message = bytes(n, n + 1);
        const expected = createHmac('sha256', key).update(message).digest();
        expect(Buffer.from(mac.digest(message)).equals(expected), `key ${keyLength}, message ${n}`).toBe(true);
      }
    }
  });

  it('hashes ASCII strings as their bytes and other strings as UTF-8', () => {
    const key = new TextEncoder().encode('per-study-secret');
    const mac = new HmacSha256(key);
    const texts = ['', '1.2.3.4', '2.25.1'.repeat(11), '1'.repeat(64), '1'.repeat(65), 'Müller^Jürgen', '1.2.€'];
    for (const text of texts) {
      expect(Buffer.from(mac.digestAscii(text)).toString('hex'), text).toBe(
        createHmac('sha256', key).update(text, 'utf8').digest('hex'),
      );
    }
  });

  it('keeps no state between messages', () => {
    const mac = new HmacSha256(new Uint8Array([1, 2, 3]));
    const first = mac.digestAscii('1.2.840.99.1');
    mac.digest(bytes(150, 3));
    expect(mac.digestAscii('1.2.840.99.1')).toEqual(first);
  });
});

describe('sha256', () => {
  it('equals Node crypto, the empty message included', () => {
    for (const n of [0, 3, 55, 56, 64, 119, 120, 1000]) {
      expect(Buffer.from(sha256(bytes(n, 5))).toString('hex')).toBe(
        createHash('sha256').update(bytes(n, 5)).digest('hex'),
      );
    }
  });
});
