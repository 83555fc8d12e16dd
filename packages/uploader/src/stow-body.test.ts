import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRIAL_OPTIONS, type DeidConfig, UidMapper } from '@courier/deid';
import { concatParts, readDicom } from '@courier/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRtSet, writeFiles } from '../test/rt-set.js';
import { deidentifySource } from './deidentify-source.js';
import type { FileSource } from './file-source.js';
import { listFileSources } from './node/file-source.js';
import {
  hashInstance,
  instanceChunks,
  READ_CHUNK_BYTES,
  type StowInstance,
  stowBodyBlob,
  stowBodyStream,
  stowBoundary,
  stowContentType,
  stowOverhead,
} from './stow-body.js';

const config: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'FIX-01-A001',
  patientName: 'A001',
  uidSecret: 'a-test-secret-of-enough-length',
};

/**
 * A strict multipart/related parser (RFC 2046 5.1.1) for the test: splits on the delimiter, checks
 * every part's headers and the closing delimiter, returns the bodies.
 */
function parseMultipart(body: Uint8Array, contentType: string): { type: string; body: Uint8Array }[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (boundary === undefined) throw new Error('no boundary');
  const text = Buffer.from(body).toString('latin1');
  const delimiter = `--${boundary}`;
  expect(text.startsWith(`${delimiter}\r\n`)).toBe(true);
  expect(text.endsWith(`\r\n${delimiter}--\r\n`)).toBe(true);
  const inner = text.slice(0, text.length - `\r\n${delimiter}--\r\n`.length);
  return inner
    .split(`\r\n${delimiter}`)
    .map((chunk, i) => (i === 0 ? chunk.slice(delimiter.length) : chunk))
    .map((chunk) => {
      expect(chunk.startsWith('\r\n')).toBe(true);
      const end = chunk.indexOf('\r\n\r\n');
      const headers = chunk.slice(2, end).split('\r\n');
      const type =
        headers
          .find((h) => h.toLowerCase().startsWith('content-type:'))
          ?.split(':')[1]
          ?.trim() ?? '';
      return { type, body: new Uint8Array(Buffer.from(chunk.slice(end + 4), 'latin1')) };
    });
}

// Array.fromAsync is Node 22+; Courier supports Node 20.19.
async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(Buffer.concat(await all(stream as unknown as AsyncIterable<Uint8Array>)));
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('STOW-RS bodies from the writer parts', () => {
  let dir: string;
  let sources: FileSource[];
  let instances: StowInstance[];
  let expected: Uint8Array[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-stow-'));
    await writeFiles(dir, generateRtSet({ ctSlices: 3 }).files);
    sources = await listFileSources(dir);
    const uids = new UidMapper(config.uidSecret);
    instances = [];
    expected = [];
    for (const source of sources) {
      const { parts } = await deidentifySource(source, config, uids);
      instances.push({ parts, source });
      expected.push(concatParts(parts, await source.read(0, source.size)));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams one application/dicom part per instance, each equal to the de-identified file', async () => {
    const boundary = stowBoundary();
    const sent = new Map<number, { size: number; sha256: string }>();
    const body = await collect(stowBodyStream(instances, boundary, (i, s) => sent.set(i, s)));
    const parts = parseMultipart(body, stowContentType(boundary));
    expect(parts).toHaveLength(sources.length);
    parts.forEach((part, i) => {
      expect(part.type).toBe('application/dicom');
      expect(part.body).toEqual(expected[i]);
      // What the receipt will be compared with: the hash of exactly the bytes sent.
      expect(sent.get(i)).toEqual({ size: expected[i]!.length, sha256: sha(expected[i]!) });
      expect(readDicom(part.body).meta.elements.size).toBeGreaterThan(0);
    });
  });

  it('knows the body length in advance from the part sizes and the overhead', async () => {
    const boundary = stowBoundary();
    const body = await collect(stowBodyStream(instances, boundary));
    const sizes = expected.reduce((n, e) => n + e.length, 0);
    expect(body.length).toBe(sizes + stowOverhead(boundary, instances.length));
  });

  it('builds the same bytes as a Blob of slices for the browser', async () => {
    const boundary = stowBoundary();
    const withBlobs = await Promise.all(
      instances.map(async (i) => ({
        parts: i.parts,
        blob: new Blob([(await i.source.read(0, i.source.size)) as Uint8Array<ArrayBuffer>]),
      })),
    );
    const blob = stowBodyBlob(withBlobs, boundary);
    const fromStream = await collect(stowBodyStream(instances, boundary));
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(fromStream);
  });

  it('hashes an instance the way it is sent', async () => {
    expect(await hashInstance(instances[0]!)).toEqual({ size: expected[0]!.length, sha256: sha(expected[0]!) });
  });
});

describe('instanceChunks', () => {
  function memorySource(bytes: Uint8Array, reads: number[]): FileSource {
    return {
      path: 'memory',
      size: bytes.length,
      async read(offset, length) {
        reads.push(length);
        return bytes.slice(offset, Math.min(bytes.length, offset + length));
      },
    };
  }

  it('reads a long range in bounded chunks, never the whole range at once', async () => {
    const bytes = new Uint8Array(READ_CHUNK_BYTES * 2 + 1000).map((_, i) => i & 0xff);
    const reads: number[] = [];
    const head = new Uint8Array([1, 2, 3]);
    const chunks = await all(
      instanceChunks({ parts: [head, { offset: 10, length: bytes.length - 10 }], source: memorySource(bytes, reads) }),
    );
    expect(Math.max(...reads)).toBeLessThanOrEqual(READ_CHUNK_BYTES);
    // Buffer.equals: a deep equality over 2 MiB element by element takes seconds.
    expect(Buffer.concat(chunks).equals(Buffer.concat([head, bytes.subarray(10)]))).toBe(true);
  });

  it('sends each part head in one chunk with the new header bytes behind it, the same bytes as before', async () => {
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
    const head = new Uint8Array(2000).fill(9);
    const instance: StowInstance = { parts: [head, { offset: 100, length: 4900 }], source: memorySource(bytes, []) };
    const sent: number[] = [];
    const stream = stowBodyStream([instance, instance], 'b1', (_, s) => sent.push(s.size));
    const chunks = await all(stream as unknown as AsyncIterable<Uint8Array>);
    // Per instance: part head + header bytes, then the range; then the closing delimiter.
    expect(chunks.map((c) => c.length)).toEqual([
      '--b1\r\nContent-Type: application/dicom\r\n\r\n'.length + 2000,
      4900,
      '\r\n--b1\r\nContent-Type: application/dicom\r\n\r\n'.length + 2000,
      4900,
      '\r\n--b1--\r\n'.length,
    ]);
    const one = Buffer.concat([head, bytes.subarray(100)]);
    const parts = parseMultipart(Buffer.concat(chunks), stowContentType('b1'));
    expect(parts.map((p) => Buffer.from(p.body).equals(one))).toEqual([true, true]);
    expect(sent).toEqual([6900, 6900]);
  });

  it('fails when the file became shorter than a range', async () => {
    const source = memorySource(new Uint8Array(100), []);
    await expect(all(instanceChunks({ parts: [{ offset: 50, length: 80 }], source }))).rejects.toThrow(
      /changed since it was scanned/,
    );
  });
});
