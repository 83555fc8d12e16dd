import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

  it('takes a staged file on the same file system by hard link: the stored entry is that file, no byte copied', async () => {
    const staging = mkdtempSync(join(tmpdir(), 'courier-staging-'));
    try {
      const bytes = randomBytes(70_000);
      const path = join(staging, 'a.dcm');
      writeFileSync(path, bytes);
      const [result] = await store.putMany([{ key, path, size: bytes.length, sha256: sha256(bytes) }]);
      expect(result).toEqual({ key, ok: true, stored: { ...key, size: bytes.length, sha256: sha256(bytes) } });
      const stored = statSync(join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.dcm`));
      expect([stored.ino, stored.nlink]).toEqual([statSync(path).ino, 2]);
      // Staging removed after commit: the stored file keeps the bytes.
      rmSync(staging, { recursive: true });
      expect(await store.verify(key)).toEqual(result?.ok ? result.stored : null);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });

  // /dev/shm is a tmpfs on Linux: a file system other than the temp folder's, so link fails with EXDEV.
  const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  it.skipIf(!otherFs)(
    'copies a staged file from another file system, hashing it: a staged file that changed since receipt is refused',
    async () => {
      const staging = mkdtempSync('/dev/shm/courier-staging-');
      try {
        const bytes = randomBytes(90_000);
        const path = join(staging, 'a.dcm');
        writeFileSync(path, bytes);
        const item = { key, path, size: bytes.length, sha256: sha256(bytes) };
        const [copied] = await store.putMany([item]);
        expect(copied?.ok).toBe(true);
        const stored = statSync(join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.dcm`));
        expect(stored.nlink).toBe(1);
        const other = { ...key, sopInstanceUid: '2.25.1.2.4' };
        writeFileSync(path, randomBytes(bytes.length)); // same size, other bytes
        const [refused] = await store.putMany([{ ...item, key: other }]);
        expect(refused?.ok).toBe(false);
        expect(refused?.ok === false && refused.reason).toMatch(/not what was received/);
        expect(await store.stat(other)).toBeNull();
        expect(readdirSync(join(root, key.studyInstanceUid, key.seriesInstanceUid)).sort()).toEqual([
          `${key.sopInstanceUid}.dcm`,
          `${key.sopInstanceUid}.json`,
        ]);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
  );

  it('rebuilds a torn size-and-hash record (a sidecar written without fsync, cut by a crash)', async () => {
    const bytes = randomBytes(1200);
    await store.put(key, chunks(bytes));
    writeFileSync(join(root, key.studyInstanceUid, key.seriesInstanceUid, `${key.sopInstanceUid}.json`), '{"si');
    expect(await store.stat(key)).toEqual({ ...key, size: 1200, sha256: sha256(bytes) });
  });
});
