import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import {
  ApiError,
  type BatchInstanceReceipt,
  type BatchResponse,
  type InstanceRejection,
  type SlotParameters,
} from '@courier/api';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { ServerConfig } from '../config.js';
import type { Database, UploadSessionTable } from '../database/schema.js';
import { ACTIVE_COMMIT_STATES } from './commit-request.js';
import { checkInstance } from './instance-check.js';
import { MultipartError, type PartSink, readMultipart, stowBoundaryOf } from './multipart-related.js';
import { slotParameters } from './slot-parameters.js';
import { stagedPath, stagingDir, tempPartPath } from './staging.js';

/** The request of a batch as the handler sees it: headers and the unread body stream. */
export interface BatchRequest {
  contentType: string | undefined;
  contentLength: number | undefined;
  body: AsyncIterable<Uint8Array>;
}

/** Counts the body's bytes and stops reading past the limit (a Content-Length can lie or be absent). */
async function* limited(body: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw tooLarge(limit);
    yield chunk;
  }
}

function tooLarge(limit: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `a batch body may hold at most ${limit} bytes, boundaries included`, {
    details: { maxBatchBytes: limit },
  });
}

interface Received {
  temp: string;
  size: number;
  sha256: string;
  /** The part's first bytes, kept while writing: the re-check reads the header from them. */
  prefix: Uint8Array;
}

/** Bytes of each part kept in memory for the header re-check (a CT slice's header is a few KiB). */
const PREFIX_BYTES = 64 * 1024;

/** Received bytes gathered before one write to the staged file. */
const WRITE_BYTES = 1024 * 1024;

/**
 * Receives one STOW-RS batch (PS3.18 10.5) of an open session. Each part is written to a temp file
 * under the session's staging while its SHA-256 and size are computed, then re-checked
 * (instance-check.ts) and against the manifest. An accepted instance is renamed to
 * `<staging>/<SOP Instance UID>.dcm` and marked stored; a rejected one is removed and marked
 * rejected with its reason, and the rest of the batch goes on.
 *
 * Idempotency: the same bytes again for a stored instance answer `stored` with `alreadyStored`.
 * Different bytes for a stored instance before commit **replace** it when they pass the re-check
 * (the receipt names the new hash; the client compares receipts with what it sent), and are
 * rejected without touching the stored ones when they fail it.
 *
 * @example
 * const response = await storeBatch(db, config, now, principal, row, { contentType, contentLength, body: request.raw });
 */
export async function storeBatch(
  db: Kysely<Database>,
  config: ServerConfig,
  now: Date,
  principal: Principal,
  row: UploadSessionTable,
  request: BatchRequest,
): Promise<BatchResponse> {
  if (row.createdBy !== principal.userId)
    throw new ApiError('FORBIDDEN', 'only the user who opened the session sends to it');
  if (row.status !== 'open') throw new ApiError('UPLOAD_CLOSED');
  // Staged files are what a running commit job stores and verifies: they stay as they are until it
  // ends (a failed job reopens the session for batches).
  const commit = await db
    .selectFrom('uploadCommits')
    .select('state')
    .where('uploadId', '=', row.id)
    .where('state', 'in', ACTIVE_COMMIT_STATES)
    .executeTakeFirst();
  if (commit !== undefined)
    throw new ApiError('UPLOAD_CLOSED', `a commit of this session is running (${commit.state})`);
  const studyInstanceUid = row.studyInstanceUid;
  if (studyInstanceUid === null) throw new ApiError('VALIDATION_FAILED', 'register the manifest before sending');
  const boundary = stowBoundaryOf(request.contentType);
  if (boundary === undefined) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send multipart/related; type="application/dicom" with a boundary');
  }
  const slot = await slotParameters(db, config, {
    studyId: row.studyId,
    subjectId: row.subjectId,
    eventId: row.scheduledEventId,
    slotDefinitionId: row.slotDefinitionId,
  });
  const limit = slot.limits.maxBatchBytes;
  if (request.contentLength !== undefined && request.contentLength > limit) throw tooLarge(limit);

  const dir = stagingDir(config, row.id);
  await mkdir(dir, { recursive: true });
  const receipts: BatchInstanceReceipt[] = [];
  const temps = new Set<string>();
  let parts = 0;
  // The part being finished (its file closed, re-checked, renamed and recorded) while the next one
  // is received: each step waits for a thread-pool round trip, and on a loaded machine those waits,
  // not the CPU, set the pace. Parts are accepted one at a time, in body order.
  let finishing: Promise<void> = Promise.resolve();
  /** Files of parts whose end was not reached (the body was cut): closed before they are removed. */
  const unfinished = new Set<Promise<FileHandle>>();

  const openPart = async (): Promise<PartSink> => {
    const temp = tempPartPath(dir);
    temps.add(temp);
    // Opened while the first bytes arrive (they are gathered before the first write anyway).
    const opening: Promise<FileHandle> = open(temp, 'wx');
    opening.catch(() => {}); // awaited by the first write or by end(); this only marks it handled
    unfinished.add(opening);
    const hash = createHash('sha256');
    let size = 0;
    const prefix = new Uint8Array(PREFIX_BYTES);
    let kept = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const chunks = pending;
      pending = [];
      pendingBytes = 0;
      await (await opening).writev(chunks);
    };
    return {
      async write(chunk) {
        hash.update(chunk);
        size += chunk.length;
        if (kept < PREFIX_BYTES) {
          const take = Math.min(chunk.length, PREFIX_BYTES - kept);
          prefix.set(chunk.subarray(0, take), kept);
          kept += take;
        }
        // Chunks from the socket are small (16–64 KiB): one writev per MiB instead of one write per
        // chunk (each write is a thread-pool round trip). The chunks are fresh buffers nobody reuses.
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BYTES) await flush();
      },
      async end() {
        const received = { temp, size, sha256: hash.digest('hex'), prefix: prefix.subarray(0, kept) };
        const over = parts++ >= slot.limits.maxBatchInstances;
        unfinished.delete(opening);
        const previous = finishing;
        const current = (async () => {
          await flush();
          await (await opening).close();
          await previous;
          receipts.push(await accept(db, now, row.id, studyInstanceUid, slot, dir, received, over));
          temps.delete(temp);
        })();
        current.catch(() => {}); // awaited by the next part's end() or after the body
        finishing = current;
        // At most one part finishing while the next is received.
        await previous;
      },
    };
  };

  try {
    await readMultipart(limited(request.body, limit), boundary, openPart);
    await finishing;
  } catch (error) {
    if (error instanceof MultipartError) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', error.message);
    throw error;
  } finally {
    // Nothing is left finishing when the request ends: what the response (or a cut connection)
    // leaves is what the status shows.
    await finishing.catch(() => {});
    for (const opening of unfinished) await opening.then((handle) => handle.close()).catch(() => {});
    // A part cut off mid-body (connection lost, limit exceeded) leaves nothing behind.
    for (const temp of temps) await rm(temp, { force: true });
  }
  await db
    .updateTable('uploadSessions')
    .set({ expiresAt: new Date(now.getTime() + config.uploadTtlMs).toISOString() })
    .where('id', '=', row.id)
    .where('status', '=', 'open')
    .execute();
  return { instances: receipts };
}

async function accept(
  db: Kysely<Database>,
  now: Date,
  uploadId: string,
  studyInstanceUid: string,
  slot: SlotParameters,
  dir: string,
  received: Received,
  overLimit: boolean,
): Promise<BatchInstanceReceipt> {
  const base = { size: received.size, sha256: received.sha256 };
  const reject = async (sopInstanceUid: string, reason: InstanceRejection, detail: string, update: boolean) => {
    await rm(received.temp, { force: true });
    if (update) {
      // What is stored stays stored: only a pending (or earlier rejected) instance records the reason.
      await db
        .updateTable('uploadInstances')
        .set({ state: 'rejected', reason })
        .where('uploadId', '=', uploadId)
        .where('sopInstanceUid', '=', sopInstanceUid)
        .where('state', '!=', 'stored')
        .execute();
    }
    return { sopInstanceUid, state: 'rejected' as const, reason, detail, alreadyStored: false, ...base };
  };
  if (overLimit) {
    return reject('', 'BATCH_LIMIT', `more than ${slot.limits.maxBatchInstances} instances in one batch`, false);
  }
  const check = await checkInstance(received.temp, received.size, slot, studyInstanceUid, received.prefix);
  const uid = check.facts?.sopInstanceUid ?? '';
  const expected =
    uid === ''
      ? undefined
      : await db
          .selectFrom('uploadInstances')
          .selectAll()
          .where('uploadId', '=', uploadId)
          .where('sopInstanceUid', '=', uid)
          .executeTakeFirst();
  if (expected === undefined) {
    if (!check.ok) return reject(uid, check.reason, check.detail, false);
    return reject(uid, 'NOT_IN_MANIFEST', 'SOP Instance UID (0008,0018) is not in the manifest', false);
  }
  if (!check.ok) return reject(uid, check.reason, check.detail, true);
  const facts = check.facts;
  const mismatch =
    facts.sopClassUid !== expected.sopClassUid
      ? 'SOP Class UID (0008,0016)'
      : facts.seriesInstanceUid !== expected.seriesInstanceUid
        ? 'Series Instance UID (0020,000E)'
        : received.size !== Number(expected.expectedSize)
          ? `size (${received.size} bytes received, ${expected.expectedSize} in the manifest)`
          : expected.expectedSha256 !== null && expected.expectedSha256 !== received.sha256
            ? 'SHA-256'
            : null;
  if (mismatch !== null) return reject(uid, 'MANIFEST_MISMATCH', `${mismatch} differs from the manifest`, true);
  if (expected.state === 'stored' && expected.storedSha256 === received.sha256) {
    await rm(received.temp, { force: true });
    return { sopInstanceUid: uid, state: 'stored', reason: null, detail: null, alreadyStored: true, ...base };
  }
  // Rename before recording: a crash in between leaves a staged file the database calls pending,
  // which the client simply sends again. Recorded before the batch answers (storeBatch waits for
  // every part it began to finish), so what a response (or a cut connection) leaves is exactly
  // what the status shows.
  await rename(received.temp, stagedPath(dir, uid));
  await db
    .updateTable('uploadInstances')
    .set({
      state: 'stored',
      reason: null,
      storedSize: received.size,
      storedSha256: received.sha256,
      receivedAt: now.toISOString(),
      modality: facts.modality,
    })
    .where('uploadId', '=', uploadId)
    .where('sopInstanceUid', '=', uid)
    .execute();
  return { sopInstanceUid: uid, state: 'stored', reason: null, detail: null, alreadyStored: false, ...base };
}
