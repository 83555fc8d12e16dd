import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDicom, tag } from '@courier/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomStore, InstanceKey } from '../storage/dicom-store.js';
import { fileSystemStore } from '../storage/file-system/file-system-store.js';
import { StudyIndexCache } from './study-index.js';

const key: InstanceKey = { studyInstanceUid: '2.25.10', seriesInstanceUid: '2.25.11', sopInstanceUid: '2.25.12' };

function instance(description: string): Uint8Array {
  return createDicom([
    { tag: tag(0x0008, 0x0016), vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: key.sopInstanceUid },
    { tag: tag(0x0008, 0x1030), vr: 'LO', value: description },
    { tag: tag(0x0020, 0x000d), vr: 'UI', value: key.studyInstanceUid },
    { tag: tag(0x0020, 0x000e), vr: 'UI', value: key.seriesInstanceUid },
  ]);
}

async function put(store: DicomStore, k: InstanceKey, bytes: Uint8Array): Promise<void> {
  await store.put(
    k,
    (async function* () {
      yield bytes;
    })(),
  );
}

describe('StudyIndexCache over the file-system store', () => {
  let dir: string;
  let store: DicomStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-study-index-'));
    store = fileSystemStore(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const description = (index: Awaited<ReturnType<StudyIndexCache['get']>>) =>
    index.instances.map((i) => i.attributes['00081030']?.Value?.[0]);

  it('trusts a cached index while the version holds and re-reads changed instances when it moves', async () => {
    let now = 0;
    const cache = new StudyIndexCache(store, { maxAgeMs: 1000, now: () => now });
    await put(store, key, instance('first'));
    expect(description(await cache.get(key.studyInstanceUid, 'v1'))).toEqual(['first']);
    await put(store, key, instance('second'));
    // Same version, within maxAgeMs: the cached headers answer (no store listing).
    expect(description(await cache.get(key.studyInstanceUid, 'v1'))).toEqual(['first']);
    // A new version (a new commit assigned the study) lists the store and re-reads the changed instance.
    expect(description(await cache.get(key.studyInstanceUid, 'v2'))).toEqual(['second']);
    await put(store, { ...key, sopInstanceUid: '2.25.13' }, instance('third'));
    now = 1500;
    // The same version but older than maxAgeMs: listed again, the new instance appears.
    expect((await cache.get(key.studyInstanceUid, 'v2')).instances).toHaveLength(2);
  });

  it('lists the store on every call without a version', async () => {
    const cache = new StudyIndexCache(store);
    const k = { ...key, studyInstanceUid: '2.25.20' };
    await put(store, k, instance('a'));
    expect((await cache.get(k.studyInstanceUid)).instances).toHaveLength(1);
    await put(store, { ...k, sopInstanceUid: '2.25.21' }, instance('b'));
    expect((await cache.get(k.studyInstanceUid)).instances).toHaveLength(2);
  });

  it('records the transfer syntax and where native Pixel Data lies', async () => {
    const cache = new StudyIndexCache(store);
    const [indexed] = (await cache.get(key.studyInstanceUid)).instances;
    expect(indexed!.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(indexed!.pixelData).toBeUndefined();
  });
});
