import { ApiError, DICOMWEB_ROOT } from '@courier/api';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditPlugin } from './audit/audit-plugin.js';
import { authPlugin } from './auth/auth-plugin.js';
import type { ServerConfig } from './config.js';
import type { AppContext, Clock } from './context.js';
import type { DatabaseBackend } from './database/dialect.js';
import { migrateToLatest } from './database/migrate.js';
import { openDatabase } from './database/open-database.js';
import { dicomwebServicePlugin } from './dicomweb/dicomweb-service-plugin.js';
import { adminPlugin } from './edc/admin-plugin.js';
import { edcPlugin } from './edc/edc-plugin.js';
import { odmPlugin } from './edc/odm/odm-plugin.js';
import { HOUSEKEEPING_INTERVAL_MS, housekeeping } from './housekeeping.js';
import { docsPlugin } from './http/docs-plugin.js';
import { apiErrorHandler } from './http/error-handler.js';
import { addSecurityHeaders } from './http/security-headers.js';
import { registerWebApp, sendWebIndex } from './http/web-app.js';
import { type MailSender, startMailSender } from './notifications/mail-loop.js';
import { notificationsPlugin } from './notifications/notifications-plugin.js';
import { slotsPlugin } from './slots/slots-plugin.js';
import type { DicomStore } from './storage/dicom-store.js';
import { storeFromConfig } from './storage/store-from-config.js';
import { type CommitRunner, startCommitRunner } from './uploads/commit-runner.js';
import { uploadsPlugin } from './uploads/uploads-plugin.js';

/** Version reported in the API document. */
export const SERVER_VERSION = '0.1.0';

/** Options of {@link buildApp} beyond the configuration; tests use them. */
export interface BuildOptions {
  /** Use this database instead of opening the configured one (closed with the app either way). */
  backend?: DatabaseBackend;
  /** Current time; default the system clock. */
  clock?: Clock;
  /** The DICOM store committed studies go to; default the configured one (`storeFromConfig`). */
  store?: DicomStore;
}

/** The Portal app with the context its plugins share. */
export interface PortalApp {
  app: FastifyInstance;
  context: AppContext;
  backend: DatabaseBackend;
  /** The background mail sender (tests call `runOnce` instead of waiting for its timer). */
  mailSender: MailSender;
  /** This instance's upload commit runner (tests call `runOnce` or `stop`). */
  commitRunner: CommitRunner;
}

/**
 * Builds the Portal from a configuration: opens and migrates the database, then registers the
 * encapsulated plugins (auth, EDC, uploads, admin, audit, docs). Does not listen: main.ts does that, tests
 * listen on port 0. Closing the app closes the database.
 *
 * @example
 * const { app } = await buildApp(loadConfig(process.env));
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 */
export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<PortalApp> {
  const backend = options.backend ?? openDatabase(config);
  await migrateToLatest(backend);
  const context: AppContext = {
    db: backend.db,
    config,
    clock: options.clock ?? (() => new Date()),
    store: options.store ?? storeFromConfig(config),
  };
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  // Housekeeping runs in the background; unref() so it never keeps the process alive.
  const timer = setInterval(() => {
    housekeeping(backend.db, context.clock(), config).catch((error: unknown) =>
      app.log.error({ err: error }, 'housekeeping failed'),
    );
  }, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  const mailSender = startMailSender(backend.db, config, context.clock, app.log);
  const commitRunner = startCommitRunner(backend.db, config, context.store, context.clock, app.log);
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await commitRunner.stop();
    await mailSender.stop();
    await backend.close();
  });
  addSecurityHeaders(app);
  app.setErrorHandler(apiErrorHandler);
  const web = await registerWebApp(app, config.webDir);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (
      web &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      path !== '/api' &&
      !path.startsWith('/api/') &&
      !path.startsWith(`${DICOMWEB_ROOT}/`)
    ) {
      return sendWebIndex(reply);
    }
    const error = new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    reply.status(error.status).send(error.toBody());
  });
  await app.register(fastifyCookie);
  await app.register(authPlugin, { context });
  await app.register(edcPlugin, { context });
  await app.register(uploadsPlugin, { context, commits: commitRunner });
  await app.register(slotsPlugin, { context });
  await app.register(adminPlugin, { context });
  await app.register(auditPlugin, { context });
  await app.register(notificationsPlugin, { context });
  await app.register(odmPlugin, { context, version: SERVER_VERSION });
  await app.register(dicomwebServicePlugin, { context });
  await app.register(docsPlugin, { version: SERVER_VERSION });
  return { app, context, backend, mailSender, commitRunner };
}
