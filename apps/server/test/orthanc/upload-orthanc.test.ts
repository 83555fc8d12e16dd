import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceKey, InstanceSource } from '../../src/storage/dicom-store.js';
import { dicomwebStoreFromConfig } from '../../src/storage/dicomweb/dicomweb-config.js';
import { commitAndWait } from '../commit-upload.js';
import { openUpload, sendBatch, type UploadSet } from '../dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from '../fixture-study.js';
import { type RunningPortal, TestClient } from '../portal-harness.js';
import { TEST_BACKEND } from '../test-database.js';
import { type OrthancProcess, orthancMissing, orthancStore, startOrthanc } from './orthanc-harness.js';
import { startPortalOn } from './portal-on-store.js';

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

async function collect(source: InstanceSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

// The upload end-to-end suite with the Portal configured for a PACS (COURIER_STORE=dicomweb,
// COURIER_PACS_KIND=orthanc) on a throw-away Orthanc: authentication on, RemoteAccessAllowed
// false, OverwriteInstances false (Orthanc's default) so a PACS that keeps other bytes is real.
describe.skipIf(orthancMissing() !== null)(`upload end to end into Orthanc on ${TEST_BACKEND}`, () => {
  let orthanc: OrthancProcess;
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;

  beforeAll(async () => {
    orthanc = await startOrthanc({ overwriteInstances: false });
    // Small STOW-RS batches so one commit sends several requests, two in flight.
    portal = await startPortalOn(undefined, { store: orthancStore(orthanc, 2) });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await portal?.stop();
    await orthanc?.stop();
  });

  async function open(seed: number): Promise<{ id: string; set: UploadSet }> {
    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    return openUpload(uploader, target, { seed });
  }

  const keyOf = (set: UploadSet, index: number): InstanceKey => ({
    studyInstanceUid: set.studyInstanceUid,
    seriesInstanceUid: set.files[index]!.manifest.seriesInstanceUid,
    sopInstanceUid: set.files[index]!.manifest.sopInstanceUid,
  });

  async function orthancMd5(sopInstanceUid: string): Promise<string | undefined> {
    const headers = { authorization: orthanc.authorization };
    const found = (await (
      await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: sopInstanceUid, headers })
    ).json()) as { ID: string }[];
    if (found[0] === undefined) return undefined;
    const info = (await (
      await fetch(`${orthanc.url}/instances/${found[0].ID}/attachments/dicom/info`, { headers })
    ).json()) as { UncompressedMD5: string };
    return info.UncompressedMD5;
  }

  it('commits a de-identified CT + RT set into Orthanc in batched STOW-RS: every instance there byte for byte, slot assigned', async () => {
    const { id, set } = await open(51);
    const parts = set.files.map((f) => f.bytes);
    expect((await sendBatch(uploader, id, parts.slice(0, 3))).status).toBe(200);
    expect((await sendBatch(uploader, id, parts.slice(3))).status).toBe(200);
    const committed = await commitAndWait(uploader, id, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(portal.context.store.kind).toBe('dicomweb');
    // QIDO-RS lists every SOP Instance UID under its series; Orthanc's own MD5 of each stored file
    // is that of the bytes received; WADO-RS gives the bytes back.
    const listed = await portal.context.store.listKeys(set.studyInstanceUid);
    expect(listed).toHaveLength(set.files.length);
    for (const [index, file] of set.files.entries()) {
      const key = keyOf(set, index);
      expect(listed).toContainEqual(key);
      expect(await orthancMd5(key.sopInstanceUid)).toBe(md5(file.bytes));
      expect((await collect((await portal.context.store.read(key))!)).equals(file.bytes)).toBe(true);
    }
    const slots = await uploader.get(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`,
    );
    const value = slots.body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;
    expect(value).toMatchObject({ studyInstanceUid: set.studyInstanceUid, instanceCount: set.files.length });
  });

  it('refuses the commit naming the one instance Orthanc kept other bytes for, although it stored the rest; slot unchanged', async () => {
    const { id, set } = await open(52);
    const before = (
      await uploader.get(`/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`)
    ).body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;
    // Another sender got there first with other bytes under the same UIDs (last pixel byte changed);
    // Orthanc (OverwriteInstances false) keeps them and still answers success for ours.
    const victim = 2;
    const other = new Uint8Array(set.files[victim]!.bytes);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0xff;
    const direct = dicomwebStoreFromConfig({
      url: orthanc.dicomweb,
      user: orthanc.user,
      password: orthanc.password,
      orthancUrl: orthanc.url,
    });
    await direct.put(
      keyOf(set, victim),
      (async function* () {
        yield other;
      })(),
    );
    expect(
      (
        await sendBatch(
          uploader,
          id,
          set.files.map((f) => f.bytes),
        )
      ).status,
    ).toBe(200);
    const refused = await commitAndWait(uploader, id, { overwrite: true });
    expect([refused.status, refused.body.code]).toEqual([502, 'STORE_VERIFY_FAILED']);
    expect(refused.body.details.sopInstanceUid).toBe(set.files[victim]!.manifest.sopInstanceUid);
    expect(refused.body.details.reason).toMatch(/md5/);
    // The others went in, each proven: per-instance verdicts, never the batch status alone.
    for (const [index, file] of set.files.entries()) {
      if (index === victim) continue;
      expect(await orthancMd5(file.manifest.sopInstanceUid)).toBe(md5(file.bytes));
    }
    const after = (
      await uploader.get(`/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`)
    ).body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;
    expect(after).toEqual(before);
    expect((await uploader.get(`/api/uploads/${id}`)).body.status).toBe('open');
    expect(await readdir(join(portal.context.config.dataDir, 'staging', id))).toHaveLength(set.files.length);
  });
});
