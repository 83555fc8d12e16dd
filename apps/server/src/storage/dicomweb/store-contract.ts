import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DicomStore, InstanceKey, InstanceSource, StagedInstance } from '../dicom-store.js';
import { randomUid, syntheticCtInstance } from './synthetic-instance.js';

/** pydicom's test files (Debian python3-pydicom), real DICOM written by other software. */
const PYDICOM_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** Real files with the UIDs in their headers (read with dcmdump), so a PACS files them where asked. */
const REAL_FILES: { name: string; key: InstanceKey }[] = [
  {
    name: 'CT_small.dcm', // CT Image Storage, Explicit VR Little Endian, 128 × 128
    key: {
      studyInstanceUid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      seriesInstanceUid: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
      sopInstanceUid: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
    },
  },
  {
    name: 'rtplan.dcm', // RT Plan Storage, Implicit VR Little Endian, nested sequences, no pixels
    key: {
      studyInstanceUid: '1.22.333.4.555555.6.7777777777777777777777777777',
      seriesInstanceUid: '1.2.333.444.55.6.7777.8888',
      sopInstanceUid: '1.2.777.777.77.7.7777.7777.20030903150023',
    },
  },
];

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function* chunks(bytes: Uint8Array, size = 16 * 1024): InstanceSource {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function* failingAfter(bytes: Uint8Array): InstanceSource {
  yield bytes.subarray(0, 1000);
  await new Promise((resolve) => setTimeout(resolve, 20));
  throw new Error('connection reset');
}

async function collect(source: InstanceSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

function newKey(study = randomUid(), series = randomUid()): InstanceKey {
  return { studyInstanceUid: study, seriesInstanceUid: series, sopInstanceUid: randomUid() };
}

/**
 * The behaviour every DicomStore must show, as one vitest suite to run over each backend (the
 * file-system store and the DICOMweb store on Orthanc run the same tests). The instances are real
 * DICOM (pydicom's files and synthetic CT slices) because a PACS refuses anything else; every test
 * uses fresh UIDs, so one long-lived PACS can serve the whole suite.
 *
 * @example
 * describeDicomStore('file-system', () => fileSystemStore(mkdtempSync(join(tmpdir(), 'store-'))));
 */
export function describeDicomStore(name: string, makeStore: () => DicomStore): void {
  describe(`the DicomStore contract: ${name}`, () => {
    let store: DicomStore;
    let staging: string;
    beforeEach(() => {
      store = makeStore();
      staging = mkdtempSync(join(tmpdir(), 'courier-staging-'));
    });
    afterEach(() => rmSync(staging, { recursive: true, force: true }));

    /** Writes an instance to staging as upload-batch.ts does, with the size and hash of receipt. */
    function stage(key: InstanceKey, bytes: Uint8Array): StagedInstance {
      const path = join(staging, `${key.sopInstanceUid}.dcm`);
      writeFileSync(path, bytes);
      return { key, path, size: bytes.length, sha256: sha256(bytes) };
    }

    it('takes staged files with putMany, proves each, lists their keys and leaves the staged files as they were', async () => {
      const study = randomUid();
      const series = randomUid();
      const keys = [newKey(study, series), newKey(study, series), newKey(study)];
      const bytes = keys.map((key, i) => syntheticCtInstance(key, { instanceNumber: i + 1 }));
      const staged = keys.map((key, i) => stage(key, bytes[i] as Uint8Array));
      const results = await store.putMany(staged);
      expect(results).toEqual(
        staged.map((item) => ({
          key: item.key,
          ok: true,
          stored: { ...item.key, size: item.size, sha256: item.sha256 },
        })),
      );
      for (const [i, item] of staged.entries()) {
        expect(await store.stat(item.key)).toEqual({ ...item.key, size: item.size, sha256: item.sha256 });
        expect(await store.verify(item.key)).toEqual({ ...item.key, size: item.size, sha256: item.sha256 });
        expect(readFileSync(item.path).equals(bytes[i] as Uint8Array)).toBe(true);
      }
      const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
      const expected = [...keys].sort(
        (a, b) => order(a.seriesInstanceUid, b.seriesInstanceUid) || order(a.sopInstanceUid, b.sopInstanceUid),
      );
      expect(await store.listKeys(study)).toEqual(expected);
      expect(await store.listKeys(randomUid())).toEqual([]);
    });

    it('refuses in putMany only the instances whose staged file is missing or not the size received, storing the rest', async () => {
      const study = randomUid();
      const [good, missing, resized] = [newKey(study), newKey(study), newKey(study)] as [
        InstanceKey,
        InstanceKey,
        InstanceKey,
      ];
      const goodItem = stage(good, syntheticCtInstance(good));
      const missingItem = { ...stage(missing, syntheticCtInstance(missing)), path: join(staging, 'gone.dcm') };
      const resizedBytes = syntheticCtInstance(resized);
      const resizedItem = { ...stage(resized, resizedBytes), size: resizedBytes.length + 2 };
      const results = await store.putMany([missingItem, goodItem, resizedItem]);
      expect(results.map((r) => [r.key.sopInstanceUid, r.ok])).toEqual([
        [missing.sopInstanceUid, false],
        [good.sopInstanceUid, true],
        [resized.sopInstanceUid, false],
      ]);
      expect(await store.listKeys(study)).toEqual([good]);
    });

    it('replaces an earlier copy through putMany like put does', async () => {
      const key = newKey();
      await store.put(key, chunks(syntheticCtInstance(key)));
      const replacement = syntheticCtInstance(key, { rows: 8, columns: 8 });
      const [result] = await store.putMany([stage(key, replacement)]);
      expect(result?.ok).toBe(true);
      expect(await store.verify(key)).toEqual({ ...key, size: replacement.length, sha256: sha256(replacement) });
    });

    const pydicomPresent = existsSync(PYDICOM_FILES);
    if (!pydicomPresent && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
      throw new Error(`${PYDICOM_FILES} is missing: install python3-pydicom (COURIER_REQUIRE_SYSTEM_FIXTURES=1)`);
    }
    it.skipIf(!pydicomPresent)(
      'stores real DICOM files byte for byte: put reports size and SHA-256, stat and verify agree, read returns the bytes',
      async () => {
        for (const { name: file, key } of REAL_FILES) {
          const bytes = readFileSync(join(PYDICOM_FILES, file));
          const stored = await store.put(key, chunks(bytes));
          expect(stored).toEqual({ ...key, size: bytes.length, sha256: sha256(bytes) });
          expect(await store.stat(key)).toEqual(stored);
          expect(await store.verify(key)).toEqual(stored);
          const read = await store.read(key);
          expect(read).not.toBeNull();
          expect((await collect(read as InstanceSource)).equals(bytes)).toBe(true);
        }
      },
    );

    it('answers null for an instance it does not hold and an empty list for an unknown study', async () => {
      const key = newKey();
      expect(await store.stat(key)).toBeNull();
      expect(await store.verify(key)).toBeNull();
      expect(await store.read(key)).toBeNull();
      expect(await store.listStudy(key.studyInstanceUid)).toEqual([]);
    });

    it('stores nothing when the source fails, and keeps an earlier copy intact', async () => {
      const key = newKey();
      await expect(store.put(key, failingAfter(syntheticCtInstance(key)))).rejects.toThrow('connection reset');
      expect(await store.stat(key)).toBeNull();
      const original = syntheticCtInstance(key);
      await store.put(key, chunks(original));
      await expect(store.put(key, failingAfter(syntheticCtInstance(key)))).rejects.toThrow('connection reset');
      expect((await store.verify(key))?.sha256).toBe(sha256(original));
    });

    it('is idempotent per SOP Instance UID: the same bytes again change nothing', async () => {
      const key = newKey();
      const bytes = syntheticCtInstance(key);
      const first = await store.put(key, chunks(bytes));
      const second = await store.put(key, chunks(bytes));
      expect(second).toEqual(first);
      expect(await store.listStudy(key.studyInstanceUid)).toEqual([first]);
    });

    it('replaces an instance stored again with other bytes', async () => {
      const key = newKey();
      await store.put(key, chunks(syntheticCtInstance(key)));
      const replacement = syntheticCtInstance(key, { rows: 8, columns: 8 });
      const stored = await store.put(key, chunks(replacement));
      expect(stored.sha256).toBe(sha256(replacement));
      expect(await store.stat(key)).toEqual(stored);
      expect((await collect((await store.read(key)) as InstanceSource)).equals(replacement)).toBe(true);
    });

    it('lists every instance of a study by series then SOP Instance UID, with size and hash', async () => {
      const study = randomUid();
      const [seriesA, seriesB] = [randomUid(), randomUid()].sort();
      const keys = [newKey(study, seriesB), newKey(study, seriesA), newKey(study, seriesB), newKey(study, seriesA)];
      const stored = [];
      for (const key of keys) stored.push(await store.put(key, chunks(syntheticCtInstance(key))));
      const other = newKey();
      await store.put(other, chunks(syntheticCtInstance(other)));
      const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
      const expected = [...stored].sort(
        (a, b) => order(a.seriesInstanceUid, b.seriesInstanceUid) || order(a.sopInstanceUid, b.sopInstanceUid),
      );
      expect(await store.listStudy(study)).toEqual(expected);
    });

    it('refuses keys that are not DICOM UIDs before touching storage', async () => {
      const bad = { studyInstanceUid: '1.2', seriesInstanceUid: '../1', sopInstanceUid: '1.2.3' };
      await expect(store.put(bad, chunks(new Uint8Array(10)))).rejects.toThrow(RangeError);
      await expect(store.stat(bad)).rejects.toThrow(RangeError);
      await expect(store.listStudy('1.2/..')).rejects.toThrow(RangeError);
    });
  });
}
