import { ENDPOINTS, getApiDocs, openApiDocument } from '@courier/api';
import type { FastifyInstance } from 'fastify';
import { publicRoute } from './route.js';

/**
 * Serves the OpenAPI 3.1 document at /api/docs, generated once from the @courier/api schemas.
 *
 * @example
 * await app.register(docsPlugin, { version: '0.1.0' });
 */
export async function docsPlugin(app: FastifyInstance, options: { version: string }): Promise<void> {
  const document = openApiDocument(ENDPOINTS, { title: 'Courier Portal API', version: options.version });
  publicRoute(app, getApiDocs, async () => document);
}
