import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deidentifiedSet } from './dicom-upload.js';
import { type CommittedStudy, commitStudy } from './dicomweb-fixture.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

type Json = Record<string, { vr: string; Value?: unknown[] }>;
const first = (record: Json, key: string) => record[key]?.Value?.[0];

describe(`QIDO-RS of the Portal's DICOMweb service on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  const clients: Record<string, TestClient> = {};
  let studyA: CommittedStudy;
  let studyB: CommittedStudy;
  let unassignedUid: string;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    // Dates kept, so Study Date matching has values to match (the fixture's default removes them).
    await portal.context.db.updateTable('studies').set({ dateHandling: 'keep' }).execute();
    for (const user of ['site_uploader', 'admin', 'monitor', 'outsider', 'system_admin'] as const) {
      clients[user] = new TestClient(portal.baseUrl);
      await clients[user].login(fixtureUsername(user), FIXTURE_PASSWORD);
    }
    studyA = await commitStudy(clients.site_uploader!, fixture, {
      site: 'A',
      slotDefinitionId: fixture.slotCt,
      seed: 1,
    });
    studyB = await commitStudy(clients.admin!, fixture, { site: 'B', slotDefinitionId: fixture.slotCt, seed: 2 });
    // A study in the store that no slot holds (an abandoned commit, or arrived by another route).
    const session = await clients.admin!.post('/api/uploads', {
      studyId: fixture.studyId,
      subjectId: fixture.subjectA,
      eventId: fixture.eventA,
      slotDefinitionId: fixture.slotCt,
    });
    const unassigned = deidentifiedSet(session.body.slot, { seed: 3 });
    unassignedUid = unassigned.studyInstanceUid;
    for (const file of unassigned.files) {
      await portal.context.store.put(
        { studyInstanceUid: unassignedUid, ...file.manifest },
        (async function* () {
          yield file.bytes;
        })(),
      );
    }
  });
  afterAll(async () => portal.stop());

  const get = (user: string, path: string) => clients[user]!.get(path);
  const uids = (records: Json[]) => records.map((r) => first(r, '0020000D')).sort();

  it('lists to a monitor every assigned study with the required study attributes and counts', async () => {
    const response = await get('monitor', '/dicomweb/studies');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
    expect(uids(response.body)).toEqual([studyA.studyInstanceUid, studyB.studyInstanceUid].sort());
    const a = (response.body as Json[]).find((r) => first(r, '0020000D') === studyA.studyInstanceUid)!;
    const series = new Set(studyA.files.map((f) => f.manifest.seriesInstanceUid));
    expect(first(a, '00201206')).toBe(series.size);
    expect(first(a, '00201208')).toBe(studyA.files.length);
    expect(a['00080061']?.Value).toEqual(['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT']);
    expect(first(a, '00100020')).toBe(studyA.pseudonym);
    expect(first(a, '00100010')).toEqual({ Alphabetic: studyA.pseudonym });
    expect(first(a, '00080056')).toBe('ONLINE');
    expect(first(a, '00081190')).toBe(`${portal.baseUrl}/dicomweb/studies/${studyA.studyInstanceUid}`);
    expect(a['00080020']?.vr).toBe('DA');
  });

  it("shows a site uploader only its own site's study and answers 404 for the other site's", async () => {
    expect(uids((await get('site_uploader', '/dicomweb/studies')).body)).toEqual([studyA.studyInstanceUid]);
    for (const path of ['series', 'instances', 'metadata']) {
      const other = await get('site_uploader', `/dicomweb/studies/${studyB.studyInstanceUid}/${path}`);
      expect([path, other.status, other.body.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect((await get('site_uploader', `/dicomweb/studies/${studyA.studyInstanceUid}/series`)).status).toBe(200);
  });

  it('never shows a stored study that no slot holds, not even to a system administrator', async () => {
    expect(uids((await get('system_admin', '/dicomweb/studies')).body)).not.toContain(unassignedUid);
    const direct = await get('system_admin', `/dicomweb/studies/${unassignedUid}/series`);
    expect(direct.status).toBe(404);
    const byUid = await get('system_admin', `/dicomweb/studies?StudyInstanceUID=${unassignedUid}`);
    expect(byUid.body).toEqual([]);
  });

  it('shows a user without membership nothing and 404 for a known study', async () => {
    expect((await get('outsider', '/dicomweb/studies')).body).toEqual([]);
    expect((await get('outsider', `/dicomweb/studies/${studyA.studyInstanceUid}/series`)).status).toBe(404);
  });

  it('matches Patient ID, Study Instance UID lists, Study Date ranges and Modalities in Study', async () => {
    const q = async (query: string) => uids((await get('monitor', `/dicomweb/studies?${query}`)).body);
    expect(await q(`PatientID=${studyB.pseudonym}`)).toEqual([studyB.studyInstanceUid]);
    expect(await q('00100020=NOBODY')).toEqual([]);
    expect(await q(`StudyInstanceUID=${studyA.studyInstanceUid},${unassignedUid}`)).toEqual([studyA.studyInstanceUid]);
    const date = first((await get('monitor', `/dicomweb/studies?PatientID=${studyA.pseudonym}`)).body[0], '00080020');
    expect(date).toMatch(/^\d{8}$/);
    const both = [studyA.studyInstanceUid, studyB.studyInstanceUid].sort();
    expect(await q(`StudyDate=${date}-`)).toEqual(both);
    expect(await q(`StudyDate=${date}-${date}`)).toEqual(both);
    expect(await q(`StudyDate=-${Number(date) - 1}`)).toEqual([]);
    expect(await q('ModalitiesInStudy=RTDOSE')).toEqual(both);
    expect(await q('ModalitiesInStudy=MR')).toEqual([]);
    expect(await q(`PatientName=${studyA.pseudonym.toLowerCase().slice(0, 3)}*`)).toContain(studyA.studyInstanceUid);
  });

  it('lists series with counts and matches Modality and Series Instance UID', async () => {
    const path = `/dicomweb/studies/${studyA.studyInstanceUid}/series`;
    const all: Json[] = (await get('monitor', path)).body;
    expect(all.map((s) => first(s, '00080060'))).toEqual(['CT', 'RTSTRUCT', 'RTPLAN', 'RTDOSE']);
    const ct = all[0]!;
    expect(first(ct, '00201209')).toBe(3);
    expect(first(ct, '00081190')).toBe(
      `${portal.baseUrl}/dicomweb/studies/${studyA.studyInstanceUid}/series/${first(ct, '0020000E')}`,
    );
    const rtplan = (await get('monitor', `${path}?Modality=RTPLAN`)).body;
    expect(rtplan.map((s: Json) => first(s, '00080060'))).toEqual(['RTPLAN']);
    const bySeries = (await get('monitor', `${path}?SeriesInstanceUID=${first(ct, '0020000E')}`)).body;
    expect(bySeries).toHaveLength(1);
  });

  it('lists instances of a study and of a series with SOP attributes, limit and offset', async () => {
    const path = `/dicomweb/studies/${studyA.studyInstanceUid}/instances`;
    const all: Json[] = (await get('monitor', path)).body;
    expect(all.map((i) => first(i, '00080018')).sort()).toEqual(
      studyA.files.map((f) => f.manifest.sopInstanceUid).sort(),
    );
    const ctSeries = studyA.files.find((f) => f.manifest.modality === 'CT')!.manifest.seriesInstanceUid;
    const ct: Json[] = (
      await get('monitor', `/dicomweb/studies/${studyA.studyInstanceUid}/series/${ctSeries}/instances`)
    ).body;
    expect(ct.map((i) => first(i, '00200013'))).toEqual([1, 2, 3]);
    expect(first(ct[0]!, '00280010')).toBe(16);
    expect(first(ct[0]!, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.2');
    const page = (await get('monitor', `${path}?limit=2&offset=1`)).body;
    expect(page.map((i: Json) => first(i, '00080018'))).toEqual(all.slice(1, 3).map((i) => first(i, '00080018')));
    const sop = first(all[2]!, '00080018');
    const one = (await get('monitor', `${path}?SOPInstanceUID=${sop}`)).body;
    expect(one.map((i: Json) => first(i, '00080018'))).toEqual([sop]);
  });

  it('adds includefield attributes, by keyword, by tag, or all', async () => {
    const path = `/dicomweb/studies?PatientID=${studyA.pseudonym}`;
    const byKeyword = (await get('monitor', `${path}&includefield=PatientIdentityRemoved`)).body[0];
    expect(first(byKeyword, '00120062')).toBe('YES');
    const byTag = (await get('monitor', `${path}&includefield=00080016,00080060`)).body[0];
    expect(byTag['00080016']).toBeDefined();
    const all = (await get('monitor', `${path}&includefield=all`)).body[0];
    expect(first(all, '00120062')).toBe('YES');
  });

  it('answers an unknown attribute with 400 and a request without credentials with 401', async () => {
    const unknown = await get('monitor', '/dicomweb/studies?NoSuchKeyword=1');
    expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const anonymous = await new TestClient(portal.baseUrl).get('/dicomweb/studies');
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'AUTH_REQUIRED']);
  });

  it('accepts a personal API token instead of the session cookie', async () => {
    const created = await clients.monitor!.post('/api/tokens', { name: 'viewer script' });
    expect(created.status).toBe(201);
    const scripted = new TestClient(portal.baseUrl);
    scripted.bearer = created.body.token;
    const response = await scripted.get('/dicomweb/studies');
    expect(uids(response.body)).toEqual([studyA.studyInstanceUid, studyB.studyInstanceUid].sort());
  });

  // Last: it changes the fixture. "Currently assigned": a cleared slot hides its study again.
  it('hides a study once its slot is cleared, although the store still holds it', async () => {
    const cleared = await clients.admin!.post(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectB}/events/${fixture.eventB}/slots/${fixture.slotCt}/clear`,
      { reason: 'wrong patient' },
    );
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(uids((await get('monitor', '/dicomweb/studies')).body)).toEqual([studyA.studyInstanceUid]);
    expect((await get('monitor', `/dicomweb/studies/${studyB.studyInstanceUid}/series`)).status).toBe(404);
    expect(await portal.context.store.listStudy(studyB.studyInstanceUid)).toHaveLength(studyB.files.length);
  });
});
