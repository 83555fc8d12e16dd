import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSeed, seedDemoIfEmpty } from '../src/demo/seed-demo.js';
import { isValidPseudonym } from '../src/edc/pseudonym.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

describe(`the demo seed on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let seed: DemoSeed;
  const password = (username: string) => seed.credentials.find((c) => c.username === username)!.password;

  beforeAll(async () => {
    portal = await startPortal();
    const created = await seedDemoIfEmpty(portal.context);
    if (created === null) throw new Error('an empty database must be seeded');
    seed = created;
  });
  afterAll(async () => portal.stop());

  it('creates admin, uploader and monitor with distinct generated passwords that log in', async () => {
    expect(seed.credentials.map((c) => c.username)).toEqual(['admin', 'uploader', 'monitor']);
    expect(new Set(seed.credentials.map((c) => c.password)).size).toBe(3);
    for (const { username, password } of seed.credentials) {
      const client = new TestClient(portal.baseUrl);
      const me = await client.login(username, password);
      expect(me.body.activeStudyId).toBe(seed.studyId);
    }
  });

  it('stores no password in clear', async () => {
    const hashes = await portal.context.db.selectFrom('users').select('passwordHash').execute();
    for (const { passwordHash } of hashes) {
      expect(passwordHash.startsWith('scrypt$')).toBe(true);
      for (const { password } of seed.credentials) expect(passwordHash).not.toContain(password);
    }
  });

  it('does nothing on a database that already has users', async () => {
    expect(await seedDemoIfEmpty(portal.context)).toBeNull();
    const studies = await portal.context.db.selectFrom('studies').select('id').execute();
    expect(studies).toHaveLength(1);
  });

  it('builds the demo study: two sites, subjects with sex and birth date, events with the RT slots', async () => {
    const admin = new TestClient(portal.baseUrl);
    await admin.login('admin', password('admin'));
    const study = await admin.get(`/api/studies/${seed.studyId}`);
    expect(study.body.sites.map((s: { code: string }) => s.code)).toEqual(['S01', 'S02']);
    const subjects = await admin.get(`/api/studies/${seed.studyId}/subjects`);
    expect(subjects.body.total).toBe(5);
    for (const subject of subjects.body.items) {
      expect(['F', 'M']).toContain(subject.sex);
      expect(subject.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(isValidPseudonym(subject.pseudonym)).toBe(true);
    }
    const definitions = await admin.get(`/api/studies/${seed.studyId}/event-definitions`);
    expect(
      definitions.body.map((d: { name: string; slots: { label: string }[] }) => [d.name, d.slots.map((s) => s.label)]),
    ).toEqual([
      ['Baseline', []],
      ['Planning', ['Planning CT', 'RT Structure Set', 'RT Plan', 'RT Dose']],
      ['Follow-up', ['Follow-up MR']],
    ]);
    const first = subjects.body.items[0];
    const events = await admin.get(`/api/studies/${seed.studyId}/subjects/${first.id}/events`);
    expect(events.body.map((e: { name: string }) => e.name)).toEqual(['Baseline', 'Planning', 'Follow-up']);
    const planning = events.body.find((e: { name: string }) => e.name === 'Planning');
    expect(planning).toMatchObject({ totalSlots: 4, filledSlots: 0 });
    const slots = await admin.get(`/api/studies/${seed.studyId}/subjects/${first.id}/events/${planning.id}/slots`);
    expect(
      slots.body.map((s: { label: string; modalities: string[]; value: unknown }) => [s.label, s.modalities, s.value]),
    ).toEqual([
      ['Planning CT', ['CT'], null],
      ['RT Structure Set', ['RTSTRUCT'], null],
      ['RT Plan', ['RTPLAN'], null],
      ['RT Dose', ['RTDOSE'], null],
    ]);
  });

  it('lets the demo uploader see only site S01 and the monitor change nothing', async () => {
    const uploader = new TestClient(portal.baseUrl);
    await uploader.login('uploader', password('uploader'));
    const subjects = await uploader.get(`/api/studies/${seed.studyId}/subjects`);
    expect(subjects.body.items.map((s: { label: string }) => s.label)).toEqual(['S01-001', 'S01-002', 'S01-003']);
    const monitor = new TestClient(portal.baseUrl);
    await monitor.login('monitor', password('monitor'));
    const refused = await monitor.post(`/api/studies/${seed.studyId}/sites`, { code: 'S03', name: 'X' });
    expect(refused.body.code).toBe('FORBIDDEN');
  });
});
