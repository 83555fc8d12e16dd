import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Serves the built web app (ARCHITECTURE: one origin for app and API) when `root/index.html`
 * exists, and returns whether it does. Files are served as they are (the assets are
 * content-hashed); index.html gets `Cache-Control: no-cache` so a new build is picked up at once.
 * Unknown GET/HEAD paths outside /api/ are answered by {@link sendWebIndex} from the not-found
 * handler, because the app routes in the browser (/login, /uploader?…).
 *
 * @example
 * const web = await registerWebApp(app, config.webDir);
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    setHeaders(response, path) {
      if (path.endsWith('index.html')) response.header('cache-control', 'no-cache');
    },
  });
  return true;
}

/**
 * The history-routing fallback: index.html with `no-cache`.
 *
 * @example
 * if (web && request.method === 'GET' && !request.url.startsWith('/api/')) return sendWebIndex(reply);
 */
export function sendWebIndex(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}
