import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedStudy, commitStudy, fetchBytes, parseMultipart } from './dicomweb-fixture.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// dcmjs (a dev dependency, no types) is the independent reader the metadata is compared with.
type Naturalized = Record<string, unknown>;
const dcmjs = createRequire(import.meta.url)('dcmjs') as {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(dataset: unknown): Naturalized };
  };
};

const DCMDUMP = '/usr/bin/dcmdump';
const requireSystem = process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1';

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}

describe(`WADO-RS and WADO-URI of the Portal's DICOMweb service on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  const clients: Record<string, TestClient> = {};
  let studyA: CommittedStudy;
  let studyB: CommittedStudy;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    for (const user of ['site_uploader', 'admin', 'monitor'] as const) {
      clients[user] = new TestClient(portal.baseUrl);
      await clients[user].login(fixtureUsername(user), FIXTURE_PASSWORD);
    }
    studyA = await commitStudy(clients.site_uploader!, fixture, {
      site: 'A',
      slotDefinitionId: fixture.slotCt,
      seed: 11,
      rows: 32,
    });
    studyB = await commitStudy(clients.admin!, fixture, { site: 'B', slotDefinitionId: fixture.slotCt, seed: 12 });
  });
  afterAll(async () => portal.stop());

  /** The bytes the store holds for an instance, read through the store interface. */
  async function stored(manifest: { seriesInstanceUid: string; sopInstanceUid: string }, studyInstanceUid: string) {
    const source = await portal.context.store.read({ studyInstanceUid, ...manifest });
    const chunks: Uint8Array[] = [];
    for await (const chunk of source!) chunks.push(chunk);
    return new Uint8Array(Buffer.concat(chunks));
  }

  const wadoUri = (study: CommittedStudy, file: CommittedStudy['files'][number], contentType = 'application/dicom') =>
    `/dicomweb/wado?requestType=WADO&studyUID=${study.studyInstanceUid}&seriesUID=${file.manifest.seriesInstanceUid}` +
    `&objectUID=${file.manifest.sopInstanceUid}&contentType=${encodeURIComponent(contentType)}`;

  it('answers WADO-URI with the stored Part 10 file, byte for byte, which dcmdump reads', async (context) => {
    for (const file of studyA.files) {
      const response = await fetchBytes(clients.site_uploader!, wadoUri(studyA, file));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/dicom');
      expect(Buffer.compare(response.bytes, await stored(file.manifest, studyA.studyInstanceUid))).toBe(0);
      expect(Buffer.compare(response.bytes, file.bytes)).toBe(0);
    }
    if (!existsSync(DCMDUMP)) {
      if (requireSystem) throw new Error(`${DCMDUMP} is missing (COURIER_REQUIRE_SYSTEM_FIXTURES=1)`);
      context.skip(`${DCMDUMP} not installed: apt-get install dcmtk`);
    }
    const ct = studyA.files.find((f) => f.manifest.modality === 'CT')!;
    const path = join(portal.context.config.dataDir, 'wado-uri.dcm');
    await writeFile(path, (await fetchBytes(clients.site_uploader!, wadoUri(studyA, ct))).bytes);
    const dump = execFileSync(DCMDUMP, [path], { encoding: 'utf8' });
    expect(dump).toContain(`(0010,0020) LO [${studyA.pseudonym}]`);
    expect(dump).toContain(`(0008,0018) UI [${ct.manifest.sopInstanceUid}]`);
  });

  it('answers WADO-URI with 404 outside the scope or the study, and 400 for a content type it does not offer', async () => {
    const fileB = studyB.files[0]!;
    expect((await fetchBytes(clients.site_uploader!, wadoUri(studyB, fileB))).status).toBe(404);
    expect((await fetchBytes(clients.monitor!, wadoUri(studyB, fileB))).status).toBe(200);
    const misplaced = `/dicomweb/wado?requestType=WADO&studyUID=${studyA.studyInstanceUid}&seriesUID=${fileB.manifest.seriesInstanceUid}&objectUID=${fileB.manifest.sopInstanceUid}`;
    expect((await fetchBytes(clients.monitor!, misplaced)).status).toBe(404);
    expect((await fetchBytes(clients.monitor!, wadoUri(studyA, studyA.files[0]!, 'image/jpeg'))).status).toBe(400);
  });

  it('streams a study as multipart/related parts that are the stored files byte for byte', async () => {
    const response = await fetchBytes(clients.monitor!, `/dicomweb/studies/${studyA.studyInstanceUid}`);
    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const parts = parseMultipart(response.bytes, contentType);
    expect(parts).toHaveLength(studyA.files.length);
    for (const part of parts) {
      expect(part.headers['content-type']).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.1');
      const sop = part.headers['content-location']!.split('/').pop()!;
      const file = studyA.files.find((f) => f.manifest.sopInstanceUid === sop)!;
      expect(Buffer.compare(part.bytes, await stored(file.manifest, studyA.studyInstanceUid))).toBe(0);
    }
  });

  it('streams one series and one instance, and answers 404 for an unknown or foreign series', async () => {
    const ct = studyA.files.filter((f) => f.manifest.modality === 'CT');
    const series = `/dicomweb/studies/${studyA.studyInstanceUid}/series/${ct[0]!.manifest.seriesInstanceUid}`;
    const seriesResponse = await fetchBytes(clients.site_uploader!, series);
    const parts = parseMultipart(seriesResponse.bytes, seriesResponse.headers.get('content-type')!);
    expect(parts.map((p) => p.bytes.length).sort()).toEqual(ct.map((f) => f.bytes.length).sort());
    const one = await fetchBytes(clients.site_uploader!, `${series}/instances/${ct[1]!.manifest.sopInstanceUid}`);
    const [only, ...rest] = parseMultipart(one.bytes, one.headers.get('content-type')!);
    expect(rest).toEqual([]);
    expect(Buffer.compare(only!.bytes, ct[1]!.bytes)).toBe(0);
    const foreign = `/dicomweb/studies/${studyA.studyInstanceUid}/series/${studyB.files[0]!.manifest.seriesInstanceUid}`;
    expect((await fetchBytes(clients.monitor!, foreign)).status).toBe(404);
    expect((await fetchBytes(clients.site_uploader!, `/dicomweb/studies/${studyB.studyInstanceUid}`)).status).toBe(404);
  });

  it('serves metadata that dcmjs reads as the same attributes as the stored files, Pixel Data by BulkDataURI', async () => {
    const response = await clients.monitor!.get(`/dicomweb/studies/${studyA.studyInstanceUid}/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
    expect(response.body).toHaveLength(studyA.files.length);
    const keys = [
      'PatientID',
      'PatientName',
      'PatientIdentityRemoved',
      'StudyInstanceUID',
      'SeriesInstanceUID',
      'SOPInstanceUID',
      'SOPClassUID',
      'Modality',
      'Rows',
      'ImagePositionPatient',
      'ReferencedFrameOfReferenceSequence',
      'ReferencedStructureSetSequence',
      'ReferencedRTPlanSequence',
    ];
    for (const json of response.body) {
      const fromJson = dcmjs.data.DicomMetaDictionary.naturalizeDataset(json);
      const file = studyA.files.find((f) => f.manifest.sopInstanceUid === fromJson.SOPInstanceUID)!;
      const fromFile = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
        dcmjs.data.DicomMessage.readFile(arrayBufferOf(file.bytes)).dict,
      );
      for (const key of keys) expect([key, fromJson[key]]).toEqual([key, fromFile[key]]);
      expect(fromJson.PatientID).toBe(studyA.pseudonym);
      if (file.manifest.modality === 'CT') {
        expect(json['7FE00010']).toEqual({
          vr: 'OW',
          BulkDataURI: `${portal.baseUrl}/dicomweb/studies/${studyA.studyInstanceUid}/series/${file.manifest.seriesInstanceUid}/instances/${file.manifest.sopInstanceUid}/bulkdata/7FE00010`,
        });
      }
    }
  });

  it('serves native Pixel Data as bulk data and as frame 1, equal to the stored pixel bytes', async () => {
    const ct = studyA.files.find((f) => f.manifest.modality === 'CT')!;
    const pixels = dcmjs.data.DicomMessage.readFile(arrayBufferOf(ct.bytes)).dict['7FE00010'] as {
      Value: ArrayBuffer[];
    };
    const expected = new Uint8Array(pixels.Value[0]!);
    expect(expected.length).toBe(32 * 32 * 2);
    const base = `/dicomweb/studies/${studyA.studyInstanceUid}/series/${ct.manifest.seriesInstanceUid}/instances/${ct.manifest.sopInstanceUid}`;
    for (const path of [`${base}/bulkdata/7FE00010`, `${base}/frames/1`]) {
      const response = await fetchBytes(clients.site_uploader!, path);
      expect(response.status).toBe(200);
      const [part, ...rest] = parseMultipart(response.bytes, response.headers.get('content-type')!);
      expect(rest).toEqual([]);
      expect(part!.headers['content-type']).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
      expect(Buffer.compare(part!.bytes, expected)).toBe(0);
    }
    expect((await fetchBytes(clients.site_uploader!, `${base}/frames/2`)).status).toBe(404);
    const rtstruct = studyA.files.find((f) => f.manifest.modality === 'RTSTRUCT')!;
    const noPixels = `/dicomweb/studies/${studyA.studyInstanceUid}/series/${rtstruct.manifest.seriesInstanceUid}/instances/${rtstruct.manifest.sopInstanceUid}/frames/1`;
    expect((await fetchBytes(clients.site_uploader!, noPixels)).status).toBe(400);
  });
});
