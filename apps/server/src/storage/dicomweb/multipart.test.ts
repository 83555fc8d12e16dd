import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundaryOf, firstPart, multipartRelatedBody, newBoundary, stowContentType } from './multipart.js';

async function* source(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('multipart/related bodies (PS3.18 8.6.1.2, RFC 2046)', () => {
  it('writes each part with its Content-Type header between boundary delimiters and a closing delimiter', async () => {
    const body = await collect(
      multipartRelatedBody([source(Buffer.from('AB'), 1), source(Buffer.from('CD'), 2)], 'b0'),
    );
    expect(body.toString('latin1')).toBe(
      '--b0\r\nContent-Type: application/dicom\r\n\r\nAB\r\n--b0\r\nContent-Type: application/dicom\r\n\r\nCD\r\n--b0--\r\n',
    );
  });

  it('reads the first part back byte for byte whatever the chunk size, even when the delimiter straddles chunks', async () => {
    const payload = randomBytes(5000);
    const boundary = newBoundary();
    const message = await collect(multipartRelatedBody([source(payload, 4096)], boundary));
    for (const size of [1, 7, 64, 100, 4999, 100_000]) {
      expect((await collect(firstPart(source(message, size), boundary))).equals(payload)).toBe(true);
    }
  });

  it('skips a preamble and part headers such as Content-Length', async () => {
    const message = Buffer.from(
      'preamble\r\n--x\r\nContent-Type: application/dicom\r\nContent-Length: 3\r\n\r\nabc\r\n--x--',
    );
    expect((await collect(firstPart(source(message, 5), 'x'))).toString()).toBe('abc');
  });

  it('throws when the message ends before the closing boundary (a cut connection is no instance)', async () => {
    const message = Buffer.from('--x\r\nContent-Type: application/dicom\r\n\r\nabcdefgh');
    await expect(collect(firstPart(source(message, 3), 'x'))).rejects.toThrow('ended before the closing boundary');
  });

  it('throws on a message without part headers instead of buffering it', async () => {
    await expect(collect(firstPart(source(randomBytes(20_000), 1000), 'x'))).rejects.toThrow('no part header');
  });

  it('takes the boundary from a quoted or bare Content-Type parameter and refuses non-multipart types', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary="a b"')).toBe('a b');
    expect(boundaryOf(stowContentType('abc'))).toBe('abc');
    expect(boundaryOf('application/dicom')).toBeNull();
    expect(boundaryOf(null)).toBeNull();
  });
});
