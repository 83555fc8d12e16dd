import { randomBytes } from 'node:crypto';

const encoder = new TextEncoder();

/**
 * A fresh multipart boundary (RFC 2046 5.1.1: at most 70 characters, never inside the body; a
 * random one is what every DICOMweb client does, since DICOM bytes may hold any sequence).
 *
 * @example
 * const boundary = newBoundary(); // 'courier-3f9a…'
 */
export function newBoundary(): string {
  return `courier-${randomBytes(24).toString('hex')}`;
}

/**
 * The body of a STOW-RS request (PS3.18 10.5.1.2, `multipart/related; type="application/dicom"`)
 * as a stream that pulls each part from its source only when the network asks for more: no part
 * and no whole batch is ever held in memory. A source that throws errors the stream, which aborts
 * the request, so the PACS never sees a complete message with a truncated part.
 *
 * @example
 * const body = multipartRelatedBody([source], boundary);
 * await fetch(url, { method: 'POST', body, duplex: 'half', headers: { 'content-type': stowContentType(boundary) } });
 */
export function multipartRelatedBody(
  sources: readonly AsyncIterable<Uint8Array>[],
  boundary: string,
): ReadableStream<Uint8Array> {
  async function* parts(): AsyncGenerator<Uint8Array> {
    for (const source of sources) {
      yield encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
      for await (const chunk of source) if (chunk.length > 0) yield chunk;
      yield encoder.encode('\r\n');
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }
  const iterator = parts();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
}

/** The Content-Type of a STOW-RS request with the given boundary (PS3.18 10.5.1.2). */
export function stowContentType(boundary: string): string {
  return `multipart/related; type="application/dicom"; boundary=${boundary}`;
}

/**
 * The boundary parameter of a multipart Content-Type header, or null (RFC 2046 5.1.1; quoted or not).
 *
 * @example
 * boundaryOf('multipart/related; type="application/dicom"; boundary=abc'); // 'abc'
 */
export function boundaryOf(contentType: string | null): string | null {
  if (contentType === null || !/^multipart\//i.test(contentType.trim())) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  outer: for (let i = haystack.indexOf(first ?? 0, from); i !== -1 && i + needle.length <= haystack.length; ) {
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        i = haystack.indexOf(first ?? 0, i + 1);
        continue outer;
      }
    }
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Part headers larger than this are refused (a WADO-RS part header is a few lines). */
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Streams the body of the first part of a multipart message, as a WADO-RS instance retrieve
 * answers (PS3.18 10.4.1.1.1: `multipart/related; type="application/dicom"`, one part per
 * instance). Only a boundary's length of bytes is held back at a time, so an instance of any size
 * passes through in the chunks the network delivers. Throws when the message ends before the
 * closing delimiter, so a cut connection is never taken for a complete instance.
 *
 * @example
 * for await (const chunk of firstPart(response.body, boundaryOf(response.headers.get('content-type'))!)) hash.update(chunk);
 */
export async function* firstPart(body: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<Uint8Array> {
  const opening = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const headerEnd = encoder.encode('\r\n\r\n');
  let pending: Uint8Array = new Uint8Array(0);
  let inBody = false;
  for await (const chunk of body) {
    pending = concat(pending, chunk);
    if (!inBody) {
      const start = indexOf(pending, opening);
      const end = start === -1 ? -1 : indexOf(pending, headerEnd, start);
      if (end === -1) {
        if (pending.length > MAX_HEADER_BYTES) throw new Error('multipart: no part header in the first 16 KiB');
        continue;
      }
      pending = pending.subarray(end + headerEnd.length);
      inBody = true;
    }
    const found = indexOf(pending, delimiter);
    if (found !== -1) {
      if (found > 0) yield pending.subarray(0, found);
      return;
    }
    // Keep the last delimiter-length-minus-one bytes: the delimiter may straddle two chunks.
    const safe = pending.length - (delimiter.length - 1);
    if (safe > 0) {
      yield pending.slice(0, safe);
      pending = pending.slice(safe);
    }
  }
  throw new Error('multipart: the message ended before the closing boundary');
}
