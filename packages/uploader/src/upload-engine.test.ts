import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deidConfigOfSlot, UidMapper } from '@courier/deid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../test/fault-proxy.js';
import { type ReferencePortal, referenceSlot, startReferencePortal } from '../test/reference-portal.js';
import { generateRtSet, writeFiles } from '../test/rt-set.js';
import { blobFileSource } from './browser/file-source.js';
import { listFileSources } from './node/file-source.js';
import { PortalClient } from './portal-client.js';
import type { RetryPolicy } from './retry.js';
import { scanFiles } from './scan.js';
import { runUpload, type UploadEvent, type UploadItem } from './upload-engine.js';

const TOKEN = 'courier_pat_reference';
const fast: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const slotIds = { studyId: 'a', subjectId: 'b', eventId: 'c', slotDefinitionId: 'd' };

let dir: string;
let items: UploadItem[];
let ref: ReferencePortal;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-engine-'));
  await writeFiles(
    dir,
    generateRtSet({ ctSlices: 8, rtImages: 2, patientName: 'DOE^JANE', patientID: 'PID-4711' }).files,
  );
  const sources = await listFileSources(dir);
  const byPath = new Map(sources.map((s) => [s.path, s]));
  items = (await scanFiles(sources)).instances.map((record) => ({ record, source: byPath.get(record.path)! }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await ref?.close();
});

const duplicates = (list: readonly string[]) => list.filter((uid, i) => list.indexOf(uid) !== i);

describe('runUpload against the reference upload-session server', () => {
  it('runs the four steps, batches by count with bounded concurrency, and verifies every instance', async () => {
    ref = await startReferencePortal(TOKEN);
    const events: UploadEvent[] = [];
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items,
      limits: { maxBytes: 16 << 20, maxInstances: 3 },
      concurrency: 2,
      createHash: () => {
        const h = createHash('sha256');
        return { update: (b) => h.update(b), digestHex: () => h.digest('hex') };
      },
      onEvent: (e) => events.push(e),
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    const n = items.length;
    expect(outcome.counts).toEqual({ evaluate: n, deidentify: n, upload: n, verify: n });
    expect(outcome.batchesSent).toBe(Math.ceil(n / 3));
    expect(ref.maxInFlight).toBeLessThanOrEqual(2);
    expect(ref.received).toHaveLength(n);
    expect(duplicates(ref.received)).toEqual([]);
    const steps = events
      .filter((e) => e.type === 'step' && e.state === 'done')
      .map((e) => (e as { step: string }).step);
    expect(steps).toEqual(['evaluate', 'deidentify', 'upload', 'verify']);
    expect([...ref.sessions.values()][0]!.session.status).toBe('committed');
    // Every stored file carries the slot's pseudonym, never the original identity.
    for (const bytes of ref.stored.values()) {
      const text = Buffer.from(bytes).toString('latin1');
      expect(text).toContain('REF01-R001');
      expect(text).not.toContain('DOE^JANE');
      expect(text).not.toContain('PID-4711');
    }
  });

  it('keeps every request body within the byte limit the server advertises', async () => {
    const size = items.reduce((n, i) => n + i.source.size, 0);
    ref = await startReferencePortal(TOKEN, referenceSlot({ maxBatchBytes: Math.ceil(size / 3) }));
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items,
    });
    // The reference server answers 413 to a body over the limit: success means none was.
    expect(outcome.errors).toEqual([]);
    expect(outcome.batchesSent).toBeGreaterThanOrEqual(3);
  });

  it('sends the output of the De-identify step without reading each file header a second time', async () => {
    ref = await startReferencePortal(TOKEN);
    // Reads of a file's start (its header): the de-identification reads them, the send reads only
    // the ranges after the header.
    const headerReads = new Map<string, number>();
    const counted: UploadItem[] = items.map(({ record, source }) => ({
      record,
      source: {
        path: source.path,
        size: source.size,
        read(offset: number, length: number) {
          if (offset === 0) headerReads.set(source.path, (headerReads.get(source.path) ?? 0) + 1);
          return source.read(offset, length);
        },
      },
    }));
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items: counted,
      limits: { maxBytes: 16 << 20, maxInstances: 4 },
    });
    expect(outcome.ok).toBe(true);
    expect(ref.received).toHaveLength(items.length);
    expect([...headerReads.values()]).toEqual(items.map(() => 1));
    // De-identified a few at a time, registered in the order of the items (the new UIDs are the
    // keyed mapping of the original ones, PS3.15 E.3.9).
    const { session, manifest } = [...ref.sessions.values()][0]!;
    const uids = new UidMapper(deidConfigOfSlot(session.slot).config.uidSecret, () => false);
    expect(manifest!.instances.map((m) => m.sopInstanceUid)).toEqual(
      items.map((i) => uids.map(i.record.sopInstanceUID)),
    );
  });

  it('resumes a failed upload from the session status without sending stored instances again', async () => {
    ref = await startReferencePortal(TOKEN);
    let batches = 0;
    const proxy = await startFaultProxy(ref.baseUrl, (_, req) =>
      req.url?.endsWith('/instances') && ++batches === 3 ? { kind: 'status', status: 503 } : { kind: 'pass' },
    );
    const client = new PortalClient({ baseUrl: proxy.baseUrl, auth: { kind: 'token', token: TOKEN } });
    const first = await runUpload({
      client,
      slot: slotIds,
      items,
      limits: { maxBytes: 16 << 20, maxInstances: 2 },
      concurrency: 1,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await proxy.close();
    expect(first.ok).toBe(false);
    expect(first.errors.map((e) => e.step)).toContain('upload');
    const storedBefore = ref.stored.size;
    expect(storedBefore).toBe(4);

    const second = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      uploadId: first.uploadId!,
      items,
      limits: { maxBytes: 16 << 20, maxInstances: 2 },
    });
    expect(second.errors).toEqual([]);
    expect(second.ok).toBe(true);
    expect(second.alreadyStored).toBe(storedBefore);
    expect(ref.received).toHaveLength(items.length);
    expect(duplicates(ref.received)).toEqual([]);
  });

  it('retries a batch whose connection was cut in the middle of the body', async () => {
    ref = await startReferencePortal(TOKEN);
    let batches = 0;
    const proxy = await startFaultProxy(ref.baseUrl, (_, req) =>
      req.url?.endsWith('/instances') && ++batches === 1
        ? { kind: 'drop-mid-body', afterBytes: 3000 }
        : { kind: 'pass' },
    );
    const events: UploadEvent[] = [];
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: proxy.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items,
      limits: { maxBytes: 16 << 20, maxInstances: 4 },
      retry: fast,
      onEvent: (e) => events.push(e),
    });
    await proxy.close();
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(duplicates(ref.received)).toEqual([]);
  });

  it('pauses when the session expires mid-upload, resumes after the login, and redoes nothing', async () => {
    ref = await startReferencePortal(TOKEN);
    const client = new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } });
    let logins = 0;
    let sentBeforeExpiry = 0;
    const outcome = await runUpload({
      client,
      slot: slotIds,
      items,
      limits: { maxBytes: 16 << 20, maxInstances: 2 },
      concurrency: 2,
      onEvent: (e) => {
        if (e.type === 'batch' && ref.tokens.has(TOKEN)) {
          sentBeforeExpiry = ref.received.length;
          ref.tokens.delete(TOKEN);
        }
      },
      onLoginRequired: async () => {
        logins++;
        ref.tokens.add('courier_pat_new');
        client.auth = { kind: 'token', token: 'courier_pat_new' };
      },
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(logins).toBe(1);
    expect(sentBeforeExpiry).toBeGreaterThan(0);
    expect(ref.received).toHaveLength(items.length);
    expect(duplicates(ref.received)).toEqual([]);
  });

  it('follows the 202 commit job with its progress as Verified, pauses for a login when a poll gets 401, then finishes', async () => {
    ref = await startReferencePortal(TOKEN);
    ref.commitPolls = 3;
    const client = new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } });
    // The second status request finds the session expired: 401 while the commit job runs on.
    ref.onCommitPoll = (poll) => {
      if (poll === 2) ref.tokens.delete(TOKEN);
    };
    const events: UploadEvent[] = [];
    let logins = 0;
    const outcome = await runUpload({
      client,
      slot: slotIds,
      items,
      onEvent: (e) => events.push(e),
      onLoginRequired: async () => {
        logins++;
        ref.tokens.add('courier_pat_new');
        client.auth = { kind: 'token', token: 'courier_pat_new' };
      },
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(logins).toBe(1);
    expect(events).toContainEqual({ type: 'login-required', reason: expect.any(String) });
    // Three polls until done, one refused with 401 and asked again after the login.
    expect(ref.commitStatusRequests).toBe(4);
    const verified = events
      .filter((e) => e.type === 'progress' && e.step === 'verify')
      .map((e) => (e as { files: number }).files);
    expect(verified[0]).toBe(0);
    expect(verified.some((n) => n > 0 && n < items.length)).toBe(true);
    expect(verified.at(-1)).toBe(items.length);
    expect(outcome.counts.verify).toBe(items.length);
    expect([...ref.sessions.values()][0]!.session.status).toBe('committed');
    expect(outcome.log.entries.some((e) => e.event === 'commit-state')).toBe(true);
  });

  it('ends with a clear fatal error naming the code when the commit job fails, nothing assigned', async () => {
    ref = await startReferencePortal(TOKEN);
    ref.commitPolls = 1;
    ref.commitFailure = { code: 'STORE_VERIFY_FAILED', message: 'the DICOM store did not accept the study' };
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.fatal).toMatch(/STORE_VERIFY_FAILED: the DICOM store did not accept the study/);
    expect(outcome.fatal).toMatch(/can be committed again/);
    expect([...ref.sessions.values()][0]!.session.status).toBe('open');
  });

  it('reports a stored instance whose SHA-256 differs from what was sent and does not commit', async () => {
    ref = await startReferencePortal(TOKEN);
    let victim: string | undefined;
    ref.corrupt = (uid, bytes) => {
      victim ??= uid;
      if (uid !== victim) return bytes;
      const copy = bytes.slice();
      copy[copy.length - 1]! ^= 0xff;
      return copy;
    };
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.errors).toEqual([
      expect.objectContaining({ step: 'verify', sopInstanceUid: victim, reason: expect.stringMatching(/SHA-256/) }),
    ]);
    expect([...ref.sessions.values()][0]!.session.status).toBe('open');
  });

  it('sends a Blob of slices in browser mode, also for sources without a File (zip members)', async () => {
    ref = await startReferencePortal(TOKEN);
    const blobs = await Promise.all(
      items.map(async (i, n) =>
        n % 2 === 1
          ? i
          : {
              record: i.record,
              source: blobFileSource(
                new Blob([(await i.source.read(0, i.source.size)) as Uint8Array<ArrayBuffer>]),
                i.source.path,
              ),
            },
      ),
    );
    const outcome = await runUpload({
      client: new PortalClient({ baseUrl: ref.baseUrl, auth: { kind: 'token', token: TOKEN } }),
      slot: slotIds,
      items: blobs,
      body: 'blob',
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(ref.received).toHaveLength(items.length);
  });
});
