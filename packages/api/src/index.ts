/**
 * @courier/api — the Portal's HTTP contract: zod schemas with their types, endpoint descriptors, the
 * error catalogue and the OpenAPI generator, shared by the server, the web app and the CLI.
 */
export * from './audit.js';
export * from './auth.js';
export * from './common.js';
export * from './dicomweb.js';
export * from './endpoint.js';
export * from './endpoints.js';
export * from './errors.js';
export * from './events.js';
export * from './notifications.js';
export * from './odm.js';
export * from './openapi.js';
export * from './slots.js';
export * from './studies.js';
export * from './subjects.js';
export * from './uploads.js';
export * from './users.js';
