import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from '../test/fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from '../test/portal-harness.js';
import { TEST_BACKEND } from '../test/test-database.js';
import { housekeeping } from './housekeeping.js';

describe(`housekeeping on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  beforeAll(async () => {
    portal = await startPortal({ sessionIdleMs: 60_000, uploadTtlMs: 3_600_000 });
    fixture = await createFixtureStudy(portal);
  });
  afterAll(async () => portal.stop());

  it('deletes expired sessions and expires stale upload sessions, leaving live ones alone', async () => {
    const stale = new TestClient(portal.baseUrl);
    await stale.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const upload = await stale.post('/api/uploads', {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    });
    expect(upload.status).toBe(201);
    portal.clock.advance(3_600_000 + 1);
    const live = new TestClient(portal.baseUrl);
    await live.login(fixtureUsername('monitor'), FIXTURE_PASSWORD);

    const result = await housekeeping(portal.context.db, portal.clock());
    expect(result).toEqual({ sessionsPurged: 1, uploadsExpired: 1, stagingRemoved: 0 });
    const row = await portal.context.db.selectFrom('uploadSessions').select('status').executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    expect((await live.get('/api/me')).status).toBe(200);
    expect((await housekeeping(portal.context.db, portal.clock())).sessionsPurged).toBe(0);
  });

  it("removes ended sessions' staging from the configured staging folder, keeping open ones", async () => {
    const shared = await mkdtemp(join(tmpdir(), 'courier-shared-staging-'));
    try {
      const client = new TestClient(portal.baseUrl);
      await client.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
      const body = {
        studyId: fixture.studyId,
        subjectId: fixture.subjectA,
        eventId: fixture.eventA,
        slotDefinitionId: fixture.slotCt,
      };
      const ended = (await client.post('/api/uploads', body)).body.id as string;
      portal.clock.advance(3_600_000 + 1);
      await client.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
      const open = (await client.post('/api/uploads', body)).body.id as string;
      await mkdir(join(shared, ended), { recursive: true });
      await mkdir(join(shared, open), { recursive: true });

      const result = await housekeeping(portal.context.db, portal.clock(), {
        dataDir: '/nonexistent',
        stagingDir: shared,
      });
      expect(result.stagingRemoved).toBe(1);
      expect(await readdir(shared)).toEqual([open]);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });

  it('marks API responses no-store and nosniff', async () => {
    const response = await fetch(`${portal.baseUrl}/api/me`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
