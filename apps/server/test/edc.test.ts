import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

describe(`EDC endpoints on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let manager: TestClient;
  let base: string;

  beforeAll(async () => {
    portal = await startPortal();
    fixture = await createFixtureStudy(portal);
    manager = new TestClient(portal.baseUrl);
    await manager.login(fixtureUsername('study_manager'), FIXTURE_PASSWORD);
    base = `/api/studies/${fixture.studyId}`;
    for (let i = 1; i <= 12; i++) {
      const label = `A-${String(i + 100)}`;
      const response = await manager.post(`${base}/subjects`, {
        siteId: fixture.siteA,
        label,
        sex: 'M',
        birthYear: 1950 + i,
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(async () => portal.stop());

  it('pages the subject list in label order with a total', async () => {
    const first = await manager.get(`${base}/subjects?limit=5`);
    expect(first.body).toMatchObject({ total: 14, offset: 0, limit: 5 });
    expect(first.body.items.map((s: { label: string }) => s.label)).toEqual([
      'A-001',
      'A-101',
      'A-102',
      'A-103',
      'A-104',
    ]);
    const last = await manager.get(`${base}/subjects?limit=5&offset=10`);
    expect(last.body.items.map((s: { label: string }) => s.label)).toEqual(['A-110', 'A-111', 'A-112', 'B-001']);
  });

  it('searches label and pseudonym case-insensitively, wildcards taken literally', async () => {
    const byLabel = await manager.get(`${base}/subjects?q=a-11`);
    expect(byLabel.body.items.map((s: { label: string }) => s.label)).toEqual(['A-110', 'A-111', 'A-112']);
    const someone = byLabel.body.items[0];
    const byPseudonym = await manager.get(`${base}/subjects?q=${someone.pseudonym.toLowerCase()}`);
    expect(byPseudonym.body.items.map((s: { id: string }) => s.id)).toContain(someone.id);
    const wildcard = await manager.get(`${base}/subjects?q=%25`);
    expect(wildcard.body.total).toBe(0);
  });

  it('refuses a bad query with VALIDATION_FAILED naming the parameter', async () => {
    const response = await manager.get(`${base}/subjects?limit=1000`);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.issues[0].path).toEqual(['limit']);
  });

  it('refuses an enrolment with both or neither of birth date and year, and a duplicate label', async () => {
    const both = await manager.post(`${base}/subjects`, {
      siteId: fixture.siteA,
      label: 'X-1',
      sex: 'F',
      birthYear: 1950,
      birthDate: '1950-01-01',
    });
    expect(both.body.code).toBe('VALIDATION_FAILED');
    const neither = await manager.post(`${base}/subjects`, { siteId: fixture.siteA, label: 'X-1', sex: 'F' });
    expect(neither.body.code).toBe('VALIDATION_FAILED');
    const duplicate = await manager.post(`${base}/subjects`, {
      siteId: fixture.siteA,
      label: 'A-001',
      sex: 'F',
      birthYear: 1950,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('ALREADY_EXISTS');
  });

  it('schedules a repeating event again as the next occurrence, a non-repeating one only once', async () => {
    const events = `${base}/subjects/${fixture.subjectA}/events`;
    const first = await manager.post(events, { eventDefinitionId: fixture.followUpId, date: '2027-01-15' });
    const second = await manager.post(events, { eventDefinitionId: fixture.followUpId });
    expect([first.body.occurrence, second.body.occurrence]).toEqual([1, 2]);
    expect(first.body.date).toBe('2027-01-15');
    const again = await manager.post(events, { eventDefinitionId: fixture.planningId });
    expect(again.body.code).toBe('ALREADY_EXISTS');
    const list = await manager.get(events);
    expect(list.body.map((e: { name: string; occurrence: number }) => `${e.name}#${e.occurrence}`)).toEqual([
      'Planning#1',
      'Follow-up#1',
      'Follow-up#2',
    ]);
  });

  it('shows a filled slot with its study, uploader and time', async () => {
    const db = portal.context.db;
    await db
      .insertInto('slotValues')
      .values({
        scheduledEventId: fixture.eventA,
        slotDefinitionId: (
          await db.selectFrom('slotDefinitions').select('id').where('label', '=', 'RT Plan').executeTakeFirstOrThrow()
        ).id,
        studyInstanceUid: '2.25.1234',
        assignedAt: '2026-11-25T10:00:00.000Z',
        assignedBy: fixture.userIds.site_uploader,
        uploadId: null,
      })
      .execute();
    const slots = await manager.get(`${base}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots`);
    expect(slots.body[0]).toMatchObject({ label: 'Planning CT', value: null });
    expect(slots.body[1]).toMatchObject({
      label: 'RT Plan',
      value: { studyInstanceUid: '2.25.1234', assignedBy: 'site-uploader', assignedAt: '2026-11-25T10:00:00.000Z' },
    });
    const events = await manager.get(`${base}/subjects/${fixture.subjectA}/events`);
    expect(events.body[0]).toMatchObject({ name: 'Planning', filledSlots: 1, totalSlots: 2 });
  });

  it('withdraws and relabels a subject, keeping its pseudonym', async () => {
    const before = await manager.get(`${base}/subjects/${fixture.subjectB}`);
    const updated = await manager.request('PATCH', `${base}/subjects/${fixture.subjectB}`, {
      status: 'withdrawn',
      label: 'B-001w',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: 'withdrawn', label: 'B-001w', pseudonym: before.body.pseudonym });
    await manager.request('PATCH', `${base}/subjects/${fixture.subjectB}`, { status: 'enrolled', label: 'B-001' });
  });

  it('answers an event of another subject with NOT_FOUND', async () => {
    const response = await manager.get(`${base}/subjects/${fixture.subjectA}/events/${fixture.eventB}/slots`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('refuses set-up changes to a locked study with STUDY_LOCKED, and unlocks', async () => {
    const admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    expect((await admin.request('PATCH', base, { status: 'locked' })).body.status).toBe('locked');
    const refused = await manager.post(`${base}/sites`, { code: 'L1', name: 'Locked' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('STUDY_LOCKED');
    expect((await admin.request('PATCH', base, { status: 'active' })).body.status).toBe('active');
    expect((await manager.post(`${base}/sites`, { code: 'L1', name: 'Unlocked' })).status).toBe(201);
  });

  it('records set-up changes in the audit log, newest first, for study admins', async () => {
    const admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    const log = await admin.get(`/api/audit?studyId=${fixture.studyId}&action=subject.enrolled&limit=3`);
    expect(log.status).toBe(200);
    expect(log.body.total).toBe(14);
    expect(log.body.items).toHaveLength(3);
    expect(log.body.items[0]).toMatchObject({ action: 'subject.enrolled', username: 'study-manager', ip: '127.0.0.1' });
    expect(log.body.items[0].id).toBeGreaterThan(log.body.items[1].id);
    expect(log.body.items[0].details.label).toBe('A-112');
  });

  it('answers an unknown route and a malformed JSON body with the API error body', async () => {
    const missing = await manager.get('/api/nothing-here');
    expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    const response = await fetch(`${portal.baseUrl}${base}/sites`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-csrf-token': manager.csrfToken!,
      },
      body: '{"code":',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('serves concurrent writes and reads without losing any', async () => {
    const labels = Array.from({ length: 10 }, (_, i) => `C-${i}`);
    const responses = await Promise.all([
      ...labels.map((label) =>
        manager.post(`${base}/subjects`, { siteId: fixture.siteB, label, sex: 'O', birthYear: 1990 }),
      ),
      ...labels.map(() => manager.get(`${base}/subjects?limit=1`)),
    ]);
    expect(responses.map((r) => r.status)).toEqual([...labels.map(() => 201), ...labels.map(() => 200)]);
    const created = responses.slice(0, labels.length).map((r) => r.body.pseudonym);
    expect(new Set(created).size).toBe(labels.length);
    const listed = await manager.get(`${base}/subjects?q=C-&limit=50`);
    expect(listed.body.items.map((s: { label: string }) => s.label)).toEqual(labels);
  });

  it('serves the OpenAPI document without authentication', async () => {
    const response = await fetch(`${portal.baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/api/studies/{studyId}/subjects/{subjectId}/events/{eventId}/slots');
  });
});
