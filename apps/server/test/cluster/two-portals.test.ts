import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreConfig } from '../../src/config.js';
import { commitAndWait, insertAbandonedCommit } from '../commit-upload.js';
import { openUpload, sendBatch, stagedUpload } from '../dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from '../fixture-study.js';
import { type OrthancProcess, orthancMissing, orthancStore, startOrthanc } from '../orthanc/orthanc-harness.js';
import { startPortalOn } from '../orthanc/portal-on-store.js';
import { type RunningPortal, TestClient } from '../portal-harness.js';
import { TEST_BACKEND } from '../test-database.js';
import { type PortalProcess, startPortalProcess } from './portal-cluster.js';

const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

// Issue 9: several Portal instances behind a load balancer. Two Portal *processes* share one
// database (PostgreSQL when DATABASE_URL is set, as in CI's PostgreSQL step; else one SQLite file),
// one staging folder (COURIER_STAGING_DIR) and one DICOM store (Orthanc; without Orthanc on this
// machine, one file-system store folder). Nothing about an upload lives in a process's memory,
// so one upload's batches can go to either and the commit to the other.
const withOrthanc = orthancMissing() === null;

describe(`two Portal processes over one ${TEST_BACKEND} database, one staging folder and ${withOrthanc ? 'one Orthanc' : 'one file-system store'}`, () => {
  let orthanc: OrthancProcess | undefined;
  let setup: RunningPortal;
  let fixture: FixtureStudy;
  let staging: string;
  let portals: PortalProcess[] = [];

  beforeAll(async () => {
    staging = mkdtempSync(join(tmpdir(), 'courier-shared-staging-'));
    orthanc = withOrthanc ? await startOrthanc() : undefined;
    const store: StoreConfig = orthanc === undefined ? { kind: 'file-system' } : orthancStore(orthanc, 2);
    // An in-process Portal migrates the database and creates the fixture study; the two
    // processes then start over the same database, already migrated.
    setup = await startPortalOn(undefined, { stagingDir: staging, store });
    fixture = await createFixtureStudy(setup);
    const env: Record<string, string> = {
      COURIER_DATA_DIR: setup.database.dataDir,
      COURIER_STAGING_DIR: staging,
      ...(setup.database.databaseUrl === undefined ? {} : { DATABASE_URL: setup.database.databaseUrl }),
      ...(setup.database.searchPath === undefined ? {} : { COURIER_TEST_SEARCH_PATH: setup.database.searchPath }),
      ...(orthanc === undefined
        ? { COURIER_STORE: 'file-system' }
        : {
            COURIER_STORE: 'dicomweb',
            COURIER_PACS_URL: orthanc.dicomweb,
            COURIER_PACS_USERNAME: orthanc.user,
            COURIER_PACS_PASSWORD: orthanc.password,
            COURIER_PACS_KIND: 'orthanc',
            COURIER_PACS_BATCH: '2',
          }),
      // Commit runners look for abandoned jobs every second (the default is 5 s).
      COURIER_COMMIT_INTERVAL_SECONDS: '1',
    };
    portals = await Promise.all([startPortalProcess(env), startPortalProcess(env)]);
    // Only the two processes run commits (the setup Portal's runner would race them in-process).
    await setup.commitRunner.stop();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(portals.map((portal) => portal.stop()));
    await setup?.stop();
    await orthanc?.stop();
    rmSync(staging, { recursive: true, force: true });
  });

  it('takes one upload’s batches on both processes, commits on the other, and the slot and the PACS hold the study', async () => {
    const [a, b] = portals as [PortalProcess, PortalProcess];
    expect(a.pid).not.toBe(b.pid);
    // One login on A: the session lives in the database, so B knows the cookie too (no sticky sessions).
    const onA = new TestClient(a.baseUrl);
    await onA.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const onB = new TestClient(b.baseUrl);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    onB.csrfToken = onA.csrfToken;
    expect((await onB.get('/api/me')).status).toBe(200);

    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    // Opened on A, its manifest registered on B.
    const { id, set } = await openUpload(onA, target, { seed: 61, slices: 4 }, onB);
    const parts = set.files.map((f) => f.bytes);
    // Two batches at the same time, one on each process, then the rest on A.
    const [first, second] = await Promise.all([
      sendBatch(onA, id, parts.slice(0, 3)),
      sendBatch(onB, id, parts.slice(3, 5)),
    ]);
    const third = await sendBatch(onA, id, parts.slice(5));
    for (const response of [first, second, third]) {
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.instances.every((i: { state: string }) => i.state === 'stored')).toBe(true);
    }
    // Both wrote into the one shared staging folder; B's status sees what A received.
    expect((await readdir(join(staging, id))).sort()).toEqual(
      set.files.map((f) => `${f.manifest.sopInstanceUid}.dcm`).sort(),
    );
    const status = await onB.get(`/api/uploads/${id}`);
    expect(status.body.counts).toEqual({ pending: 0, stored: set.files.length, rejected: 0 });

    // The last batch went to A: the commit goes to B.
    const committed = await commitAndWait(onB, id, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.status).toBe('committed');
    // The job is done with the assignment; the staging copy goes right after.
    await expect
      .poll(() =>
        readdir(join(staging, id)).then(
          () => 'present',
          () => 'removed',
        ),
      )
      .toBe('removed');

    const slots = await onA.get(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`,
    );
    const value = slots.body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;
    expect(value).toMatchObject({ studyInstanceUid: set.studyInstanceUid, uploadId: id, instanceCount: parts.length });

    // The store (the setup Portal's view of the same PACS or folder) holds every instance with its bytes.
    const stored = await setup.context.store.listStudy(set.studyInstanceUid);
    expect(stored).toHaveLength(parts.length);
    for (const file of set.files) {
      const entry = stored.find((s) => s.sopInstanceUid === file.manifest.sopInstanceUid);
      expect(entry?.size).toBe(file.bytes.length);
      expect(entry?.sha256).toBe(createHash('sha256').update(file.bytes).digest('hex'));
    }
    if (orthanc !== undefined) {
      const headers = { authorization: orthanc.authorization };
      for (const file of set.files) {
        const [found] = (await (
          await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: file.manifest.sopInstanceUid, headers })
        ).json()) as { ID: string }[];
        const info = (await (
          await fetch(`${orthanc.url}/instances/${found?.ID}/attachments/dicom/info`, { headers })
        ).json()) as { UncompressedMD5: string };
        expect(info.UncompressedMD5).toBe(md5(file.bytes));
      }
    }
  });
  it('finishes on one of the processes, exactly once, a commit whose Portal died mid-store', async () => {
    const [a, b] = portals as [PortalProcess, PortalProcess];
    const onA = new TestClient(a.baseUrl);
    await onA.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    const { id, set } = await stagedUpload(onA, target, { seed: 62, slices: 4 });
    // What a third Portal that died while storing leaves: the job claimed, its lease run out. Both
    // processes' runners look for it every second and race for the claim.
    await insertAbandonedCommit(setup.context.db, {
      uploadId: id,
      userId: fixture.userIds.site_uploader,
      at: new Date(),
      total: set.files.length,
      stored: 1,
      age: 60_000,
    });
    const onB = new TestClient(b.baseUrl);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    onB.csrfToken = onA.csrfToken;
    await expect
      .poll(async () => (await onB.get(`/api/uploads/${id}/commit`)).body.commit.state, { timeout: 20_000 })
      .toBe('done');
    const status = await onA.get(`/api/uploads/${id}/commit`);
    expect(status.body).toMatchObject({ status: 'committed', commit: { state: 'done', attempts: 2, error: null } });
    const audit = await setup.context.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', id)
      .where('action', '=', 'upload.committed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(await setup.context.store.listStudy(set.studyInstanceUid)).toHaveLength(set.files.length);
  });
});
