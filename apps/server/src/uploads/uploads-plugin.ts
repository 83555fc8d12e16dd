import { createUpload, getUpload, listUploads, putUploadManifest } from '@courier/api';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { route } from '../http/route.js';
import * as uploads from './upload-service.js';

/** A manifest of 100 000 instances is about 25 MB of JSON. */
const MANIFEST_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Upload sessions: open one for a slot, register the manifest, read the state to resume, find
 * one's sessions again.
 * (Batches and commit come with the DICOM re-check.)
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

  route(app, context, getUpload, async (principal, { params }) =>
    uploads.uploadView(db, config, await uploads.loadUpload(db, context.clock(), principal, params.uploadId)),
  );
}
