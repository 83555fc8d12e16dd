import {
  ApiError,
  commitUpload,
  createUpload,
  getUpload,
  getUploadCommit,
  listUploadReceipts,
  listUploads,
  putUploadManifest,
  storeUploadBatch,
  type UploadCommitStatus,
} from '@courier/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import { ACTIVE_COMMIT_STATES, commitStatus, requestCommit } from './commit-request.js';
import type { CommitRunner } from './commit-runner.js';
import { storeBatch } from './upload-batch.js';
import * as uploads from './upload-service.js';

/** Seconds a client waits before asking again while a commit runs (RFC 9110 10.2.3 Retry-After). */
const COMMIT_RETRY_AFTER_SECONDS = 1;

/**
 * How long the commit request waits for a job this instance started before answering 202: a small
 * study is done by then and needs no status request; a large one answers with its progress.
 */
const COMMIT_ANSWER_WAIT_MS = 1000;
const COMMIT_ANSWER_POLL_MS = 25;

function withRetryAfter(reply: FastifyReply, status: UploadCommitStatus): UploadCommitStatus {
  const state = status.commit?.state;
  if (state !== undefined && (ACTIVE_COMMIT_STATES as readonly string[]).includes(state)) {
    reply.header('retry-after', String(COMMIT_RETRY_AFTER_SECONDS));
  }
  return status;
}

/** A manifest of 100 000 instances is about 25 MB of JSON. */
const MANIFEST_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Upload sessions: open one for a slot, register the manifest, read the state to resume, find
 * one's sessions again.
 * send STOW-RS batches (streamed to staging and re-checked), commit (queued for `commits`, the
 * Portal's commit runner, which any instance's runner may finish) and follow the commit.
 *
 * @example
 * await app.register(uploadsPlugin, { context, commits: runner });
 */
export async function uploadsPlugin(
  app: FastifyInstance,
  options: { context: AppContext; commits?: CommitRunner },
): Promise<void> {
  const { context, commits } = options;
  const { db, config } = context;

  route(app, context, listUploads, async (principal, { query }) =>
    uploads.listUploads(db, context.clock(), principal, query),
  );

  route(app, context, createUpload, async (principal, { body }) =>
    uploads.createUpload(db, config, context.clock(), principal, body),
  );

  route(
    app,
    context,
    putUploadManifest,
    async (principal, { params, body }) => {
      const now = context.clock();
      const row = await uploads.loadUpload(db, now, principal, params.uploadId);
      return uploads.putManifest(db, config, now, principal, row, body);
    },
    { bodyLimit: MANIFEST_BODY_LIMIT },
  );

  // STOW-RS bodies stay unread streams here: upload-batch.ts reads them part by part into staging
  // and enforces the batch size limit itself (fastify's bodyLimit applies to buffered bodies only).
  app.addContentTypeParser('multipart/related', (_request, payload, done) => done(null, payload));

  route(app, context, storeUploadBatch, async (principal, { params, request }) => {
    const now = context.clock();
    const row = await uploads.loadUpload(db, now, principal, params.uploadId);
    const length = Number(request.headers['content-length']);
    return storeBatch(db, config, now, principal, row, {
      contentType: request.headers['content-type'],
      contentLength: Number.isFinite(length) ? length : undefined,
      body: (request.body ?? request.raw) as AsyncIterable<Uint8Array>,
    });
  });

  route(app, context, commitUpload, async (principal, { params, body, reply }) => {
    const now = context.clock();
    const row = await uploads.loadUpload(db, now, principal, params.uploadId);
    try {
      const status = await requestCommit(db, config, now, principal, row, { overwrite: body.overwrite === true });
      // This instance starts at once; the others' timers find the job too.
      if (status.commit?.state !== 'queued' || commits === undefined) return withRetryAfter(reply, status);
      commits.kick();
      let current = status;
      // By the wall clock: the runner's work in this process may delay each look.
      for (const until = Date.now() + COMMIT_ANSWER_WAIT_MS; Date.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, COMMIT_ANSWER_POLL_MS));
        current = await commitStatus(db, row);
        const state = current.commit?.state;
        if (state === 'done' || state === 'failed') break;
      }
      return withRetryAfter(reply, current);
    } catch (error) {
      // A refused or failed commit changes nothing but is worth an audit record (issue 6: upload
      // sessions created/committed/failed).
      if (error instanceof ApiError && row.createdBy === principal.userId) {
        await appendAudit(db, now, actorOf(principal), {
          action: 'upload.commit_refused',
          studyId: row.studyId,
          targetType: 'upload',
          targetId: row.id,
          details: { code: error.code, ...(typeof error.details === 'object' ? error.details : {}) },
        });
      }
      throw error;
    }
  });

  route(app, context, getUploadCommit, async (principal, { params, reply }) => {
    const row = await uploads.loadUpload(db, context.clock(), principal, params.uploadId);
    return withRetryAfter(reply, await commitStatus(db, row));
  });

  route(app, context, listUploadReceipts, async (principal, { params, query }) => {
    const row = await uploads.loadUpload(db, context.clock(), principal, params.uploadId);
    return uploads.listReceipts(db, row.id, query);
  });

  route(app, context, getUpload, async (principal, { params }) =>
    uploads.uploadView(db, config, await uploads.loadUpload(db, context.clock(), principal, params.uploadId)),
  );
}
