import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getString, readDicom, tag } from '@courier/dicom';
import { PortalClient, runUpload, scanFiles, type UploadItem } from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBytes, parseMultipart } from '../../apps/server/test/dicomweb-fixture.js';
import {
  createFixtureStudy,
  FIXTURE_PASSWORD,
  type FixtureStudy,
  fixtureUsername,
} from '../../apps/server/test/fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from '../../apps/server/test/portal-harness.js';
import { TEST_BACKEND } from '../../apps/server/test/test-database.js';
import { type RtSet, rtSet } from '../../bench/synthetic/rt-set.js';

// Issue 7, "Tests that must exist": upload a generated RT set to a slot with the upload engine,
// then read it back over the Portal's QIDO-RS / WADO-RS only, and show every instance is
// de-identified with the slot's pseudonym and its RT references intact.

type Json = Record<string, { vr: string; Value?: unknown[] }>;
const values = (json: Json | undefined, key: string): unknown[] => json?.[key]?.Value ?? [];
const items = (json: Json | undefined, key: string): Json[] => values(json, key) as Json[];
const text = (json: Json, key: string) => values(json, key)[0] as string | undefined;

const PATIENT_NAME = 'Doe^Jane';
const PATIENT_ID = 'HOSP-4711';

describe(`an RT set uploaded by the engine and read back over QIDO/WADO on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let reader: TestClient;
  let dir: string;
  let source: RtSet;
  let studyInstanceUid: string;
  let pseudonym: string;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    const uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const token = (await uploader.post('/api/tokens', { name: 'read-back' })).body.token as string;

    dir = await mkdtemp(join(tmpdir(), 'courier-read-back-'));
    source = rtSet({ slices: 5, rows: 32, columns: 32, seed: 7, patientName: PATIENT_NAME, patientId: PATIENT_ID });
    for (const file of source.files) await writeFile(join(dir, file.name), file.bytes);
    const sources = await listFileSources(dir);
    const byPath = new Map(sources.map((s) => [s.path, s]));
    const uploadItems: UploadItem[] = (await scanFiles(sources)).instances.map((record) => ({
      record,
      source: byPath.get(record.path)!,
    }));
    expect(uploadItems).toHaveLength(source.files.length);
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: portal.baseUrl, auth: { kind: 'token', token } }),
      slot: {
        studyId: fixture.studyId,
        subjectId: fixture.subjectA,
        eventId: fixture.eventA,
        slotDefinitionId: fixture.slotCt,
      },
      items: uploadItems,
      createHash: () => {
        const hash = createHash('sha256');
        return { update: (bytes) => hash.update(bytes), digestHex: () => hash.digest('hex') };
      },
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok, outcome.fatal ?? '').toBe(true);
    studyInstanceUid = outcome.studyInstanceUid!;
    const subject = await uploader.get(`/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}`);
    pseudonym = subject.body.pseudonym;
    // A monitor reads it back: another user than the one who uploaded.
    reader = new TestClient(portal.baseUrl);
    await reader.login(fixtureUsername('monitor'), FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await portal?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Every UID of the source set: none may survive de-identification. */
  const originalUids = () => {
    const uids = new Set<string>();
    for (const file of source.files) {
      const parsed = readDicom(file.bytes, { headerOnly: true });
      for (const t of [tag(0x0008, 0x0018), tag(0x0020, 0x000d), tag(0x0020, 0x000e), tag(0x0020, 0x0052)]) {
        const uid = getString(parsed, parsed.dataSet, t);
        if (uid) uids.add(uid);
      }
    }
    return [...uids];
  };

  it('finds the study by the pseudonym over QIDO-RS, with every series and instance of the set', async () => {
    const studies = await reader.get(`/dicomweb/studies?PatientID=${pseudonym}`);
    expect(studies.body.map((s: Json) => text(s, '0020000D'))).toEqual([studyInstanceUid]);
    expect(studyInstanceUid).not.toBe(source.uids.study);
    expect(values(studies.body[0], '00201208')).toEqual([source.files.length]);
    const series = (await reader.get(`/dicomweb/studies/${studyInstanceUid}/series`)).body as Json[];
    expect(series.map((s) => text(s, '00080060')).sort()).toEqual(['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT']);
    const instances = (await reader.get(`/dicomweb/studies/${studyInstanceUid}/instances`)).body as Json[];
    expect(instances).toHaveLength(source.files.length);
  });

  it('retrieves every instance over WADO-RS de-identified: pseudonym, identity removed, no original UID or name', async () => {
    const response = await fetchBytes(reader, `/dicomweb/studies/${studyInstanceUid}`);
    expect(response.status).toBe(200);
    const parts = parseMultipart(response.bytes, response.headers.get('content-type')!);
    expect(parts).toHaveLength(source.files.length);
    const forbidden = [...originalUids(), PATIENT_NAME, PATIENT_ID];
    for (const part of parts) {
      const file = readDicom(part.bytes);
      const sop = getString(file, file.dataSet, tag(0x0008, 0x0018));
      expect([sop, getString(file, file.dataSet, tag(0x0010, 0x0020))]).toEqual([sop, pseudonym]);
      expect(getString(file, file.dataSet, tag(0x0010, 0x0010))).toBe(pseudonym);
      expect(getString(file, file.dataSet, tag(0x0012, 0x0062))).toBe('YES');
      expect(getString(file, file.dataSet, tag(0x0020, 0x000d))).toBe(studyInstanceUid);
      const latin1 = Buffer.from(part.bytes).toString('latin1');
      for (const value of forbidden) expect([sop, latin1.includes(value)]).toEqual([sop, false]);
      // WADO-URI serves the same bytes (the viewer's loader uses it).
      const series = getString(file, file.dataSet, tag(0x0020, 0x000e));
      const uri = await fetchBytes(
        reader,
        `/dicomweb/wado?requestType=WADO&studyUID=${studyInstanceUid}&seriesUID=${series}&objectUID=${sop}&contentType=application%2Fdicom`,
      );
      expect(Buffer.compare(uri.bytes, part.bytes)).toBe(0);
    }
  });

  it('keeps the RT references resolvable within the read-back set: RTSTRUCT → CT, RTPLAN → RTSTRUCT, RTDOSE → RTPLAN', async () => {
    const metadata = (await reader.get(`/dicomweb/studies/${studyInstanceUid}/metadata`)).body as Json[];
    const byModality = (m: string) => metadata.filter((j) => text(j, '00080060') === m);
    const sops = (list: Json[]) => new Set(list.map((j) => text(j, '00080018')));
    const ct = sops(byModality('CT'));
    const [struct] = byModality('RTSTRUCT');
    const [plan] = byModality('RTPLAN');
    const [dose] = byModality('RTDOSE');
    expect(ct.size).toBe(5);

    // RTSTRUCT (PS3.3 C.8.8.5): Referenced Frame of Reference → RT Referenced Study → Series →
    // Contour Image Sequence, and each ROI contour's Contour Image Sequence, name the CT slices.
    const frame = items(struct, '30060010')[0];
    const refSeries = items(items(frame, '30060012')[0], '30060014')[0];
    expect(text(refSeries!, '0020000E')).toBe(text(byModality('CT')[0]!, '0020000E'));
    const contourImages = items(refSeries, '30060016').map((i) => text(i, '00081155'));
    expect(new Set(contourImages)).toEqual(ct);
    const contourRefs = items(struct, '30060039').flatMap((roi) =>
      items(roi, '30060040').flatMap((c) => items(c, '30060016').map((i) => text(i, '00081155'))),
    );
    expect(contourRefs.length).toBeGreaterThan(0);
    for (const ref of contourRefs) expect(ct.has(ref)).toBe(true);
    expect(text(frame!, '00200052')).toBe(text(byModality('CT')[0]!, '00200052'));

    // RTPLAN (C.8.8.9) → Referenced Structure Set Sequence; RTDOSE (C.8.8.3) → Referenced RT Plan Sequence.
    expect(items(plan, '300C0060').map((i) => text(i, '00081155'))).toEqual([text(struct!, '00080018')]);
    expect(items(dose, '300C0002').map((i) => text(i, '00081155'))).toEqual([text(plan!, '00080018')]);
  });
});
