import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MultipartError, possibleDelimiterStart, readMultipart, stowBoundaryOf } from './multipart-related.js';

const encoder = new TextEncoder();

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function* pieces(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
}

async function collect(body: Uint8Array, boundary: string, chunkSize: number) {
  return collectFrom(chunks(body, chunkSize), boundary);
}

async function collectFrom(source: AsyncIterable<Uint8Array>, boundary: string) {
  const parts: { headers: Map<string, string>; content: string; ended: boolean }[] = [];
  await readMultipart(source, boundary, async (headers) => {
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

/** A STOW-RS body as the Uploader builds it (stow-body.ts), around the given contents. */
function stowBody(boundary: string, contents: readonly Uint8Array[]): Buffer {
  const out: Buffer[] = [];
  contents.forEach((content, i) => {
    out.push(Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'));
    out.push(Buffer.from(content));
  });
  out.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(out);
}

// Content made of the bytes a delimiter is built from, so near-misses ("\r\n--b", "\r\r\n--") abound.
const trickyContent = fc
  .array(fc.constantFrom('\r', '\n', '-', 'b', '1', 'x', '\r\n--b', '\r\n--b1', '\r\n--b2'), { maxLength: 40 })
  .map((bits) => Buffer.from(bits.join(''), 'latin1'))
  .filter((b) => !b.includes('\r\n--b1'));

describe('readMultipart over chunk boundaries', () => {
  it('gives the same parts wherever a body of tricky contents is cut in two, at every offset', async () => {
    const contents = ['\r\n--b', 'a\r', '\r\n--b2\r\n--', '', '\r\n-\r\n--b\r'].map((c) => Buffer.from(c, 'latin1'));
    const body = stowBody('b1', contents);
    for (let cut = 0; cut <= body.length; cut++) {
      const parts = await collectFrom(pieces(body, [cut]), 'b1');
      expect(parts.map((p) => p.content)).toEqual(contents.map((c) => c.toString('latin1')));
      expect(parts.every((p) => p.ended)).toBe(true);
    }
  });

  it('gives the same parts for any contents and any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(trickyContent, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (contents, rawCuts) => {
          const body = stowBody('b1', contents);
          const cuts = [...new Set(rawCuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
          const parts = await collectFrom(pieces(body, cuts), 'b1');
          expect(parts.map((p) => p.content)).toEqual(contents.map((c) => c.toString('latin1')));
          expect(parts.every((p) => p.ended)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands content on as views of the received chunks, holding back only a possible delimiter start', async () => {
    const content = Buffer.alloc(100_000, 7);
    const body = stowBody('b1', [content]);
    const head = body.indexOf(7);
    const writes: Uint8Array[] = [];
    await readMultipart(pieces(body, [head + 30_000, head + 60_000]), 'b1', async () => ({
      async write(chunk) {
        writes.push(chunk);
      },
      async end() {},
    }));
    expect(writes.map((w) => w.length)).toEqual([30_000, 30_000, 40_000]);
    // The middle chunk reached the sink as it came: the same memory as the body's bytes.
    expect(writes[1]!.buffer).toBe(body.buffer);
  });

  it('refuses a body cut at any offset inside a part, never ending the part', async () => {
    const body = stowBody('b1', [Buffer.from('abc\r\n--b2\r', 'latin1')]);
    // Until the closing delimiter is complete, the part may go on.
    const closing = body.lastIndexOf('\r\n--b1--') + '\r\n--b1'.length;
    for (let cut = body.indexOf('abc'); cut < closing; cut++) {
      let ended = 0;
      const read = readMultipart(pieces(body.subarray(0, cut), []), 'b1', async () => ({
        async write() {},
        async end() {
          ended++;
        },
      }));
      await expect(read).rejects.toBeInstanceOf(MultipartError);
      expect(ended).toBe(0);
    }
  });
});

describe('possibleDelimiterStart', () => {
  it('finds the suffix that begins a delimiter, and nothing when no suffix can', () => {
    const delimiter = Buffer.from('\r\n--b1');
    expect(possibleDelimiterStart(Buffer.from('abc\r\n--b'), delimiter)).toBe(3);
    expect(possibleDelimiterStart(Buffer.from('abc\r'), delimiter)).toBe(3);
    expect(possibleDelimiterStart(Buffer.from('a\r\rb\r\n-'), delimiter)).toBe(4);
    expect(possibleDelimiterStart(Buffer.from('abc\r\nx'), delimiter)).toBe(6);
    expect(possibleDelimiterStart(Buffer.from('\r\n--b'), delimiter)).toBe(0);
    expect(possibleDelimiterStart(Buffer.alloc(0), delimiter)).toBe(0);
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
