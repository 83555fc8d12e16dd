import { randomBytes } from 'node:crypto';

/** One part of a multipart/related response: its headers and its bytes, opened only when written. */
export interface ResponsePart {
  contentType: string;
  /** PS3.18 8.6.1.2: Content-Location of the part (the retrieve URL of an instance). */
  location?: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/**
 * A fresh boundary (RFC 2046 5.1.1: at most 70 characters; random, so no DICOM byte run can equal it
 * except by a 2^-128 chance).
 *
 * @example
 * const boundary = newBoundary();
 */
export function newBoundary(): string {
  return `courier-${randomBytes(16).toString('hex')}`;
}

/**
 * Writes a multipart/related body (RFC 2387, PS3.18 8.6.1.2) part after part. Each part's source is
 * opened only when the previous one is done and passed through chunk by chunk, so the body is
 * never held whole: wrapped in Readable.from, the consumer's pace (backpressure) drives the reads,
 * and a client that goes away ends the generator, which closes the open source.
 *
 * @example
 * reply.header('content-type', `multipart/related; type="application/dicom"; boundary=${boundary}`);
 * return Readable.from(multipartBody(parts, boundary));
 */
export async function* multipartBody(
  parts: AsyncIterable<ResponsePart> | Iterable<ResponsePart>,
  boundary: string,
): AsyncGenerator<Uint8Array, void, undefined> {
  let first = true;
  for await (const part of parts) {
    const location = part.location === undefined ? '' : `Content-Location: ${part.location}\r\n`;
    yield Buffer.from(`${first ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${part.contentType}\r\n${location}\r\n`);
    first = false;
    for await (const chunk of await part.open()) yield chunk;
  }
  yield Buffer.from(`${first ? '' : '\r\n'}--${boundary}--\r\n`);
}
