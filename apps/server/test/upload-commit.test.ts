import { readdir, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { commitAndWait } from './commit-upload.js';
import { openUpload, sendBatch, stowBody } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

describe(`upload commit on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  let rtPlanSlot: string;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    rtPlanSlot = (
      await portal.context.db
        .selectFrom('slotDefinitions')
        .select('id')
        .where('label', '=', 'RT Plan')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => portal.stop());

  async function open(
    slotDefinitionId: string,
    seed: number,
    client = uploader,
    shape: { slices?: number; rows?: number } = {},
  ) {
    const target = { studyId: fixture.studyId, subjectId: fixture.subjectA, eventId: fixture.eventA, slotDefinitionId };
    return openUpload(client, target, { seed, ...shape });
  }

  async function slotValue(slotDefinitionId: string) {
    const slots = await uploader.get(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`,
    );
    expect(slots.status).toBe(200);
    return slots.body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === slotDefinitionId).value;
  }

  it('refuses a commit with a missing instance and leaves the slot and the staging as they were', async () => {
    const { id, set } = await open(fixture.slotCt, 11);
    await sendBatch(
      uploader,
      id,
      set.files.slice(1).map((f) => f.bytes),
    );
    const refused = await commitAndWait(uploader, id, {});
    expect([refused.status, refused.body.code]).toEqual([409, 'UPLOAD_INCOMPLETE']);
    expect(refused.body.details).toMatchObject({ pending: 1, rejected: 0 });
    expect(await slotValue(fixture.slotCt)).toBeNull();
    expect((await uploader.get(`/api/uploads/${id}`)).body.status).toBe('open');
    expect(await portal.context.store.listStudy(set.studyInstanceUid)).toEqual([]);
    const refusal = await portal.context.db
      .selectFrom('auditLog')
      .select(['action', 'detailsJson'])
      .where('targetId', '=', id)
      .where('action', '=', 'upload.commit_refused')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(refusal.detailsJson)).toMatchObject({ code: 'UPLOAD_INCOMPLETE', pending: 1 });
    expect(await readdir(join(portal.context.config.dataDir, 'staging', id))).toHaveLength(set.files.length - 1);
    // The missing instance afterwards completes the session: the refusal cost nothing.
    await sendBatch(uploader, id, [set.files[0]!.bytes]);
    const other = new TestClient(portal.baseUrl);
    await other.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    const foreign = await commitAndWait(other, id, {});
    expect([foreign.status, foreign.body.code]).toEqual([403, 'FORBIDDEN']);
    const committed = await commitAndWait(uploader, id, {});
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
  });

  it('commits a de-identified CT + RT set: stored and verified in the DICOM store, slot assigned with its summary', async () => {
    // The CT slot was filled by the previous test: this one uses the RT Plan slot.
    const { id, set } = await open(rtPlanSlot, 12);
    const parts = set.files.map((f) => f.bytes);
    const batches = [parts.slice(0, 2), parts.slice(2)];
    for (const batch of batches) expect((await sendBatch(uploader, id, batch)).status).toBe(200);
    const committed = await commitAndWait(uploader, id, { overwrite: false });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    expect(committed.body.status).toBe('committed');
    const stored = await portal.context.store.listStudy(set.studyInstanceUid);
    expect(stored).toHaveLength(set.files.length);
    for (const file of set.files) {
      const receipt = committed.body.instances.find(
        (i: { sopInstanceUid: string }) => i.sopInstanceUid === file.manifest.sopInstanceUid,
      );
      const verified = await portal.context.store.verify({
        studyInstanceUid: set.studyInstanceUid,
        seriesInstanceUid: file.manifest.seriesInstanceUid,
        sopInstanceUid: file.manifest.sopInstanceUid,
      });
      expect(verified).toMatchObject({ size: file.bytes.length, sha256: receipt.storedSha256 });
      expect(receipt.size).toBe(file.bytes.length);
    }
    const value = await slotValue(rtPlanSlot);
    expect(value).toMatchObject({
      studyInstanceUid: set.studyInstanceUid,
      uploadId: id,
      assignedBy: 'site-uploader',
      modalities: ['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT'],
      seriesCount: 4,
      instanceCount: set.files.length,
    });
    expect(typeof value.assignedByName).toBe('string');
    // The fixture study removes dates (dateHandling "remove"): the stored study has no Study Date.
    expect(value.studyDate).toBeNull();
    await expect(stat(join(portal.context.config.dataDir, 'staging', id))).rejects.toThrow();
    // Asking again (a lost response) answers the committed session unchanged.
    const again = await commitAndWait(uploader, id, {});
    expect([again.status, again.body.status]).toEqual([200, 'committed']);
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', 'in', [id, `${fixture.eventA}/${rtPlanSlot}`])
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['slot.assigned', 'upload.committed']));
  });

  it('refuses to overwrite a filled slot without overwrite: true, then replaces it keeping the history', async () => {
    const before = await slotValue(rtPlanSlot);
    const { id, set } = await open(rtPlanSlot, 13);
    await sendBatch(
      uploader,
      id,
      set.files.map((f) => f.bytes),
    );
    const refused = await commitAndWait(uploader, id, {});
    expect([refused.status, refused.body.code]).toEqual([409, 'SLOT_FILLED']);
    expect(await slotValue(rtPlanSlot)).toEqual(before);
    const replaced = await commitAndWait(uploader, id, { overwrite: true });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect((await slotValue(rtPlanSlot)).studyInstanceUid).toBe(set.studyInstanceUid);
    const history = await portal.context.db
      .selectFrom('slotHistory')
      .selectAll()
      .where('slotDefinitionId', '=', rtPlanSlot)
      .execute();
    expect(history.map((h) => h.studyInstanceUid)).toEqual([before.studyInstanceUid]);
  });

  it('streams a batch far larger than the JSON body limit (512×512 CT slices) and commits it', async () => {
    const { id, set } = await open(fixture.slotCt, 14, uploader, { slices: 6, rows: 512 });
    const total = set.files.reduce((n, f) => n + f.bytes.length, 0);
    expect(total).toBeGreaterThan(3 * 1024 * 1024);
    const response = await sendBatch(
      uploader,
      id,
      set.files.map((f) => f.bytes),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.instances.every((i: { state: string }) => i.state === 'stored')).toBe(true);
    const committed = await commitAndWait(uploader, id, { overwrite: true });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
  });

  it('runs uploads to two slots concurrently without mixing their instances', async () => {
    const second = new TestClient(portal.baseUrl);
    await second.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const [a, b] = await Promise.all([open(fixture.slotCt, 21), open(rtPlanSlot, 22, second)]);
    const run = async (client: TestClient, upload: typeof a) => {
      const parts = upload.set.files.map((f) => f.bytes);
      await Promise.all([
        sendBatch(client, upload.id, parts.slice(0, 3)),
        sendBatch(client, upload.id, parts.slice(3)),
      ]);
      return commitAndWait(client, upload.id, { overwrite: true });
    };
    const [ra, rb] = await Promise.all([run(uploader, a), run(second, b)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect((await slotValue(fixture.slotCt)).studyInstanceUid).toBe(a.set.studyInstanceUid);
    expect((await slotValue(rtPlanSlot)).studyInstanceUid).toBe(b.set.studyInstanceUid);
    expect(await portal.context.store.listStudy(a.set.studyInstanceUid)).toHaveLength(a.set.files.length);
    expect(await portal.context.store.listStudy(b.set.studyInstanceUid)).toHaveLength(b.set.files.length);
  });
});

describe(`an upload across a server restart on ${TEST_BACKEND}`, () => {
  it('shows after a restart what was stored before a cut batch, and completes with nothing lost', async () => {
    const portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    const fixture = await createFixtureStudy(portal);
    const client = new TestClient(portal.baseUrl);
    await client.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    const { id, set } = await openUpload(client, target, { seed: 31 });
    const parts = set.files.map((f) => f.bytes);
    expect((await sendBatch(client, id, parts.slice(0, 3))).status).toBe(200);
    // The second batch (three parts) is cut in the middle of its last part: the connection dies.
    // The two parts received whole before the cut are kept; the half part leaves nothing.
    const { body, contentType } = stowBody(parts.slice(3));
    const cutAt = body.length - parts[parts.length - 1]!.length / 2;
    const controller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(body.subarray(0, cutAt));
        setTimeout(() => controller.abort(), 200);
      },
    });
    await expect(
      fetch(`${portal.baseUrl}/api/uploads/${id}/instances`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-csrf-token': client.csrfToken!,
        },
        body: stream,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit),
    ).rejects.toThrow();
    await portal.app.close();

    // A new Portal process on the same data directory and database.
    const restarted = await buildApp(portal.context.config, {
      backend: portal.database.open(),
      clock: portal.clock,
    });
    try {
      await restarted.app.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = `http://127.0.0.1:${(restarted.app.server.address() as AddressInfo).port}`;
      const again = new TestClient(baseUrl);
      again.cookies.clear();
      for (const [k, v] of client.cookies) again.cookies.set(k, v);
      again.csrfToken = client.csrfToken;
      const statusResponse = await again.get(`/api/uploads/${id}`);
      expect(statusResponse.status, JSON.stringify(statusResponse.body)).toBe(200);
      const status = statusResponse.body;
      const stored = status.instances.filter((i: { state: string }) => i.state === 'stored');
      expect(stored.map((i: { sopInstanceUid: string }) => i.sopInstanceUid).sort()).toEqual(
        set.files
          .slice(0, 5)
          .map((f) => f.manifest.sopInstanceUid)
          .sort(),
      );
      // Nothing half-received is left in staging: only the five stored files. The cut request's
      // handler removes its temp part when it sees the abort, which may finish after app.close().
      const stagingFiles = () => readdir(join(portal.context.config.dataDir, 'staging', id));
      await expect.poll(stagingFiles, { timeout: 10_000 }).toHaveLength(5);
      expect((await stagingFiles()).every((name) => name.endsWith('.dcm'))).toBe(true);
      const todo = set.files.filter(
        (f) => !stored.some((s: { sopInstanceUid: string }) => s.sopInstanceUid === f.manifest.sopInstanceUid),
      );
      expect(
        (
          await sendBatch(
            again,
            id,
            todo.map((f) => f.bytes),
          )
        ).status,
      ).toBe(200);
      const committed = await commitAndWait(again, id, {});
      expect(committed.status, JSON.stringify(committed.body)).toBe(200);
      const inStore = await restarted.context.store.listStudy(set.studyInstanceUid);
      expect(inStore.map((i) => i.size).sort()).toEqual(parts.map((p) => p.length).sort());
    } finally {
      await restarted.app.close();
      await portal.database.cleanup();
    }
  });
});
