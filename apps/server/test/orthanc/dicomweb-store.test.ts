import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceKey, InstanceSource } from '../../src/storage/dicom-store.js';
import { dicomwebStore } from '../../src/storage/dicomweb/dicomweb-store.js';
import { orthancChecksums } from '../../src/storage/dicomweb/orthanc-checksum.js';
import { PacsError } from '../../src/storage/dicomweb/pacs-error.js';
import { basicAuth, type PacsHttp } from '../../src/storage/dicomweb/pacs-http.js';
import { randomUid, syntheticCtInstance } from '../../src/storage/dicomweb/synthetic-instance.js';
import { type OrthancProcess, orthancMissing, startOrthanc } from './orthanc-harness.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function* chunks(bytes: Uint8Array, size = 64 * 1024): InstanceSource {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(source: InstanceSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

function newKey(study = randomUid()): InstanceKey {
  return { studyInstanceUid: study, seriesInstanceUid: randomUid(), sopInstanceUid: randomUid() };
}

function storeFor(orthanc: OrthancProcess, authorization = orthanc.authorization, fetchImpl: typeof fetch = fetch) {
  const http: PacsHttp = { fetch: fetchImpl, headers: { authorization } };
  return dicomwebStore({ baseUrl: orthanc.dicomweb, http, checksums: orthancChecksums(http, orthanc.url) });
}

async function rejection(promise: Promise<unknown>): Promise<PacsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PacsError);
  return error as PacsError;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe.skipIf(orthancMissing() !== null)('the DICOMweb store on a real Orthanc', () => {
  let orthanc: OrthancProcess;
  beforeAll(async () => {
    orthanc = await startOrthanc();
  });
  afterAll(async () => {
    await orthanc?.stop();
  });

  it('judges a batch per instance: a bad part is reported while the good ones around it are stored and proven', async () => {
    const study = randomUid();
    const [good1, bad, good2] = [newKey(study), newKey(study), newKey(study)];
    const bytes1 = syntheticCtInstance(good1, { rows: 512, columns: 512 });
    const bytes2 = syntheticCtInstance(good2);
    const results = await storeFor(orthanc).putBatch([
      { key: good1, source: chunks(bytes1) },
      { key: bad, source: chunks(Buffer.from('this is not DICOM at all, Orthanc cannot parse it')) },
      { key: good2, source: chunks(bytes2) },
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const refused = results[1];
    expect(refused?.ok === false && refused.error.code).toBe('PACS_INSTANCE_REFUSED');
    // Orthanc answers 400 for the whole batch although it kept the good parts.
    expect(refused?.ok === false && refused.error.status).toBe(400);
    const store = storeFor(orthanc);
    expect(await store.stat(good1)).toEqual({ ...good1, size: bytes1.length, sha256: sha256(bytes1) });
    expect(await store.verify(good2)).toEqual({ ...good2, size: bytes2.length, sha256: sha256(bytes2) });
    expect(await store.stat(bad)).toBeNull();
    expect((await store.listStudy(study)).map((item) => item.sopInstanceUid).sort()).toEqual(
      [good1.sopInstanceUid, good2.sopInstanceUid].sort(),
    );
  });

  it('reports an instance whose bytes name another study than its key as refused, and it is not stored', async () => {
    const key = newKey();
    const elsewhere = { ...key, studyInstanceUid: randomUid() };
    const [result] = await storeFor(orthanc).putBatch([{ key, source: chunks(syntheticCtInstance(elsewhere)) }]);
    // Posted to /studies/{key's study} (PS3.18 10.5.1): Orthanc puts it in Failed SOP Sequence and answers 409.
    expect(result?.ok === false && [result.error.code, result.error.status]).toEqual(['PACS_INSTANCE_REFUSED', 409]);
    expect(await storeFor(orthanc).stat(key)).toBeNull();
  });

  it('sends one batch spanning two studies and stores both', async () => {
    const [a, b] = [newKey(), newKey()];
    const results = await storeFor(orthanc).putBatch([
      { key: a, source: chunks(syntheticCtInstance(a)) },
      { key: b, source: chunks(syntheticCtInstance(b)) },
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await storeFor(orthanc).stat(b)).not.toBeNull();
  });

  it('streams the STOW-RS body: fetch receives a ReadableStream in half-duplex mode, never a buffer', async () => {
    const bodies: unknown[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && String(input).includes('/dicom-web/')) {
        bodies.push([init.body instanceof ReadableStream, (init as { duplex?: string }).duplex]);
      }
      return fetch(input, init);
    };
    const key = newKey();
    await storeFor(orthanc, orthanc.authorization, recording).put(key, chunks(syntheticCtInstance(key)));
    expect(bodies).toEqual([[true, 'half']]);
  });

  it('rejects wrong credentials with PACS_UNAUTHORIZED and keeps the password out of the message', async () => {
    const store = storeFor(orthanc, basicAuth(orthanc.user, 'wrong-password'));
    const key = newKey();
    const put = await rejection(store.put(key, chunks(syntheticCtInstance(key))));
    expect(put.code).toBe('PACS_UNAUTHORIZED');
    expect(put.status).toBe(401);
    expect(put.message).not.toContain('wrong-password');
    expect((await rejection(store.stat(key))).code).toBe('PACS_UNAUTHORIZED');
    expect((await rejection(store.listStudy(key.studyInstanceUid))).code).toBe('PACS_UNAUTHORIZED');
  });

  it('stat trusts the SHA-256 recorded at storage, verify re-reads the file Orthanc holds and sees it changed', async () => {
    const key = newKey();
    const bytes = syntheticCtInstance(key, { rows: 64, columns: 64 });
    const store = storeFor(orthanc);
    const stored = await store.put(key, chunks(bytes));
    const file = filesUnder(join(orthanc.dir, 'storage')).find((path) => readFileSync(path).equals(bytes));
    expect(file).toBeDefined();
    const tampered = Buffer.from(bytes);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1);
    writeFileSync(file as string, tampered);
    expect(await store.stat(key)).toEqual(stored);
    expect(await store.verify(key)).toEqual({ ...key, size: bytes.length, sha256: sha256(tampered) });
  });

  it('reads a 512 × 512 slice back through WADO-RS byte for byte', async () => {
    const key = newKey();
    const bytes = syntheticCtInstance(key, { rows: 512, columns: 512 });
    const store = storeFor(orthanc);
    await store.put(key, chunks(bytes, 100_003));
    const read = await store.read(key);
    expect((await collect(read as InstanceSource)).equals(bytes)).toBe(true);
  });
});

describe.skipIf(orthancMissing() !== null)('the DICOMweb store when Orthanc goes away', () => {
  it('answers PACS_UNREACHABLE when Orthanc stops mid-upload and for every call after', async () => {
    const orthanc = await startOrthanc();
    try {
      const store = storeFor(orthanc);
      const first = newKey();
      await store.put(first, chunks(syntheticCtInstance(first)));
      const key = newKey();
      const bytes = syntheticCtInstance(key, { rows: 256, columns: 256 });
      // A source that stops Orthanc after its first chunk: the request dies while the body streams.
      async function* stopsOrthanc(): InstanceSource {
        yield bytes.subarray(0, 4096);
        await orthanc.stop();
        yield bytes.subarray(4096);
      }
      const midway = await rejection(store.put(key, stopsOrthanc()));
      expect(midway.code).toBe('PACS_UNREACHABLE');
      expect((await rejection(store.stat(first))).code).toBe('PACS_UNREACHABLE');
      expect((await rejection(store.read(first))).code).toBe('PACS_UNREACHABLE');
      expect((await rejection(store.put(key, chunks(bytes)))).message).toMatch(/cannot be reached.*ECONNREFUSED/);
    } finally {
      await orthanc.stop();
    }
  });
});

describe.skipIf(orthancMissing() !== null)('the DICOMweb store on an Orthanc that keeps the first copy', () => {
  it('reports PACS_CHECKSUM_MISMATCH when Orthanc answers success but kept other bytes (OverwriteInstances false)', async () => {
    const orthanc = await startOrthanc({ overwriteInstances: false });
    try {
      const store = storeFor(orthanc);
      const key = newKey();
      const first = syntheticCtInstance(key);
      await store.put(key, chunks(first));
      const error = await rejection(store.put(key, chunks(syntheticCtInstance(key, { rows: 8, columns: 8 }))));
      expect(error.code).toBe('PACS_CHECKSUM_MISMATCH');
      expect((await store.verify(key))?.sha256).toBe(sha256(first));
    } finally {
      await orthanc.stop();
    }
  });
});
