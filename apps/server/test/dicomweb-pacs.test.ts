import { downloadStudyZip, endpointPath } from '@courier/api';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedStudy, commitStudy, fetchBytes, parseMultipart } from './dicomweb-fixture.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type OrthancProcess, orthancMissing, orthancStore, startOrthanc } from './orthanc/orthanc-harness.js';
import { startPortalOn } from './orthanc/portal-on-store.js';
import type { RunningPortal } from './portal-harness.js';
import { TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// The Portal's DICOMweb service when the DICOM store is a PACS (COURIER_STORE=dicomweb): the same
// scope and answers, with the headers and bytes read from Orthanc over its own DICOMweb API.
describe.skipIf(orthancMissing() !== null)(
  `the Portal's DICOMweb service over an Orthanc store on ${TEST_BACKEND}`,
  () => {
    let orthanc: OrthancProcess;
    let portal: RunningPortal;
    let fixture: FixtureStudy;
    let monitor: TestClient;
    let study: CommittedStudy;

    beforeAll(async () => {
      orthanc = await startOrthanc();
      portal = await startPortalOn(undefined, {
        store: orthancStore(orthanc, 4),
      });
      fixture = await createFixtureStudy(portal);
      const uploader = new TestClient(portal.baseUrl);
      await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
      study = await commitStudy(uploader, fixture, { site: 'A', slotDefinitionId: fixture.slotCt, seed: 31 });
      monitor = new TestClient(portal.baseUrl);
      await monitor.login(fixtureUsername('monitor'), FIXTURE_PASSWORD);
    });
    afterAll(async () => {
      await portal?.stop();
      await orthanc?.stop();
    });

    it('finds the study over QIDO-RS with its counts and pseudonym', async () => {
      const studies = await monitor.get('/dicomweb/studies');
      expect(studies.status).toBe(200);
      expect(studies.body).toHaveLength(1);
      expect(studies.body[0]['0020000D'].Value).toEqual([study.studyInstanceUid]);
      expect(studies.body[0]['00201208'].Value).toEqual([study.files.length]);
      expect(studies.body[0]['00100020'].Value).toEqual([study.pseudonym]);
      const series = await monitor.get(`/dicomweb/studies/${study.studyInstanceUid}/series`);
      expect(series.body.map((s: { '00080060': { Value: string[] } }) => s['00080060'].Value[0])).toEqual([
        'CT',
        'RTSTRUCT',
        'RTPLAN',
        'RTDOSE',
      ]);
    });

    it('serves WADO-RS, WADO-URI and the zip with the bytes the upload sent', async () => {
      const retrieved = await fetchBytes(monitor, `/dicomweb/studies/${study.studyInstanceUid}`);
      const parts = parseMultipart(retrieved.bytes, retrieved.headers.get('content-type')!);
      expect(parts).toHaveLength(study.files.length);
      for (const part of parts) {
        const sop = part.headers['content-location']!.split('/').pop();
        const file = study.files.find((f) => f.manifest.sopInstanceUid === sop)!;
        expect(Buffer.compare(part.bytes, file.bytes)).toBe(0);
      }
      const file = study.files[0]!;
      const uri = await fetchBytes(
        monitor,
        `/dicomweb/wado?requestType=WADO&studyUID=${study.studyInstanceUid}&seriesUID=${file.manifest.seriesInstanceUid}&objectUID=${file.manifest.sopInstanceUid}`,
      );
      expect(Buffer.compare(uri.bytes, file.bytes)).toBe(0);
      const zip = await fetchBytes(
        monitor,
        endpointPath(downloadStudyZip, { studyId: fixture.studyId, studyInstanceUid: study.studyInstanceUid }),
      );
      expect(zip.status).toBe(200);
      expect(Number(zip.headers.get('content-length'))).toBe(zip.bytes.length);
      const members = unzipSync(zip.bytes);
      for (const f of study.files) {
        const name = Object.keys(members).find((n) => n.endsWith(`/${f.manifest.sopInstanceUid}.dcm`))!;
        expect(Buffer.compare(members[name]!, f.bytes)).toBe(0);
      }
    });

    it('serves metadata read from the PACS headers', async () => {
      const metadata = await monitor.get(`/dicomweb/studies/${study.studyInstanceUid}/metadata`);
      expect(metadata.status).toBe(200);
      expect(metadata.body).toHaveLength(study.files.length);
      for (const json of metadata.body) {
        expect(json['00100020'].Value).toEqual([study.pseudonym]);
        expect(json['00120062'].Value).toEqual(['YES']);
      }
    });
  },
);
