import { isByteRange, type OutputPart } from '@courier/dicom';
import type { FileSource } from './file-source.js';
import { createSha256, type IncrementalHash } from './part-hash.js';

/**
 * One instance of a STOW-RS request: the writer's output parts (new header bytes and ranges of the
 * source file) and the file they refer to. Pixel data stays in the file until it is sent.
 *
 * @example
 * const instance: StowInstance = { parts: deidentify(file, config), source };
 */
export interface StowInstance {
  readonly parts: readonly OutputPart[];
  readonly source: FileSource;
}

/** What was sent of one instance: its Part 10 size and the SHA-256 of exactly those bytes. */
export interface SentInstance {
  readonly size: number;
  readonly sha256: string;
}

const encoder = new TextEncoder();
/** Bytes read from a file at a time while streaming a range: bounds memory per request. */
export const READ_CHUNK_BYTES: number = 1024 * 1024;

/**
 * A boundary for a multipart body (RFC 2046 5.1.1: at most 70 characters from a safe set). 128
 * random bits make a collision with DICOM content practically impossible.
 *
 * @example
 * stowBoundary(); // 'courier-3f9a…' (48 characters)
 */
export function stowBoundary(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `courier-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The Content-Type of a STOW-RS request (PS3.18 10.5.1.1, multipart/related per RFC 2387 with
 * type="application/dicom": every part is one Part 10 file).
 *
 * @example
 * stowContentType('b1'); // 'multipart/related; type="application/dicom"; boundary=b1'
 */
export function stowContentType(boundary: string): string {
  return `multipart/related; type="application/dicom"; boundary=${boundary}`;
}

function partHead(boundary: string, first: boolean): Uint8Array {
  // The CRLF before every delimiter but the first belongs to the delimiter (RFC 2046 5.1.1).
  return encoder.encode(`${first ? '' : '\r\n'}--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
}

function closing(boundary: string): Uint8Array {
  return encoder.encode(`\r\n--${boundary}--\r\n`);
}

/**
 * The bytes a multipart body adds around its parts: used to plan batches by body size.
 *
 * @example
 * stowOverhead('b1', 2) + size1 + size2; // total body length
 */
export function stowOverhead(boundary: string, count: number): number {
  if (count === 0) return 0;
  return partHead(boundary, true).length + (count - 1) * partHead(boundary, false).length + closing(boundary).length;
}

/**
 * The bytes of one instance in order, in chunks: new header bytes as they are, source ranges read
 * READ_CHUNK_BYTES at a time. Fails when the file is shorter than a range (changed since the scan).
 *
 * @example
 * for await (const chunk of instanceChunks(instance)) hash.update(chunk);
 */
export async function* instanceChunks(instance: StowInstance): AsyncGenerator<Uint8Array> {
  for (const part of instance.parts) {
    if (!isByteRange(part)) {
      yield part;
      continue;
    }
    for (let at = 0; at < part.length; at += READ_CHUNK_BYTES) {
      const want = Math.min(READ_CHUNK_BYTES, part.length - at);
      const chunk = await instance.source.read(part.offset + at, want);
      if (chunk.length !== want) {
        throw new Error(
          `${instance.source.path} ended at byte ${part.offset + at + chunk.length}: it changed since it was scanned`,
        );
      }
      yield chunk;
    }
  }
}

/**
 * Size and SHA-256 of one instance's bytes, read the way they would be sent.
 *
 * @example
 * const { size, sha256 } = await hashInstance(instance);
 */
export async function hashInstance(
  instance: StowInstance,
  createHash: () => IncrementalHash = createSha256,
): Promise<SentInstance> {
  const hash = createHash();
  let size = 0;
  for await (const chunk of instanceChunks(instance)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digestHex() };
}

/** New header bytes up to this size are copied behind the part head and sent with it. */
const JOIN_BYTES = 64 * 1024;

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A streamed STOW-RS body (Node, or any fetch that accepts a ReadableStream body): the part
 * headers and each instance's header bytes and file ranges, read on demand (pull), so at most one
 * READ_CHUNK_BYTES chunk per request is in memory. Each instance is hashed as it streams and
 * reported through `onSent(index, sent)` after its last byte left.
 *
 * @example
 * const body = stowBodyStream(instances, boundary, (i, sent) => receipts.set(i, sent));
 * await fetch(url, { method: 'POST', body, duplex: 'half', headers: { 'content-type': stowContentType(boundary) } });
 */
export function stowBodyStream(
  instances: readonly StowInstance[],
  boundary: string,
  onSent: (index: number, sent: SentInstance) => void = () => {},
  createHash: () => IncrementalHash = createSha256,
): ReadableStream<Uint8Array> {
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (const [index, instance] of instances.entries()) {
      // The part head goes out with the instance's new header bytes when they are small: one
      // socket write (and one wake-up of the receiver) fewer per instance.
      let head: Uint8Array | undefined = partHead(boundary, index === 0);
      const hash = createHash();
      let size = 0;
      for await (const chunk of instanceChunks(instance)) {
        hash.update(chunk);
        size += chunk.length;
        if (head !== undefined) {
          const joined = chunk.length <= JOIN_BYTES;
          yield joined ? joinBytes(head, chunk) : head;
          head = undefined;
          if (joined) continue;
        }
        yield chunk;
      }
      if (head !== undefined) yield head;
      onSent(index, { size, sha256: hash.digestHex() });
    }
    if (instances.length > 0) yield closing(boundary);
  }
  const iterator = generate();
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

/**
 * The browser's STOW-RS body: a Blob made of the part headers, each instance's new header bytes
 * and slices of its File (`blob.slice` is a reference: pixel data never enters JavaScript memory;
 * the browser streams it when sending). Hash the instances with `hashInstance`, which reads the
 * same slices in chunks.
 *
 * @example
 * const body = stowBodyBlob(instances.map((i) => ({ parts: i.parts, blob: file })), boundary);
 * await fetch(url, { method: 'POST', body, headers: { 'content-type': stowContentType(boundary) } });
 */
export function stowBodyBlob(
  instances: readonly { readonly parts: readonly OutputPart[]; readonly blob: Blob }[],
  boundary: string,
): Blob {
  const pieces: (Blob | Uint8Array<ArrayBuffer>)[] = [];
  for (const [index, instance] of instances.entries()) {
    pieces.push(partHead(boundary, index === 0) as Uint8Array<ArrayBuffer>);
    for (const part of instance.parts) {
      pieces.push(
        isByteRange(part)
          ? instance.blob.slice(part.offset, part.offset + part.length)
          : (part as Uint8Array<ArrayBuffer>),
      );
    }
  }
  if (instances.length > 0) pieces.push(closing(boundary) as Uint8Array<ArrayBuffer>);
  return new Blob(pieces, { type: 'multipart/related' });
}
