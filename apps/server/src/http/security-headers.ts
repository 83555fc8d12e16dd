import type { FastifyInstance } from 'fastify';

/**
 * Headers on every API response: `no-store` because answers carry personal data and secrets
 * (slot parameters hold the study's UID secret) that must not sit in browser or proxy caches;
 * `nosniff` so a JSON body is never interpreted as something else; no referrer leaves the Portal.
 *
 * @example
 * addSecurityHeaders(app);
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
}
