import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { concatParts, readDicom, tag, writeDicom } from '@courier/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housekeeping } from '../src/housekeeping.js';
import { deidentifiedSet, sendBatch, stowBody, type UploadSet } from './dicom-upload.js';
import { createFixtureStudy, FIXTURE_PASSWORD, type FixtureStudy, fixtureUsername } from './fixture-study.js';
import { type RunningPortal, startPortal, TestClient } from './portal-harness.js';
import { TEST_BACKEND } from './test-database.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe(`upload batches (STOW-RS) on ${TEST_BACKEND}`, () => {
  let portal: RunningPortal;
  let fixture: FixtureStudy;
  let uploader: TestClient;

  beforeAll(async () => {
    portal = await startPortal({ uploadTtlMs: 60 * 60_000, maxBatchBytes: 1024 * 1024 });
    fixture = await createFixtureStudy(portal);
    uploader = new TestClient(portal.baseUrl);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
  });
  afterAll(async () => portal.stop());

  /** Opens a session on the subject A Planning CT slot and registers the manifest of a set. */
  async function openWithManifest(set?: (slot: never) => UploadSet) {
    const session = (
      await uploader.post('/api/uploads', {
        studyId: fixture.studyId,
        subjectId: fixture.subjectA,
        eventId: fixture.eventA,
        slotDefinitionId: fixture.slotCt,
      })
    ).body;
    const upload = set === undefined ? deidentifiedSet(session.slot) : set(session.slot as never);
    const manifest = await uploader.request('PUT', `/api/uploads/${session.id}/manifest`, {
      studyInstanceUid: upload.studyInstanceUid,
      instances: upload.files.map((f) => f.manifest),
    });
    expect(manifest.status, JSON.stringify(manifest.body)).toBe(200);
    return { id: session.id as string, slot: session.slot, set: upload };
  }

  it('stores every instance of a batch with its size and SHA-256, and the same batch again changes nothing', async () => {
    const { id, set } = await openWithManifest();
    const parts = set.files.map((f) => f.bytes);
    const first = await sendBatch(uploader, id, parts);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.instances).toEqual(
      set.files.map((f) => ({
        sopInstanceUid: f.manifest.sopInstanceUid,
        state: 'stored',
        reason: null,
        detail: null,
        size: f.bytes.length,
        sha256: sha256(f.bytes),
        alreadyStored: false,
      })),
    );
    const again = await sendBatch(uploader, id, parts);
    expect(again.status).toBe(200);
    expect(
      again.body.instances.map((i: { state: string; alreadyStored: boolean }) => [i.state, i.alreadyStored]),
    ).toEqual(parts.map(() => ['stored', true]));
    const status = (await uploader.get(`/api/uploads/${id}`)).body;
    expect(status.counts).toEqual({ pending: 0, stored: parts.length, rejected: 0 });
    const staged = (await readdir(join(portal.context.config.dataDir, 'staging', id))).sort();
    expect(staged).toEqual(set.files.map((f) => `${f.manifest.sopInstanceUid}.dcm`).sort());
    const first0 = set.files[0]!;
    const onDisk = await readFile(
      join(portal.context.config.dataDir, 'staging', id, `${first0.manifest.sopInstanceUid}.dcm`),
    );
    expect(sha256(onDisk)).toBe(sha256(first0.bytes));
  });

  it('rejects an instance with a real patient name and keeps the rest of the batch', async () => {
    const { id, slot, set } = await openWithManifest();
    // The same study de-identified, then the name of a real person written back into one file.
    const leaked = deidentifiedSet(slot, { patientName: 'Doe^Jane' }).files[1]!.bytes;
    const pseudonym = Buffer.from(slot.pseudonym, 'latin1');
    const buffer = Buffer.from(leaked);
    const at = buffer.indexOf(pseudonym);
    expect(at).toBeGreaterThan(0);
    // Same length keeps the file valid: replace the pseudonym in Patient Name (the first occurrence).
    Buffer.from('Doe^Jane'.padEnd(pseudonym.length, ' ').slice(0, pseudonym.length), 'latin1').copy(buffer, at);
    const parts = set.files.map((f, i) => (i === 1 ? new Uint8Array(buffer) : f.bytes));
    const response = await sendBatch(uploader, id, parts);
    expect(response.status).toBe(200);
    const states = response.body.instances.map((i: { state: string; reason: string | null }) => [i.state, i.reason]);
    expect(states).toEqual(parts.map((_, i) => (i === 1 ? ['rejected', 'NOT_PSEUDONYMISED'] : ['stored', null])));
    expect(JSON.stringify(response.body)).not.toContain('Doe');
    const status = (await uploader.get(`/api/uploads/${id}`)).body;
    expect(status.counts).toEqual({ pending: 0, stored: parts.length - 1, rejected: 1 });
    const rejected = status.instances.find(
      (i: { sopInstanceUid: string }) => i.sopInstanceUid === set.files[1]!.manifest.sopInstanceUid,
    );
    expect(rejected).toMatchObject({ state: 'rejected', reason: 'NOT_PSEUDONYMISED', storedSha256: null });
    // The correct file afterwards is stored: a rejection is not final.
    const fixed = await sendBatch(uploader, id, [set.files[1]!.bytes]);
    expect(fixed.body.instances[0]).toMatchObject({ state: 'stored', alreadyStored: false });
  });

  it('rejects an instance that still holds an attribute the profile removes, naming the attribute only', async () => {
    const { id, set } = await openWithManifest();
    const clean = set.files[0]!.bytes;
    // Institution Name (0008,0080) is X in the Basic Profile (PS3.15 Table E.1-1): it must be gone.
    const leaked = concatParts(
      writeDicom(readDicom(clean), { set: [{ tag: tag(0x0008, 0x0080), vr: 'LO', value: 'St Elsewhere Hospital' }] }),
      clean,
    );
    const response = await sendBatch(uploader, id, [leaked, set.files[1]!.bytes]);
    expect(response.status).toBe(200);
    expect(response.body.instances[0]).toMatchObject({ state: 'rejected', reason: 'RESIDUAL_IDENTITY' });
    expect(response.body.instances[0].detail).toContain('(0008,0080)');
    expect(JSON.stringify(response.body)).not.toContain('Elsewhere');
    expect(response.body.instances[1]).toMatchObject({ state: 'stored' });
  });

  it('lets only the user who opened the session send to it', async () => {
    const { id, set } = await openWithManifest();
    const admin = new TestClient(portal.baseUrl);
    await admin.login(fixtureUsername('admin'), FIXTURE_PASSWORD);
    const response = await sendBatch(admin, id, [set.files[0]!.bytes]);
    expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await uploader.get(`/api/uploads/${id}`)).body.counts.stored).toBe(0);
  });

  it('rejects a file that is not in the manifest, and one that is not DICOM, with their reasons', async () => {
    const { id, slot } = await openWithManifest();
    const other = deidentifiedSet(slot, { seed: 7 }).files[0]!.bytes;
    const response = await sendBatch(uploader, id, [other, new TextEncoder().encode('not a dicom file at all')]);
    expect(response.status).toBe(200);
    expect(response.body.instances.map((i: { reason: string }) => i.reason)).toEqual(['STUDY_MISMATCH', 'NOT_DICOM']);
  });

  it('keeps the complete parts of a body cut inside a later part, records them before answering, and leaves no temp file', async () => {
    const { id, set } = await openWithManifest();
    const files = set.files.slice(0, 3);
    const { body, contentType } = stowBody(files.map((f) => f.bytes));
    // Cut in the middle of the third part's content: parts one and two are whole.
    const third = body.indexOf(Buffer.from(files[2]!.bytes.subarray(0, 256)));
    const response = await fetch(`${uploader.baseUrl}/api/uploads/${id}/instances`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        cookie: [...uploader.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(uploader.csrfToken === undefined ? {} : { 'x-csrf-token': uploader.csrfToken }),
      },
      body: body.subarray(0, third + 1000),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('ended inside a part');
    const status = (await uploader.get(`/api/uploads/${id}`)).body;
    expect(status.counts).toEqual({ pending: set.files.length - 2, stored: 2, rejected: 0 });
    const staged = (await readdir(join(portal.context.config.dataDir, 'staging', id))).sort();
    expect(staged).toEqual(
      files
        .slice(0, 2)
        .map((f) => `${f.manifest.sopInstanceUid}.dcm`)
        .sort(),
    );
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over the advertised limit and 415 for another media type', async () => {
    const { id, slot, set } = await openWithManifest();
    const big = new Uint8Array(slot.limits.maxBatchBytes + 1);
    const tooLarge = await sendBatch(uploader, id, [big]);
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const json = await uploader.post(`/api/uploads/${id}/instances`, { instances: [] });
    expect([json.status, json.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const status = (await uploader.get(`/api/uploads/${id}`)).body;
    expect(status.counts.stored).toBe(0);
    expect(set.files.length).toBe(6);
    expect(await readdir(join(portal.context.config.dataDir, 'staging', id)).catch(() => [])).toEqual([]);
  });

  it('expires an abandoned session and housekeeping removes its staging, keeping that of an open one', async () => {
    const abandoned = await openWithManifest();
    expect((await sendBatch(uploader, abandoned.id, [abandoned.set.files[0]!.bytes])).status).toBe(200);
    portal.clock.advance(30 * 60_000);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD); // the login idled out too
    const live = await openWithManifest();
    expect((await sendBatch(uploader, live.id, [live.set.files[0]!.bytes])).status).toBe(200);
    portal.clock.advance(30 * 60_000 + 1);
    const result = await housekeeping(portal.context.db, portal.clock(), portal.context.config.dataDir);
    expect(result.stagingRemoved).toBeGreaterThanOrEqual(1);
    const staging = join(portal.context.config.dataDir, 'staging');
    const left = await readdir(staging);
    expect(left).toContain(live.id);
    expect(left).not.toContain(abandoned.id);
    await uploader.login(fixtureUsername('site_uploader'), FIXTURE_PASSWORD);
    const status = await uploader.get(`/api/uploads/${abandoned.id}`);
    expect(status.body.status).toBe('expired');
    const late = await sendBatch(uploader, abandoned.id, [abandoned.set.files[1]!.bytes]);
    expect([late.status, late.body.code]).toEqual([409, 'UPLOAD_CLOSED']);
  });
});
