import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const manifestOf = (count: number, series = '2.25.100') => ({
  studyInstanceUid: '2.25.99',
  instances: Array.from({ length: count }, (_, i) => ({
    sopInstanceUid: `${series}.${i + 1}`,
    sopClassUid: CT,
    seriesInstanceUid: series,
    modality: 'CT',
    size: 1000 + i,
  })),
});

describe(`upload sessions on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  const slot = () => ({
    studyId: fixture.studyId,
    subjectId: fixture.subjectA,
    eventId: fixture.eventA,
    slotDefinitionId: fixture.slotCt,
  });

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
  });
  afterAll(async () => portal.stop());

  it('opens a session returning the slot parameters the Uploader needs', async () => {
    const response = await uploader.post('/api/uploads', slot());
    expect(response.status).toBe(201);
    const session = response.body;
    const study = await portal.context.db.selectFrom('studies').selectAll().executeTakeFirstOrThrow();
    const subject = await portal.context.db
      .selectFrom('subjects')
      .selectAll()
      .where('id', '=', fixture.subjectA)
      .executeTakeFirstOrThrow();
    expect(session).toMatchObject({ status: 'open', createdBy: 'site-uploader', manifest: null, instances: [] });
    expect(session.slot).toMatchObject({
      pseudonym: subject.pseudonym,
      subjectLabel: 'A-001',
      sex: 'F',
      birthDate: '1960-05-01',
      birthYear: 1960,
      eventName: 'Planning',
      slotLabel: 'Planning CT',
      expectedModalities: ['CT'],
      uidSecret: study.uidSecret,
      deid: { profile: 'basic', options: [] },
      dateHandling: 'remove',
      dateOffsetDays: null,
      currentValue: null,
      clinicalTrial: {
        ClinicalTrialSponsorName: 'Fixture sponsor',
        ClinicalTrialProtocolID: 'FIX-P',
        ClinicalTrialProtocolName: 'Fixture study',
        ClinicalTrialSiteID: 'A',
        ClinicalTrialSiteName: 'Site A',
        ClinicalTrialSubjectID: 'A-001',
        ClinicalTrialTimePointID: 'Planning',
        ClinicalTrialTimePointDescription: 'Planning: Planning CT',
      },
    });
    expect(session.slot.limits.maxBatchBytes).toBe(64 * 1024 * 1024);
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(60 * 60_000);
  });

  it('hands out the date offset only when the study shifts dates', async () => {
    await portal.context.db.updateTable('studies').set({ dateHandling: 'shift' }).execute();
    try {
      const session = (await uploader.post('/api/uploads', slot())).body;
      expect(session.slot.dateHandling).toBe('shift');
      expect(session.slot.dateOffsetDays).toBeLessThan(0);
    } finally {
      await portal.context.db.updateTable('studies').set({ dateHandling: 'remove' }).execute();
    }
  });

  it('refuses a slot that is not part of the subject’s event with NOT_FOUND', async () => {
    const wrongEvent = await uploader.post('/api/uploads', { ...slot(), eventId: fixture.eventB });
    expect([wrongEvent.status, wrongEvent.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses to open a session in a locked study', async () => {
    await portal.context.db.updateTable('studies').set({ status: 'locked' }).execute();
    try {
      const refused = await uploader.post('/api/uploads', slot());
      expect([refused.status, refused.body.code]).toEqual([409, 'STUDY_LOCKED']);
    } finally {
      await portal.context.db.updateTable('studies').set({ status: 'active' }).execute();
    }
  });

  it('registers a manifest; the same manifest again is a no-op, audited once', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    const path = `/api/uploads/${session.id}/manifest`;
    const first = await uploader.request('PUT', path, manifestOf(3));
    expect(first.status).toBe(200);
    expect(first.body.manifest).toEqual({ studyInstanceUid: '2.25.99', instanceCount: 3, totalBytes: 3003 });
    expect(first.body.counts).toEqual({ pending: 3, stored: 0, rejected: 0 });
    expect(first.body.instances[0]).toEqual({
      sopInstanceUid: '2.25.100.1',
      seriesInstanceUid: '2.25.100',
      size: 1000,
      state: 'pending',
      reason: null,
      storedSha256: null,
    });
    const again = await uploader.request('PUT', path, manifestOf(3));
    expect(again.body).toEqual(first.body);
    const audits = await portal.context.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'upload.manifest_registered')
      .where('targetId', '=', session.id)
      .execute();
    expect(audits).toHaveLength(1);
  });

  it('replaces the manifest while nothing is stored, and locks it once an instance is stored', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    const path = `/api/uploads/${session.id}/manifest`;
    await uploader.request('PUT', path, manifestOf(2));
    const replaced = await uploader.request('PUT', path, manifestOf(4, '2.25.200'));
    expect(replaced.body.manifest.instanceCount).toBe(4);
    await portal.context.db
      .updateTable('uploadInstances')
      .set({ state: 'stored', storedSize: 1000, storedSha256: 'a'.repeat(64) })
      .where('uploadId', '=', session.id)
      .where('sopInstanceUid', '=', '2.25.200.1')
      .execute();
    const locked = await uploader.request('PUT', path, manifestOf(5, '2.25.200'));
    expect([locked.status, locked.body.code]).toEqual([409, 'MANIFEST_LOCKED']);
    const status = await uploader.get(`/api/uploads/${session.id}`);
    expect(status.body.counts).toEqual({ pending: 3, stored: 1, rejected: 0 });
    expect(status.body.manifest.instanceCount).toBe(4);
  });

  it('stores a manifest of thousands of instances (chunked inserts)', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    const response = await uploader.request('PUT', `/api/uploads/${session.id}/manifest`, manifestOf(2500));
    expect(response.status).toBe(200);
    expect(response.body.counts.pending).toBe(2500);
  });

  it('refuses a manifest with a malformed UID or a duplicate SOP Instance UID', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    const path = `/api/uploads/${session.id}/manifest`;
    const bad = manifestOf(1);
    bad.instances[0]!.sopInstanceUid = '1.2.03';
    expect((await uploader.request('PUT', path, bad)).body.code).toBe('VALIDATION_FAILED');
    const duplicate = manifestOf(2);
    duplicate.instances[1]!.sopInstanceUid = duplicate.instances[0]!.sopInstanceUid;
    expect((await uploader.request('PUT', path, duplicate)).body.code).toBe('VALIDATION_FAILED');
  });

  it('survives the end of the browser session: after a new login the status is there to resume', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    await uploader.request('PUT', `/api/uploads/${session.id}/manifest`, manifestOf(2));
    portal.clock.advance(31 * 60_000); // the 30-minute session idles out
    const expired = await uploader.get(`/api/uploads/${session.id}`);
    expect(expired.body.code).toBe('SESSION_EXPIRED');
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const resumed = await uploader.get(`/api/uploads/${session.id}`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'open', counts: { pending: 2, stored: 0, rejected: 0 } });
  });

  it('expires an unused upload session and refuses further changes with UPLOAD_CLOSED', async () => {
    const session = (await uploader.post('/api/uploads', slot())).body;
    portal.clock.advance(25 * 60_000);
    await uploader.get('/api/me'); // keep the login alive
    portal.clock.advance(25 * 60_000);
    await uploader.get('/api/me');
    portal.clock.advance(11 * 60_000);
    const status = await uploader.get(`/api/uploads/${session.id}`);
    expect(status.body.status).toBe('expired');
    const refused = await uploader.request('PUT', `/api/uploads/${session.id}/manifest`, manifestOf(1));
    expect([refused.status, refused.body.code]).toEqual([409, 'UPLOAD_CLOSED']);
  });

  it('lists the caller’s own sessions for a slot, newest first, so a reloaded Uploader finds its session', async () => {
    const other = new TestClient(portal.baseUrl);
    await other.login(fixtureUsername('study_manager'), FIXTURE_PASSWORD);
    await other.post('/api/uploads', slot());
    const mine = (await uploader.post('/api/uploads', slot())).body;
    await uploader.request('PUT', `/api/uploads/${mine.id}/manifest`, manifestOf(2));
    const query = `?studyId=${fixture.studyId}&eventId=${fixture.eventA}&slotDefinitionId=${fixture.slotCt}&status=open`;
    const listed = await uploader.get(`/api/uploads${query}`);
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({
      id: mine.id,
      status: 'open',
      counts: { pending: 2, stored: 0, rejected: 0 },
      manifest: { instanceCount: 2 },
    });
    const ids = listed.body.map((u: { id: string }) => u.id);
    const others = (await other.get(`/api/uploads${query}`)).body.map((u: { id: string }) => u.id);
    expect(ids.filter((id: string) => others.includes(id))).toEqual([]);
    for (const upload of listed.body) expect(upload.status).toBe('open');
  });

  it('answers an unknown upload id with NOT_FOUND', async () => {
    const response = await uploader.get(`/api/uploads/${crypto.randomUUID()}`);
    expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});
