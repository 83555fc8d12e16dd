import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type PortalApp } from '../src/app.js';
import { housekeeping } from '../src/housekeeping.js';
import type { DicomStore } from '../src/storage/dicom-store.js';
import { fileSystemStore } from '../src/storage/file-system/file-system-store.js';
import { claimCommit } from '../src/uploads/commit-lease.js';
import { insertAbandonedCommit, waitForCommit } from './commit-upload.js';
import { sendBatch, stagedUpload } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { startPortalOn } from './orthanc/portal-on-store.js';
import { type RunningPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

const LEASE_MS = 60_000;

/** A file-system store whose putMany waits while the gate is closed: a slow or hung PACS. */
function gatedStore(root: string): { store: DicomStore; gate: { close(): void; open(): void; entered: number } } {
  const inner = fileSystemStore(root);
  let release: (() => void) | null = null;
  let waiting: Promise<void> = Promise.resolve();
  const gate = {
    entered: 0,
    close() {
      waiting = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    open() {
      release?.();
      release = null;
      waiting = Promise.resolve();
    },
  };
  const store: DicomStore = {
    ...inner,
    async putMany(items) {
      gate.entered++;
      await waiting;
      return inner.putMany(items);
    },
  };
  return { store, gate };
}

describe(`asynchronous, leased upload commits on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  let root: string;
  let gate: ReturnType<typeof gatedStore>['gate'];
  let seed = 300;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'courier-gated-store-'));
    const gated = gatedStore(root);
    gate = gated.gate;
    // The runners' timers are out of the way: the tests drive the runners (kick on request, runOnce).
    portal = await startPortalOn(gated.store, { commitLeaseMs: LEASE_MS, commitIntervalMs: 3_600_000 });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const now = portal.clock().toISOString();
    await portal.context.db
      .insertInto('notificationSettings')
      .values({
        studyId: fixture.studyId,
        enabled: 1,
        recipientsJson: JSON.stringify(['imaging@example.org']),
        eventsJson: JSON.stringify(['slot.assigned', 'slot.overwritten']),
        notifyUploader: 0,
        enabledSince: now,
        updatedAt: now,
        updatedBy: null,
      })
      .execute();
  });
  afterAll(async () => {
    gate.open();
    await portal?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** An open session with every instance stored, ready to commit. */
  async function ready() {
    const target = {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    };
    return stagedUpload(uploader, target, { seed: seed++ });
  }

  /** Audit records and queued mails about one upload: each must exist exactly once. */
  async function effects(id: string) {
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select(['action', 'detailsJson'])
      .where('action', 'in', ['slot.assigned', 'slot.overwritten', 'upload.committed'])
      .execute();
    const mine = audit.filter((a) => a.detailsJson.includes(id)).map((a) => a.action);
    const upload = await portal.context.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', id)
      .where('action', '=', 'upload.committed')
      .execute();
    const mails = await portal.context.db.selectFrom('mailOutbox').select('kind').where('uploadId', '=', id).execute();
    return { slotAudit: mine.filter((a) => a !== 'upload.committed'), committedAudit: upload.length, mails };
  }

  async function currentValue() {
    const slots = await uploader.get(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`,
    );
    return slots.body.find((s: { slotDefinitionId: string }) => s.slotDefinitionId === fixture.slotCt).value;
  }

  /** A second Portal instance over the same database, staging and store folder (not listening). */
  async function secondInstance(): Promise<PortalApp> {
    return buildApp(portal.context.config, {
      backend: portal.database.open(),
      clock: portal.clock,
      store: fileSystemStore(root),
    });
  }

  it('answers 202 with the job, repeats it for a repeated request, and reports progress until done', async () => {
    const { id, set } = await ready();
    gate.close();
    const entered = gate.entered;
    const accepted = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.headers.get('retry-after')).toBe('1');
    expect(accepted.body).toMatchObject({
      uploadId: id,
      status: 'open',
      commit: { state: 'storing', overwrite: true, stored: 0, total: set.files.length, attempts: 1, error: null },
    });
    // Asking again while it runs answers the same job: no second claim, no second store call.
    const again = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
    expect(again.status).toBe(202);
    expect(again.body.commit).toMatchObject({ attempts: 1, requestedAt: accepted.body.commit.requestedAt });
    const status = await uploader.get(`/api/uploads/${id}/commit`);
    expect([status.status, status.body.commit.state, status.headers.get('retry-after')]).toEqual([200, 'storing', '1']);
    expect((await uploader.get(`/api/uploads/${id}`)).body.commit.state).toBe('storing');
    // Housekeeping long after the session's expiry keeps it open and its staging in place.
    portal.clock.advance(2 * 60 * 60_000);
    await housekeeping(portal.context.db, portal.clock(), portal.context.config);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD); // the login expired meanwhile
    expect(await readdir(join(portal.context.config.dataDir, 'staging', id))).toHaveLength(set.files.length);
    expect((await uploader.get(`/api/uploads/${id}`)).body.status).toBe('open');
    expect(gate.entered).toBe(entered + 1);

    gate.open();
    const done = await waitForCommit(uploader, id);
    expect(done.body).toMatchObject({
      status: 'committed',
      commit: { state: 'done', stored: set.files.length, total: set.files.length, attempts: 1, error: null },
    });
    expect(done.headers.get('retry-after')).toBeNull();
    expect((await currentValue()).studyInstanceUid).toBe(set.studyInstanceUid);
    // The receipts, paged, prove every instance by size and SHA-256.
    const seen: { sopInstanceUid: string; size: number; storedSha256: string }[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await uploader.get(`/api/uploads/${id}/receipts?offset=${offset}&limit=3`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(set.files.length);
      seen.push(...page.body.items);
      if (page.body.items.length < 3) break;
    }
    expect(seen.map((r) => r.sopInstanceUid)).toEqual(set.files.map((f) => f.manifest.sopInstanceUid).sort());
    for (const file of set.files) {
      const receipt = seen.find((r) => r.sopInstanceUid === file.manifest.sopInstanceUid)!;
      const stored = await portal.context.store.verify({
        studyInstanceUid: set.studyInstanceUid,
        seriesInstanceUid: file.manifest.seriesInstanceUid,
        sopInstanceUid: file.manifest.sopInstanceUid,
      });
      expect(stored).toMatchObject({ size: receipt.size, sha256: receipt.storedSha256 });
    }
    // A repeated request after the end answers the finished job and starts nothing.
    const late = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
    expect([late.status, late.body.status, late.body.commit.state, late.body.commit.attempts]).toEqual([
      202,
      'committed',
      'done',
      1,
    ]);
    const { slotAudit, committedAudit, mails } = await effects(id);
    expect([slotAudit.length, committedAudit, mails.length]).toEqual([1, 1, 1]);
  });

  it('lets a second instance finish a commit whose runner hung past its lease, exactly once', async () => {
    const before = await currentValue();
    const { id, set } = await ready();
    gate.close();
    const accepted = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
    expect(accepted.body.commit.state).toBe('storing');
    // The staged files are what the job stores and verifies: no batch may replace one meanwhile.
    const during = await sendBatch(uploader, id, [set.files[0]!.bytes]);
    expect([during.status, during.body.code]).toEqual([409, 'UPLOAD_CLOSED']);
    const second = await secondInstance();
    try {
      // While the lease runs, the other instance leaves the job alone.
      await second.commitRunner.runOnce();
      expect((await uploader.get(`/api/uploads/${id}/commit`)).body.commit.state).toBe('storing');
      portal.clock.advance(LEASE_MS + 1000);
      await second.commitRunner.runOnce();
      const done = await uploader.get(`/api/uploads/${id}/commit`);
      expect(done.body).toMatchObject({ status: 'committed', commit: { state: 'done', attempts: 2 } });
      expect(await currentValue()).toMatchObject({ studyInstanceUid: set.studyInstanceUid, uploadId: id });
      // The first runner's store call comes back: it finds the job taken and writes nothing.
      gate.open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await uploader.get(`/api/uploads/${id}/commit`);
      expect(after.body.commit).toMatchObject({ state: 'done', attempts: 2, error: null });
      const { slotAudit, committedAudit, mails } = await effects(id);
      expect([slotAudit, committedAudit, mails.map((m) => m.kind)]).toEqual([
        [before === null ? 'slot.assigned' : 'slot.overwritten'],
        1,
        [before === null ? 'slot.assigned' : 'slot.overwritten'],
      ]);
      const history = await portal.context.db
        .selectFrom('slotHistory')
        .selectAll()
        .where('scheduledEventId', '=', fixture.eventA)
        .where('studyInstanceUid', '=', set.studyInstanceUid)
        .execute();
      expect(history).toEqual([]);
    } finally {
      gate.open();
      await second.app.close();
    }
  });

  it('hands the job to another instance at once when a runner stops gracefully', async () => {
    const { id, set } = await ready();
    gate.close();
    const accepted = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
    expect(accepted.body.commit.state).toBe('storing');
    await portal.commitRunner.stop();
    const second = await secondInstance();
    try {
      await second.commitRunner.runOnce();
      const done = await uploader.get(`/api/uploads/${id}/commit`);
      expect(done.body).toMatchObject({ status: 'committed', commit: { state: 'done', attempts: 2 } });
      gate.open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await currentValue()).studyInstanceUid).toBe(set.studyInstanceUid);
      const { slotAudit, committedAudit, mails } = await effects(id);
      expect([slotAudit.length, committedAudit, mails.length]).toEqual([1, 1, 1]);
    } finally {
      gate.open();
      await second.app.close();
    }
  });

  it('finishes a job left by a crashed instance (expired lease in the database) on the next pass', async () => {
    const { id, set } = await ready();
    const at = portal.clock();
    // What a Portal that died mid-store leaves behind: the job claimed, storing, its lease run out.
    await insertAbandonedCommit(portal.context.db, {
      uploadId: id,
      userId: fixture.userIds.site_uploader,
      at,
      total: set.files.length,
      stored: 2,
      age: LEASE_MS,
    });
    const second = await secondInstance();
    try {
      await second.commitRunner.runOnce();
      const done = await uploader.get(`/api/uploads/${id}/commit`);
      expect(done.body).toMatchObject({ status: 'committed', commit: { state: 'done', attempts: 2 } });
      expect((await currentValue()).studyInstanceUid).toBe(set.studyInstanceUid);
      expect(await second.context.store.listStudy(set.studyInstanceUid)).toHaveLength(set.files.length);
      const { slotAudit, committedAudit, mails } = await effects(id);
      expect([slotAudit.length, committedAudit, mails.length]).toEqual([1, 1, 1]);
    } finally {
      await second.app.close();
    }
  });
  it('fails a job that lost its runner five times instead of taking it over again, and a new request commits it', async () => {
    const { id, set } = await ready();
    const at = portal.clock();
    await insertAbandonedCommit(portal.context.db, {
      uploadId: id,
      userId: fixture.userIds.site_uploader,
      at,
      total: set.files.length,
      state: 'verifying',
      leaseOwner: 'the-fifth-portal-that-died',
      attempts: 5,
      stored: set.files.length,
    });
    const second = await secondInstance();
    try {
      await second.commitRunner.runOnce();
      const failed = await uploader.get(`/api/uploads/${id}/commit`);
      expect(failed.body).toMatchObject({
        status: 'open',
        commit: { state: 'failed', attempts: 6, error: { code: 'INTERNAL_ERROR', details: { attempts: 5 } } },
      });
      expect(await readdir(join(portal.context.config.dataDir, 'staging', id))).toHaveLength(set.files.length);
      // Committing again queues the same job afresh; this instance runs it.
      const again = await uploader.post(`/api/uploads/${id}/commit`, { overwrite: true });
      expect([again.status, again.body.commit.state, again.body.commit.error]).toEqual([202, 'queued', null]);
      await second.commitRunner.runOnce();
      const done = await uploader.get(`/api/uploads/${id}/commit`);
      expect(done.body).toMatchObject({ status: 'committed', commit: { state: 'done', error: null } });
      const { slotAudit, committedAudit } = await effects(id);
      expect([slotAudit.length, committedAudit]).toEqual([1, 1]);
    } finally {
      await second.app.close();
    }
  });
  it('claims a queued job for one runner only: a second claim finds it taken until the lease runs out', async () => {
    const { id, set } = await ready();
    const now = portal.clock();
    await portal.context.db
      .insertInto('uploadCommits')
      .values({
        uploadId: id,
        state: 'queued',
        overwrite: 1,
        actorJson: JSON.stringify({ userId: fixture.userIds.site_uploader, username: 'site-uploader', ip: null }),
        leaseOwner: null,
        leaseUntil: null,
        attempts: 0,
        stored: 0,
        total: set.files.length,
        errorJson: null,
        requestedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        finishedAt: null,
      })
      .execute();
    const db = portal.context.db;
    const [first, second] = await Promise.all([
      claimCommit(db, id, 'runner-a', now, LEASE_MS),
      claimCommit(db, id, 'runner-b', now, LEASE_MS),
    ]);
    expect([first, second].filter((job) => job !== undefined)).toEqual([
      expect.objectContaining({ state: 'storing', attempts: 1 }),
    ]);
    expect(await claimCommit(db, id, 'runner-c', new Date(now.getTime() + LEASE_MS - 1), LEASE_MS)).toBeUndefined();
    const late = await claimCommit(db, id, 'runner-c', new Date(now.getTime() + LEASE_MS), LEASE_MS);
    expect(late).toMatchObject({ leaseOwner: 'runner-c', state: 'storing', attempts: 2 });
    // Leave nothing due for the other tests' runners.
    await db.deleteFrom('uploadCommits').where('uploadId', '=', id).execute();
  });
});
