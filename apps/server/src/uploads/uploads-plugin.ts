import {
  ApiError,
  commitUpload,
  createUpload,
  getUpload,
  listUploads,
  putUploadManifest,
  storeUploadBatch,
} from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../audit/audit-log.js';
import { actorOf } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import { storeBatch } from './upload-batch.js';
import { commitSession } from './upload-commit.js';
import * as uploads from './upload-service.js';

/** A manifest of 100 000 instances is about 25 MB of JSON. */
const MANIFEST_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Upload sessions: open one for a slot, register the manifest, read the state to resume, find
 * one's sessions again.
 * send STOW-RS batches (streamed to staging and re-checked), commit.
 *
 * @example
 * await app.register(uploadsPlugin, { context });
 */
export async function uploadsPlugin(app: FastifyInstance, options: { context: AppContext }): Promise<void> {
  const { context } = options;
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

  route(app, context, commitUpload, async (principal, { params, body }) => {
    const now = context.clock();
    const row = await uploads.loadUpload(db, now, principal, params.uploadId);
    try {
      return await commitSession(db, config, context.store, now, principal, row, {
        overwrite: body.overwrite === true,
      });
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

  route(app, context, getUpload, async (principal, { params }) =>
    uploads.uploadView(db, config, await uploads.loadUpload(db, context.clock(), principal, params.uploadId)),
  );
}
