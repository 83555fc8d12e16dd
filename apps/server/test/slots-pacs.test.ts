import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deidentifiedSet, type UploadSet } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type OrthancProcess, orthancMissing, orthancStore, startOrthanc } from './orthanc/orthanc-harness.js';
import { startPortalOn } from './orthanc/portal-on-store.js';
import type { RunningPortal } from './portal-harness.js';
import { TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// Studies that reach the PACS by another route than a Courier upload (a modality, a DIMSE send,
// another tool): with COURIER_STORE=dicomweb, "Assign Existing" finds them by QIDO-RS with the
// subject's pseudonym as Patient ID. Real Orthanc with its DICOMweb plugin, real Portal.
describe.skipIf(orthancMissing() !== null)(`stored studies found in a DICOMweb PACS on ${TEST_BACKEND}`, () => {
  let orthanc: OrthancProcess;
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let admin: TestClient;
  let ofA: UploadSet;
  let ofB: UploadSet;

  /** De-identified for a subject's slot exactly as the Uploader would, then put into the PACS directly. */
  async function arriveInPacs(subjectId: string, eventId: string, seed: number): Promise<UploadSet> {
    const created = await admin.post('/api/uploads', {
      studyId: fixture.studyId,
      subjectId,
      eventId,
      slotDefinitionId: fixture.slotCt,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const set = deidentifiedSet(created.body.slot, { seed, slices: 2 });
    for (const file of set.files) {
      const key = {
        studyInstanceUid: set.studyInstanceUid,
        seriesInstanceUid: file.manifest.seriesInstanceUid,
        sopInstanceUid: file.manifest.sopInstanceUid,
      };
      await portal.context.store.put(
        key,
        (async function* () {
          yield file.bytes;
        })(),
      );
    }
    return set;
  }

  beforeAll(async () => {
    orthanc = await startOrthanc();
    portal = await startPortalOn(undefined, {
      store: orthancStore(orthanc, 25),
    });
    fixture = await createFixtureStudy(portal);
    admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    ofA = await arriveInPacs(fixture.subjectA, fixture.eventA, 31);
    ofB = await arriveInPacs(fixture.subjectB, fixture.eventB, 32);
  });
  afterAll(async () => {
    await portal?.stop();
    await orthanc?.stop();
  });

  it('lists a study the PACS holds under the subject’s pseudonym, and not another subject’s', async () => {
    const listed = await admin.get(`/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/stored-studies`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.map((s: { studyInstanceUid: string }) => s.studyInstanceUid)).toEqual([ofA.studyInstanceUid]);
    expect(listed.body[0]).toMatchObject({
      source: 'pacs',
      firstUploadId: null,
      modalities: ['CT', 'RTDOSE', 'RTPLAN', 'RTSTRUCT'],
      seriesCount: 4,
      instanceCount: ofA.files.length,
    });
    const ofSubjectB = await admin.get(`/api/studies/${fixture.studyId}/subjects/${fixture.subjectB}/stored-studies`);
    expect(ofSubjectB.body.map((s: { studyInstanceUid: string }) => s.studyInstanceUid)).toEqual([
      ofB.studyInstanceUid,
    ]);
  });

  it('assigns a study found in the PACS to a slot like any stored study', async () => {
    const assigned = await admin.post(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots/${fixture.slotCt}/assign`,
      { studyInstanceUid: ofA.studyInstanceUid },
    );
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.value).toMatchObject({
      studyInstanceUid: ofA.studyInstanceUid,
      uploadId: null,
      seriesCount: 4,
    });
    // The other subject's PACS study is not this subject's to assign.
    const other = await admin.post(
      `/api/studies/${fixture.studyId}/subjects/${fixture.subjectA}/events/${fixture.eventA}/slots/${fixture.slotCt}/assign`,
      { studyInstanceUid: ofB.studyInstanceUid, overwrite: true },
    );
    expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
  });
});
