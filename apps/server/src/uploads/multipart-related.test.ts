import { describe, expect, it } from 'vitest';
import { MultipartError, readMultipart, stowBoundaryOf } from './multipart-related.js';

const encoder = new TextEncoder();

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(body: Uint8Array, boundary: string, chunkSize: number) {
  const parts: { headers: Map<string, string>; content: string; ended: boolean }[] = [];
  await readMultipart(chunks(body, chunkSize), boundary, async (headers) => {
    const part = { headers, content: '', ended: false };
    parts.push(part);
    return {
      async write(chunk) {
        part.content += Buffer.from(chunk).toString('latin1');
      },
      async end() {
        part.ended = true;
      },
    };
  });
  return parts;
}

const body = encoder.encode(
  'preamble\r\n--b1\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n--b2 x\r\n' +
    '--b1\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--b1--\r\nepilogue',
);

describe('readMultipart', () => {
  it('splits a body into its parts whatever the chunk size, including delimiters split across chunks', async () => {
    for (const size of [1, 2, 3, 5, 7, 11, 64, 1000]) {
      const parts = await collect(body, 'b1', size);
      expect(parts.map((p) => p.content)).toEqual(['first\r\n--b2 x', 'second']);
      expect(parts.every((p) => p.ended && p.headers.get('content-type') === 'application/dicom')).toBe(true);
    }
  });

  it('refuses a body cut inside a part without ending the part', async () => {
    const cut = body.subarray(0, 70);
    await expect(collect(cut, 'b1', 16)).rejects.toBeInstanceOf(MultipartError);
  });
});

describe('stowBoundaryOf', () => {
  it('reads the boundary of a STOW-RS content type, quoted or not, and refuses other types', () => {
    expect(stowBoundaryOf('multipart/related; type="application/dicom"; boundary=b1')).toBe('b1');
    expect(stowBoundaryOf('Multipart/Related; boundary="a b"; type=application/dicom')).toBe('a b');
    expect(stowBoundaryOf('multipart/related; type="application/dicom+xml"; boundary=b1')).toBeUndefined();
    expect(stowBoundaryOf('application/json')).toBeUndefined();
    expect(stowBoundaryOf('multipart/related; type="application/dicom"')).toBeUndefined();
  });
});
