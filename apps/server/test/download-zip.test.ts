import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadSeriesZip, downloadStudyZip, endpointPath } from '@courier/api';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedStudy, commitStudy, fetchBytes } from './dicomweb-fixture.js';
import {
  createFixtureStudy,
  FIXTURE_PASSWORD,
  FIXTURE_USERS,
  type FixtureStudy,
  type FixtureUser,
  fixtureUsername,
} from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

const UNZIP = '/usr/bin/unzip';

describe(`zip downloads of assigned studies on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  const clients = new Map<FixtureUser, TestClient>();
  let studyA: CommittedStudy;
  let studyB: CommittedStudy;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    for (const user of FIXTURE_USERS) {
      const client = new TestClient(portal.baseUrl);
      await client.login(fixtureUsername(user), FIXTURE_PASSWORD);
      clients.set(user, client);
    }
    studyA = await commitStudy(clients.get('site_uploader')!, fixture, {
      site: 'A',
      slotDefinitionId: fixture.slotCt,
      seed: 21,
    });
    studyB = await commitStudy(clients.get('admin')!, fixture, {
      site: 'B',
      slotDefinitionId: fixture.slotCt,
      seed: 22,
    });
  });
  afterAll(async () => portal.stop());

  const studyZip = (study: CommittedStudy) =>
    endpointPath(downloadStudyZip, { studyId: fixture.studyId, studyInstanceUid: study.studyInstanceUid });

  async function stored(study: CommittedStudy, file: CommittedStudy['files'][number]) {
    const source = await portal.context.store.read({ studyInstanceUid: study.studyInstanceUid, ...file.manifest });
    const chunks: Uint8Array[] = [];
    for await (const chunk of source!) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  it('streams a study zip whose members are the stored files, named by pseudonym and UIDs only', async () => {
    const response = await fetchBytes(clients.get('monitor')!, studyZip(studyA));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(Number(response.headers.get('content-length'))).toBe(response.bytes.length);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${studyA.pseudonym}_${studyA.studyInstanceUid}.zip"`,
    );
    const members = unzipSync(response.bytes);
    expect(Object.keys(members)).toHaveLength(studyA.files.length);
    for (const file of studyA.files) {
      const { seriesInstanceUid, sopInstanceUid, modality } = file.manifest;
      const name = Object.keys(members).find((n) => n.endsWith(`/${sopInstanceUid}.dcm`))!;
      const literal = (text: string) => text.replaceAll('.', '\\.');
      const series = `\\d+-${modality}-${literal(seriesInstanceUid)}`;
      expect(name).toMatch(
        new RegExp(
          `^${studyA.pseudonym}/${literal(studyA.studyInstanceUid)}/${series}/${literal(sopInstanceUid)}\\.dcm$`,
        ),
      );
      expect(Buffer.compare(members[name]!, await stored(studyA, file))).toBe(0);
    }
    const names = Object.keys(members).join('\n');
    for (const identity of ['Doe', 'Jane', 'HOSP-4711']) expect(names).not.toContain(identity);
    if (existsSync(UNZIP)) {
      const path = join(portal.context.config.dataDir, 'study.zip');
      await writeFile(path, response.bytes);
      expect(execFileSync(UNZIP, ['-t', path], { encoding: 'utf8' })).toContain('No errors detected');
    }
  });

  it('streams one series as a zip of that series only', async () => {
    const ct = studyA.files.filter((f) => f.manifest.modality === 'CT');
    const path = endpointPath(downloadSeriesZip, {
      studyId: fixture.studyId,
      studyInstanceUid: studyA.studyInstanceUid,
      seriesInstanceUid: ct[0]!.manifest.seriesInstanceUid,
    });
    const response = await fetchBytes(clients.get('study_manager')!, path);
    expect(response.status).toBe(200);
    const members = unzipSync(response.bytes);
    // The synthetic CT series has Series Number 2 (bench/synthetic/ct-series.ts).
    expect(Object.keys(members).sort()).toEqual(
      ct
        .map(
          (f) =>
            `${studyA.pseudonym}/${studyA.studyInstanceUid}/2-CT-${f.manifest.seriesInstanceUid}/${f.manifest.sopInstanceUid}.dcm`,
        )
        .sort(),
    );
  });

  it('records every download in the audit log with the study, series and size', async () => {
    const before = await portal.context.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'dicom.downloaded')
      .execute();
    const response = await fetchBytes(clients.get('admin')!, studyZip(studyB));
    expect(response.status).toBe(200);
    const rows = await portal.context.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'dicom.downloaded')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(before.length + 1);
    const last = rows[rows.length - 1]!;
    expect(last).toMatchObject({
      username: fixtureUsername('admin'),
      studyId: fixture.studyId,
      targetType: 'subject',
      targetId: fixture.subjectB,
    });
    expect(JSON.parse(last.detailsJson)).toEqual({
      studyInstanceUid: studyB.studyInstanceUid,
      seriesInstanceUid: null,
      instances: studyB.files.length,
      bytes: response.bytes.length,
    });
  });

  // Role × site matrix: `download` is admin, study manager and monitor (site-scoped); a site uploader
  // may view its own site's study (403 to download) but not the other site's (404: not visible);
  // a non-member is refused by the study itself (403).
  const expected: Record<FixtureUser, { own: number; other: number }> = {
    system_admin: { own: 200, other: 200 },
    admin: { own: 200, other: 200 },
    study_manager: { own: 200, other: 200 },
    monitor: { own: 200, other: 200 },
    site_uploader: { own: 403, other: 404 },
    outsider: { own: 403, other: 403 },
  };
  it.each(
    FIXTURE_USERS.flatMap((user) =>
      (['own', 'other'] as const).map((target) => [user, target, expected[user][target]] as const),
    ),
  )('answers %s downloading the %s site study with %i', async (user, target, status) => {
    const audited = await portal.context.db.selectFrom('auditLog').select('id').execute();
    const response = await fetchBytes(clients.get(user)!, studyZip(target === 'own' ? studyA : studyB));
    expect(response.status).toBe(status);
    const after = await portal.context.db.selectFrom('auditLog').select('id').execute();
    expect(after.length - audited.length).toBe(status === 200 ? 1 : 0);
  });

  it('lists both downloads in the OpenAPI document as application/zip answers', async () => {
    const docs = await clients.get('monitor')!.get('/api/docs');
    const study = docs.body.paths['/api/studies/{studyId}/dicom/{studyInstanceUid}/zip'].get;
    expect(Object.keys(study.responses['200'].content)).toEqual(['application/zip']);
    expect(
      docs.body.paths['/api/studies/{studyId}/dicom/{studyInstanceUid}/series/{seriesInstanceUid}/zip'],
    ).toBeDefined();
    expect(docs.body.paths['/dicomweb/wado'].get.tags).toEqual(['dicomweb']);
  });

  it('answers 404 for a study no slot of this study holds', async () => {
    const path = endpointPath(downloadStudyZip, { studyId: fixture.studyId, studyInstanceUid: '2.25.123456789' });
    const response = await clients.get('admin')!.get(path);
    expect([response.status, response.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});
