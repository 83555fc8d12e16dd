import { readDicom } from '@courier/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerOf } from '../src/slots/stored-header.js';
import { commitAndWait } from './commit-upload.js';
import { deidentifiedSet, sendBatch, type UploadFile, type UploadSet } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// Slot management (issue 11) over a real Portal on loopback with real uploads: the stored-study
// catalogue written at commit, Assign Existing, Clear slot and the slot history.
describe(`slot management on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  let manager: TestClient;
  let monitor: TestClient;
  let admin: TestClient;
  let rtPlanSlot: string;
  let followUpEvent: string;
  let followUpSlot: string;
  let first: UploadSet;
  let second: UploadSet;

  const subjectPath = (subjectId = fixture.subjectA) => `/api/studies/${fixture.studyId}/subjects/${subjectId}`;
  const slotPath = (eventId: string, slotId: string, subjectId = fixture.subjectA) =>
    `${subjectPath(subjectId)}/events/${eventId}/slots/${slotId}`;

  /** Opens a session for a slot of subject A, sends the files and commits; returns the upload id. */
  async function upload(
    eventId: string,
    slotDefinitionId: string,
    pick: (session: { slot: never }) => { set: UploadSet; files: UploadFile[] },
    overwrite = false,
  ) {
    const created = await uploader.post('/api/uploads', {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId,
      slotDefinitionId,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { set, files } = pick(created.body);
    const id = created.body.id as string;
    const manifest = await uploader.request('PUT', `/api/uploads/${id}/manifest`, {
      studyInstanceUid: set.studyInstanceUid,
      instances: files.map((f) => f.manifest),
    });
    expect(manifest.status, JSON.stringify(manifest.body)).toBe(200);
    expect(
      (
        await sendBatch(
          uploader,
          id,
          files.map((f) => f.bytes),
        )
      ).status,
    ).toBe(200);
    const commit = await commitAndWait(uploader, id, { overwrite });
    expect(commit.status, JSON.stringify(commit.body)).toBe(200);
    return { id, set };
  }

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    const login = async (user: Parameters<typeof fixtureUsername>[0]) => {
      const client = new TestClient(portal.baseUrl);
      await client.login(fixtureUsername(user), FIXTURE_PASSWORD);
      return client;
    };
    uploader = await login('site_uploader');
    manager = await login('study_manager');
    monitor = await login('monitor');
    admin = await login('admin');
    const db = portal.context.db;
    rtPlanSlot = (
      await db.selectFrom('slotDefinitions').select('id').where('label', '=', 'RT Plan').executeTakeFirstOrThrow()
    ).id;
    // A second event with a slot: Follow-up gets "Follow-up CT" and is scheduled for subject A.
    const slot = await admin.post(`/api/studies/${fixture.studyId}/event-definitions/${fixture.followUpId}/slots`, {
      label: 'Follow-up CT',
      modalities: ['CT'],
    });
    expect(slot.status).toBe(201);
    followUpSlot = slot.body.id;
    const event = await uploader.post(`${subjectPath()}/events`, { eventDefinitionId: fixture.followUpId });
    expect(event.status).toBe(201);
    followUpEvent = event.body.id;

    first = (
      await upload(fixture.eventA, fixture.slotCt, (s) => {
        const set = deidentifiedSet(s.slot, { seed: 21 });
        return { set, files: set.files };
      })
    ).set;
    second = (
      await upload(fixture.eventA, rtPlanSlot, (s) => {
        const set = deidentifiedSet(s.slot, { seed: 22, slices: 2 });
        return { set, files: set.files };
      })
    ).set;
  });
  afterAll(async () => portal.stop());

  it('lists the studies a commit stored for the subject, with series read from the stored headers', async () => {
    const listed = await uploader.get(`${subjectPath()}/stored-studies`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((s: { studyInstanceUid: string }) => s.studyInstanceUid).sort()).toEqual(
      [first.studyInstanceUid, second.studyInstanceUid].sort(),
    );
    const study = listed.body.find((s: { studyInstanceUid: string }) => s.studyInstanceUid === first.studyInstanceUid);
    const header = headerOf(readDicom(first.files[0]!.bytes, { headerOnly: true }));
    expect(study).toMatchObject({
      patientId: header.patientId,
      studyDate: header.studyDate,
      studyTime: header.studyTime,
      description: header.studyDescription,
      modalities: ['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT'],
      seriesCount: 4,
      instanceCount: first.files.length,
      source: 'upload',
      assignedTo: [{ eventId: fixture.eventA, slotDefinitionId: fixture.slotCt, slotLabel: 'Planning CT' }],
    });
    expect(study.patientId).not.toBe('HOSP-4711');
    // Series in Series Number order, each as its own stored header says.
    const numbers = study.series.map((s: { seriesNumber: number }) => s.seriesNumber);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    for (const file of first.files) {
      const h = headerOf(readDicom(file.bytes, { headerOnly: true }));
      const series = study.series.find(
        (s: { seriesInstanceUid: string }) => s.seriesInstanceUid === file.manifest.seriesInstanceUid,
      );
      expect(series).toMatchObject({
        seriesNumber: h.seriesNumber,
        modality: h.modality,
        description: h.seriesDescription,
        seriesDate: h.seriesDate,
        seriesTime: h.seriesTime,
      });
    }
    const ct = study.series.find((s: { modality: string }) => s.modality === 'CT');
    expect(ct.instanceCount).toBe(3);
    // The other site's subject has none; the site uploader may not even ask.
    expect((await admin.get(`${subjectPath(fixture.subjectB)}/stored-studies`)).body).toEqual([]);
    expect((await uploader.get(`${subjectPath(fixture.subjectB)}/stored-studies`)).status).toBe(403);
  });

  it('answers one stored study with its series for the row expansion, 404 for a study not stored', async () => {
    const one = await monitor.get(`${subjectPath()}/stored-studies/${second.studyInstanceUid}`);
    expect(one.status).toBe(200);
    expect(one.body.series).toHaveLength(4);
    expect(one.body.instanceCount).toBe(second.files.length);
    const missing = await monitor.get(`${subjectPath()}/stored-studies/2.25.999`);
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    const bad = await monitor.get(`${subjectPath()}/stored-studies/not-a-uid`);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('assigns a stored study to a second event’s slot with the study’s summary and records how', async () => {
    const assigned = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: first.studyInstanceUid,
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.value).toMatchObject({
      studyInstanceUid: first.studyInstanceUid,
      uploadId: null,
      assignedBy: fixtureUsername('site_uploader'),
      modalities: ['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT'],
      seriesCount: 4,
      instanceCount: first.files.length,
    });
    const history = await monitor.get(`${slotPath(followUpEvent, followUpSlot)}/history`);
    expect(history.body).toEqual([
      expect.objectContaining({ studyInstanceUid: first.studyInstanceUid, current: true, how: 'assign', end: null }),
    ]);
    const listed = await uploader.get(`${subjectPath()}/stored-studies/${first.studyInstanceUid}`);
    expect(listed.body.assignedTo.map((a: { slotLabel: string }) => a.slotLabel)).toEqual([
      'Planning CT',
      'Follow-up CT',
    ]);
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select(['detailsJson', 'username'])
      .where('action', '=', 'slot.assigned')
      .where('targetId', '=', `${followUpEvent}/${followUpSlot}`)
      .executeTakeFirstOrThrow();
    expect(audit.username).toBe(fixtureUsername('site_uploader'));
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ how: 'assign', studyInstanceUid: first.studyInstanceUid });
  });

  it('refuses the study the slot already holds, and a filled slot without overwrite', async () => {
    const same = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: first.studyInstanceUid,
      overwrite: true,
    });
    expect([same.status, same.body.code]).toEqual([409, 'SLOT_SAME_STUDY']);
    const filled = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: second.studyInstanceUid,
    });
    expect([filled.status, filled.body.code]).toEqual([409, 'SLOT_FILLED']);
    expect(filled.body.details.studyInstanceUid).toBe(first.studyInstanceUid);
    const history = await monitor.get(`${slotPath(followUpEvent, followUpSlot)}/history`);
    expect(history.body).toHaveLength(1);
  });

  it('refuses a study that is not stored for this subject, and a slot of another event definition', async () => {
    const unknown = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: '2.25.12345',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    // Subject B's own slot: subject A's study is not B's.
    const otherSubject = await admin.post(`${slotPath(fixture.eventB, fixture.slotCt, fixture.subjectB)}/assign`, {
      studyInstanceUid: first.studyInstanceUid,
    });
    expect([otherSubject.status, otherSubject.body.code]).toEqual([404, 'NOT_FOUND']);
    const wrongSlot = await uploader.post(`${slotPath(followUpEvent, fixture.slotCt)}/assign`, {
      studyInstanceUid: first.studyInstanceUid,
    });
    expect([wrongSlot.status, wrongSlot.body.code]).toEqual([404, 'NOT_FOUND']);
    const monitorTry = await monitor.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: second.studyInstanceUid,
      overwrite: true,
    });
    expect([monitorTry.status, monitorTry.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('replaces a filled slot with overwrite, keeping the old value and the reason in the history', async () => {
    const replaced = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: second.studyInstanceUid,
      overwrite: true,
      reason: 'the follow-up scan is the later one',
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body.value.studyInstanceUid).toBe(second.studyInstanceUid);
    const history = await monitor.get(`${slotPath(followUpEvent, followUpSlot)}/history`);
    expect(
      history.body.map((e: { studyInstanceUid: string; end: string | null }) => [e.studyInstanceUid, e.end]),
    ).toEqual([
      [second.studyInstanceUid, null],
      [first.studyInstanceUid, 'replaced'],
    ]);
    expect(history.body[1]).toMatchObject({
      how: 'assign',
      endedBy: fixtureUsername('site_uploader'),
      reason: 'the follow-up scan is the later one',
    });
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select('detailsJson')
      .where('action', '=', 'slot.overwritten')
      .where('targetId', '=', `${followUpEvent}/${followUpSlot}`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detailsJson)).toMatchObject({ previousStudyInstanceUid: first.studyInstanceUid });
  });

  it('clears a slot only for study managers and admins, only with a reason; the stored study stays', async () => {
    const path = `${slotPath(followUpEvent, followUpSlot)}/clear`;
    const byUploader = await uploader.post(path, { reason: 'mine' });
    expect([byUploader.status, byUploader.body.code]).toEqual([403, 'FORBIDDEN']);
    const noReason = await manager.post(path, {});
    expect([noReason.status, noReason.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const blank = await manager.post(path, { reason: '   ' });
    expect([blank.status, blank.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const cleared = await manager.post(path, { reason: 'assigned to the wrong event' });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(cleared.body).toMatchObject({ slotDefinitionId: followUpSlot, value: null });
    const again = await manager.post(path, { reason: 'twice' });
    expect([again.status, again.body.code]).toEqual([409, 'SLOT_EMPTY']);

    const history = await uploader.get(`${slotPath(followUpEvent, followUpSlot)}/history`);
    expect(history.body.map((e: { studyInstanceUid: string; end: string }) => [e.studyInstanceUid, e.end])).toEqual([
      [second.studyInstanceUid, 'cleared'],
      [first.studyInstanceUid, 'replaced'],
    ]);
    expect(history.body[0]).toMatchObject({
      current: false,
      endedBy: fixtureUsername('study_manager'),
      reason: 'assigned to the wrong event',
    });
    const stored = await uploader.get(`${subjectPath()}/stored-studies/${second.studyInstanceUid}`);
    expect(stored.status).toBe(200);
    expect(stored.body.assignedTo.map((a: { slotLabel: string }) => a.slotLabel)).toEqual(['RT Plan']);
    expect(await portal.context.store.listStudy(second.studyInstanceUid)).toHaveLength(second.files.length);
    const audit = await portal.context.db
      .selectFrom('auditLog')
      .select(['detailsJson', 'username'])
      .where('action', '=', 'slot.cleared')
      .executeTakeFirstOrThrow();
    expect(audit.username).toBe(fixtureUsername('study_manager'));
    expect(JSON.parse(audit.detailsJson)).toMatchObject({
      studyInstanceUid: second.studyInstanceUid,
      reason: 'assigned to the wrong event',
    });
    // A cleared slot takes a study again without overwrite.
    const reassigned = await uploader.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: first.studyInstanceUid,
    });
    expect(reassigned.status).toBe(200);
  });

  it('keeps an upload that replaces an assignment in the history as replaced, with how = upload before it', async () => {
    await upload(
      fixture.eventA,
      fixture.slotCt,
      (s) => {
        const set = deidentifiedSet(s.slot, { seed: 23, slices: 1 });
        return { set, files: set.files };
      },
      true,
    );
    const history = await monitor.get(`${slotPath(fixture.eventA, fixture.slotCt)}/history`);
    expect(history.body).toHaveLength(2);
    expect(history.body[0]).toMatchObject({ current: true, how: 'upload' });
    expect(history.body[1]).toMatchObject({
      studyInstanceUid: first.studyInstanceUid,
      how: 'upload',
      end: 'replaced',
      reason: null,
    });
    expect(history.body[1].uploadId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('merges a later upload of more series of the same study into one catalogue entry', async () => {
    let set: UploadSet | undefined;
    await upload(
      fixture.eventA,
      rtPlanSlot,
      (s) => {
        set = deidentifiedSet(s.slot, { seed: 24 });
        return { set, files: set.files.filter((f) => f.manifest.modality === 'CT') };
      },
      true,
    );
    const before = await uploader.get(`${subjectPath()}/stored-studies/${set!.studyInstanceUid}`);
    expect(before.body).toMatchObject({ modalities: ['CT'], seriesCount: 1, instanceCount: 3 });
    await upload(
      followUpEvent,
      followUpSlot,
      (s) => {
        const again = deidentifiedSet(s.slot, { seed: 24 });
        // The CT slices again (resent, not new) and the RT objects.
        return { set: again, files: again.files };
      },
      true,
    );
    const after = await uploader.get(`${subjectPath()}/stored-studies/${set!.studyInstanceUid}`);
    expect(after.body).toMatchObject({
      modalities: ['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT'],
      seriesCount: 4,
      instanceCount: set!.files.length,
    });
    expect(after.body.firstUploadId).not.toBe(after.body.lastUploadId);
  });

  it('rebuilds from the store a committed study the catalogue does not know (committed before migration 0004)', async () => {
    const before = await uploader.get(`${subjectPath()}/stored-studies/${second.studyInstanceUid}`);
    const db = portal.context.db;
    for (const table of ['storedSeries', 'storedStudies'] as const) {
      await db.deleteFrom(table).where('studyInstanceUid', '=', second.studyInstanceUid).execute();
    }
    const after = await uploader.get(`${subjectPath()}/stored-studies`);
    const rebuilt = after.body.find(
      (s: { studyInstanceUid: string }) => s.studyInstanceUid === second.studyInstanceUid,
    );
    const { storedAt: _before, ...expected } = before.body;
    const { storedAt: _after, ...actual } = rebuilt;
    expect(actual).toEqual(expected);
  });

  it('refuses assigning and clearing in a locked study', async () => {
    const locked = await admin.request('PATCH', `/api/studies/${fixture.studyId}`, { status: 'locked' });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    const assign = await admin.post(`${slotPath(followUpEvent, followUpSlot)}/assign`, {
      studyInstanceUid: second.studyInstanceUid,
      overwrite: true,
    });
    expect([assign.status, assign.body.code]).toEqual([409, 'STUDY_LOCKED']);
    const clear = await admin.post(`${slotPath(followUpEvent, followUpSlot)}/clear`, { reason: 'locked?' });
    expect([clear.status, clear.body.code]).toEqual([409, 'STUDY_LOCKED']);
    expect((await monitor.get(`${slotPath(followUpEvent, followUpSlot)}/history`)).status).toBe(200);
  });
});
