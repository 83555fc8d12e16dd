import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DicomStore, InstanceKey, InstanceSource } from '../dicom-store.js';
import { fileSystemStore } from './file-system-store.js';

const key: InstanceKey = { studyInstanceUid: '2.25.1', seriesInstanceUid: '2.25.1.2', sopInstanceUid: '2.25.1.2.3' };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function* chunks(bytes: Uint8Array, size = 64 * 1024): InstanceSource {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function* failingAfter(bytes: Uint8Array): InstanceSource {
  yield bytes.subarray(0, 1000);
  throw new Error('connection reset');
}

async function collect(source: InstanceSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('the file-system DICOM store', () => {
  let root: string;
  let store: DicomStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'courier-store-'));
    store = fileSystemStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores streamed bytes and reports their size and SHA-256, then reads them back unchanged', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const stored = await store.put(key, chunks(bytes));
    expect(stored).toEqual({ ...key, size: bytes.length, sha256: sha256(bytes) });
    expect(await store.stat(key)).toEqual(stored);
    expect(await store.verify(key)).toEqual(stored);
    expect((await collect((await store.read(key))!)).equals(bytes)).toBe(true);
  });

  it('answers null for an instance it does not hold', async () => {
    expect(await store.stat(key)).toBeNull();
    expect(await store.verify(key)).toBeNull();
    expect(await store.read(key)).toBeNull();
    expect(await store.listStudy(key.studyInstanceUid)).toEqual([]);
  });

  it('leaves nothing behind when the source fails, and keeps an earlier copy intact', async () => {
    await expect(store.put(key, failingAfter(randomBytes(5000)))).rejects.toThrow('connection reset');
    expect(await store.stat(key)).toBeNull();
    expect(readdirSync(join(root, key.studyInstanceUid, key.seriesInstanceUid))).toEqual([]);
    const original = randomBytes(4000);
    await store.put(key, chunks(original));
    await expect(store.put(key, failingAfter(randomBytes(5000)))).rejects.toThrow();
    expect((await store.verify(key))!.sha256).toBe(sha256(original));
  });

  it('is idempotent per SOP Instance UID: the same bytes again change nothing', async () => {
    const bytes = randomBytes(2000);
    const first = await store.put(key, chunks(bytes));
    const second = await store.put(key, chunks(bytes));
    expect(second).toEqual(first);
    expect(await store.listStudy(key.studyInstanceUid)).toEqual([first]);
  });

  it('detects bytes changed on disk after storage (verify re-reads, stat trusts the record)', async () => {
    const stored = await store.put(key, chunks(randomBytes(2000)));
    writeFileSync(
      join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.dcm`),
      randomBytes(2000),
    );
    expect((await store.stat(key))!.sha256).toBe(stored.sha256);
    expect((await store.verify(key))!.sha256).not.toBe(stored.sha256);
  });

  it('rebuilds a missing size-and-hash record from the bytes (crash between the two renames)', async () => {
    const bytes = randomBytes(1500);
    await store.put(key, chunks(bytes));
    unlinkSync(join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.json`));
    expect(await store.stat(key)).toEqual({ ...key, size: 1500, sha256: sha256(bytes) });
  });

  it('lists a study by series and SOP Instance UID', async () => {
    const keys = [
      { ...key, seriesInstanceUid: '2.25.1.9', sopInstanceUid: '2.25.1.9.1' },
      { ...key, sopInstanceUid: '2.25.1.2.5' },
      key,
    ];
    for (const k of keys) await store.put(k, chunks(randomBytes(300)));
    const listed = await store.listStudy(key.studyInstanceUid);
    expect(listed.map((i) => i.sopInstanceUid)).toEqual(['2.25.1.2.3', '2.25.1.2.5', '2.25.1.9.1']);
  });

  it('refuses keys that are not DICOM UIDs, so nothing escapes its folder', async () => {
    for (const bad of ['..', '../../etc', '1.2/3', '1.02', '']) {
      await expect(store.put({ ...key, sopInstanceUid: bad }, chunks(randomBytes(10)))).rejects.toThrow(RangeError);
      await expect(store.stat({ ...key, studyInstanceUid: bad })).rejects.toThrow(RangeError);
    }
  });
});
