import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedStudy, commitStudy, fetchBytes, parseMultipart } from './dicomweb-fixture.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

// WADO-RS content negotiation (PS3.18 8.7.3): the Portal sends stored bytes untouched, so an
// Accept that allows only another transfer syntax or another format is 406 NOT_ACCEPTABLE, never
// a 200 whose bytes are not what was asked for; `transfer-syntax=*`, the stored syntax and no
// preference are served.
const JPEG_2000 = '1.2.840.10008.1.2.4.90';
const DICOM = 'multipart/related; type="application/dicom"';

describe(`WADO-RS Accept negotiation over loopback on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;
  let study: CommittedStudy;
  let otherSite: CommittedStudy;
  let stored = '';

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000 });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    study = await commitStudy(uploader, fixture, { site: 'A', slotDefinitionId: fixture.slotCt, seed: 31, rows: 16 });
    otherSite = await commitStudy(admin, fixture, { site: 'B', slotDefinitionId: fixture.slotCt, seed: 32 });
  });
  afterAll(async () => portal.stop());

  const ct = () => study.files.find((f) => f.manifest.modality === 'CT')!;
  const instancePath = (s: CommittedStudy = study, file = ct()) =>
    `/dicomweb/studies/${s.studyInstanceUid}/series/${file.manifest.seriesInstanceUid}/instances/${file.manifest.sopInstanceUid}`;
  const get = (path: string, accept?: string) => fetchBytes(uploader, path, accept === undefined ? {} : { accept });
  const errorOf = (bytes: Uint8Array) =>
    JSON.parse(Buffer.from(bytes).toString('utf8')) as { code: string; message: string };

  it('serves an instance without Accept, labelling the part with the stored transfer syntax', async () => {
    const response = await get(instancePath());
    expect(response.status).toBe(200);
    const [part] = parseMultipart(response.bytes, response.headers.get('content-type')!);
    stored = /transfer-syntax=([\d.]+)/.exec(part!.headers['content-type'] ?? '')?.[1] ?? '';
    expect(stored).toMatch(/^1\.2\.840\.10008\.1\.2/);
    expect(Buffer.compare(part!.bytes, ct().bytes)).toBe(0);
  });

  it.each([
    ['transfer-syntax=*', () => `${DICOM}; transfer-syntax=*`],
    ['the stored syntax', () => `${DICOM}; transfer-syntax=${stored}`],
    ['no transfer-syntax parameter', () => DICOM],
    ['*/*', () => '*/*'],
    [
      'another syntax first, then the stored one at a lower quality',
      () => `${DICOM}; transfer-syntax=${JPEG_2000}, ${DICOM}; transfer-syntax=${stored}; q=0.5`,
    ],
  ])('serves the stored bytes for an Accept of %s', async (_what, accept) => {
    const response = await get(instancePath(), accept());
    expect(response.status).toBe(200);
    const [part] = parseMultipart(response.bytes, response.headers.get('content-type')!);
    expect(part!.headers['content-type']).toBe(`application/dicom; transfer-syntax=${stored}`);
    expect(Buffer.compare(part!.bytes, ct().bytes)).toBe(0);
  });

  it.each([
    ['only another transfer syntax', () => `${DICOM}; transfer-syntax=${JPEG_2000}`],
    ['the stored syntax refused with q=0 beside */*', () => `${DICOM}; transfer-syntax=${stored}; q=0, */*`],
    ['a single-part application/dicom', () => 'application/dicom'],
    ['a rendered image', () => 'image/jpeg'],
  ])('answers 406 NOT_ACCEPTABLE naming the stored syntax for an Accept of %s', async (_what, accept) => {
    const response = await get(instancePath(), accept());
    expect(response.status).toBe(406);
    const body = errorOf(response.bytes);
    expect(body.code).toBe('NOT_ACCEPTABLE');
    expect(body.message).toContain(`stored as ${stored}`);
    expect(body.message).toContain('transfer-syntax=*');
  });

  it('negotiates a whole study retrieve on the syntaxes of all its instances', async () => {
    const path = `/dicomweb/studies/${study.studyInstanceUid}`;
    const served = await get(path, `${DICOM}; transfer-syntax=${stored}`);
    expect(served.status).toBe(200);
    expect(parseMultipart(served.bytes, served.headers.get('content-type')!)).toHaveLength(study.files.length);
    expect((await get(path, `${DICOM}; transfer-syntax=${JPEG_2000}`)).status).toBe(406);
  });

  it('serves metadata as DICOM JSON and refuses the XML form with 406', async () => {
    const path = `${instancePath()}/metadata`;
    for (const accept of [undefined, 'application/dicom+json', 'application/json', '*/*']) {
      const response = await get(path, accept);
      expect(response.status, String(accept)).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/dicom+json');
    }
    const xml = await get(path, 'multipart/related; type="application/dicom+xml"');
    expect(xml.status).toBe(406);
    expect(errorOf(xml.bytes).code).toBe('NOT_ACCEPTABLE');
  });

  it('serves uncompressed frames and refuses compressed or rendered ones with 406', async () => {
    const path = `${instancePath()}/frames/1`;
    const octets = 'multipart/related; type="application/octet-stream"';
    for (const accept of [
      undefined,
      octets,
      `${octets}; transfer-syntax=*`,
      `${octets}; transfer-syntax=1.2.840.10008.1.2.1`,
    ]) {
      expect((await get(path, accept)).status, String(accept)).toBe(200);
    }
    for (const accept of [`${octets}; transfer-syntax=1.2.840.10008.1.2.4.50`, 'image/jpeg']) {
      const response = await get(path, accept);
      expect(response.status, accept).toBe(406);
      expect(errorOf(response.bytes).message).toContain('uncompressed');
    }
  });

  it("honours WADO-URI's transferSyntax: the stored one or none is served, another is 406", async () => {
    const file = ct();
    const uri = (syntax?: string) =>
      `/dicomweb/wado?requestType=WADO&studyUID=${study.studyInstanceUid}&seriesUID=${file.manifest.seriesInstanceUid}` +
      `&objectUID=${file.manifest.sopInstanceUid}&contentType=application%2Fdicom` +
      (syntax === undefined ? '' : `&transferSyntax=${syntax}`);
    for (const syntax of [undefined, stored, '*']) {
      const response = await get(uri(syntax));
      expect(response.status, String(syntax)).toBe(200);
      expect(Buffer.compare(response.bytes, file.bytes)).toBe(0);
    }
    const refused = await get(uri(JPEG_2000));
    expect(refused.status).toBe(406);
    expect(errorOf(refused.bytes)).toMatchObject({ code: 'NOT_ACCEPTABLE' });
    expect(errorOf(refused.bytes).message).toContain(`stored as ${stored}`);
  });

  it('answers a study the caller may not see with 404 whatever the Accept, so 406 reveals nothing', async () => {
    const response = await get(instancePath(otherSite, otherSite.files[0]), `${DICOM}; transfer-syntax=${JPEG_2000}`);
    expect(response.status).toBe(404);
    const other = otherSite.files[0]!.manifest;
    const uri =
      `/dicomweb/wado?requestType=WADO&studyUID=${otherSite.studyInstanceUid}&seriesUID=${other.seriesInstanceUid}` +
      `&objectUID=${other.sopInstanceUid}&contentType=application%2Fdicom&transferSyntax=${JPEG_2000}`;
    expect((await get(uri)).status).toBe(404);
  });
});
