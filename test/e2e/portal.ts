import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildApp,
  DEFAULT_CONFIG,
  type DemoSeed,
  type PortalApp,
  type ServerConfig,
  seedDemoIfEmpty,
} from '@courier/server';
import fastifyStatic from '@fastify/static';

/** The built web app (`npm run build:web`); COURIER_E2E_WEB_DIST points elsewhere (e.g. an older build to compare). */
export const WEB_DIST: string =
  process.env.COURIER_E2E_WEB_DIST ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../apps/web/dist');

/** A Portal on a loopback port with the demo study, serving the built web app. */
export interface E2ePortal extends PortalApp {
  baseUrl: string;
  seed: DemoSeed;
  /** The one-time password of a demo user (`admin`, `uploader`, `monitor`). */
  password(username: string): string;
  /**
   * Puts a study into a slot as if an upload had been committed (the upload commit endpoint does
   * not exist yet); the only place the browser tests write to the database directly.
   */
  fillSlot(slot: { subject: string; event: string; slot: string; studyInstanceUid: string; by: string }): Promise<void>;
  /** The Uploader URL path of a slot, looked up by labels (as the Portal's slot command builds it). */
  uploaderPath(slot: { subject: string; event: string; slot: string }): Promise<string>;
  /** Creates another study through the API as the demo `admin` (system administrator). */
  createStudy(identifier: string, name: string): Promise<void>;
  /**
   * Runs `hook` after every response the Portal sends (null removes it): how a spec makes
   * something happen between two requests of the browser, e.g. the session ending between batches.
   */
  afterResponse(hook: ((request: { method: string; url: string; status: number }) => Promise<void>) | null): void;
  /**
   * Asks `hook` before the Portal handles each request (null removes it): 'drop' cuts the
   * connection before any answer, as a failing proxy or a lost network would — how a spec makes
   * upload batches fail.
   */
  beforeRequest(hook: ((request: { method: string; url: string }) => 'drop' | 'handle') | null): void;
  /** Ends every Portal session of a user server-side, as an idle timeout or an admin would. */
  expireSessions(username: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the real Portal (buildApp) over a fresh SQLite file in a temp folder, seeds the demo
 * study, and has it serve apps/web/dist with an index.html fallback for the app's paths.
 *
 * @example
 * const portal = await startE2ePortal();
 * await page.goto(`${portal.baseUrl}/login`);
 */
export async function startE2ePortal(): Promise<E2ePortal> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: run "npm run build:web" (npm run test:e2e does)`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'courier-e2e-'));
  // apps/server serves the web app from `config.webDir` (with the index.html fallback) once it has
  // that option; passed loosely so this harness also runs against a server without it.
  const webApp: Record<string, unknown> = { webDir: WEB_DIST };
  const portal = await buildApp({
    ...DEFAULT_CONFIG,
    ...webApp,
    port: 0,
    dataDir,
    databaseUrl: undefined,
    logLevel: 'silent',
    demo: false,
    // Every spec logs in several times from 127.0.0.1; the rate limit has its own server tests.
    loginMaxFailures: 1000,
  } as ServerConfig);
  const seed = await seedDemoIfEmpty(portal.context);
  if (seed === null) throw new Error('demo seed did not run on a fresh database');
  if (!portal.app.hasReplyDecorator('sendFile')) {
    // A server that does not serve the web app itself yet: do what it will do.
    await portal.app.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
    portal.app.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.status(404).send({ code: 'NOT_FOUND', message: 'not found' });
      return reply.sendFile('index.html');
    });
  }
  let afterResponse: ((request: { method: string; url: string; status: number }) => Promise<void>) | null = null;
  portal.app.addHook('onResponse', async (request, reply) => {
    await afterResponse?.({ method: request.method, url: request.url, status: reply.statusCode });
  });
  let beforeRequest: ((request: { method: string; url: string }) => 'drop' | 'handle') | null = null;
  portal.app.addHook('onRequest', async (request, reply) => {
    if (beforeRequest?.({ method: request.method, url: request.url }) !== 'drop') return;
    reply.hijack();
    request.raw.socket.destroy();
  });
  const password = (username: string): string => {
    const credential = seed.credentials.find((c) => c.username === username);
    if (credential === undefined) throw new Error(`no demo user ${username}`);
    return credential.password;
  };
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = portal.app.server.address() as AddressInfo;
  return {
    ...portal,
    baseUrl: `http://127.0.0.1:${port}`,
    seed,
    password,
    async uploaderPath(target) {
      const row = await portal.context.db
        .selectFrom('scheduledEvents as e')
        .innerJoin('subjects as s', 's.id', 'e.subjectId')
        .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
        .innerJoin('slotDefinitions as sd', 'sd.eventDefinitionId', 'd.id')
        .select(['s.studyId', 's.id as subjectId', 'e.id as eventId', 'sd.id as slotId'])
        .where('s.label', '=', target.subject)
        .where('d.name', '=', target.event)
        .where('sd.label', '=', target.slot)
        .executeTakeFirstOrThrow();
      const query = new URLSearchParams({
        study: row.studyId,
        subject: row.subjectId,
        event: row.eventId,
        slot: row.slotId,
      });
      return `/uploader?${query.toString()}`;
    },
    async fillSlot(target) {
      const { db } = portal.context;
      const row = await db
        .selectFrom('scheduledEvents as e')
        .innerJoin('subjects as s', 's.id', 'e.subjectId')
        .innerJoin('eventDefinitions as d', 'd.id', 'e.eventDefinitionId')
        .innerJoin('slotDefinitions as sd', 'sd.eventDefinitionId', 'd.id')
        .select(['e.id as eventId', 'sd.id as slotId'])
        .where('s.label', '=', target.subject)
        .where('d.name', '=', target.event)
        .where('sd.label', '=', target.slot)
        .executeTakeFirstOrThrow();
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', target.by)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('slotValues')
        .values({
          scheduledEventId: row.eventId,
          slotDefinitionId: row.slotId,
          studyInstanceUid: target.studyInstanceUid,
          assignedAt: new Date().toISOString(),
          assignedBy: user.id,
          uploadId: null,
        })
        .execute();
    },
    afterResponse(hook) {
      afterResponse = hook;
    },
    beforeRequest(hook) {
      beforeRequest = hook;
    },
    async expireSessions(username) {
      const { db } = portal.context;
      const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
      await db.deleteFrom('sessions').where('userId', '=', user.id).execute();
    },
    async createStudy(identifier, name) {
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: password('admin') }),
      });
      const me = (await login.json()) as { csrfToken: string };
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const created = await fetch(`${base}/api/studies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ identifier, name, sponsor: 'E2E Sponsor', protocolId: `${identifier}-P` }),
      });
      if (created.status !== 201) throw new Error(`createStudy: ${created.status} ${await created.text()}`);
    },
    async stop() {
      await portal.app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
