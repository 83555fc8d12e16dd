import { ApiError, type Endpoint } from '@courier/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticate } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';

/** What a handler receives: the validated parts of the request. */
export interface RouteInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  request: FastifyRequest;
  reply: FastifyReply;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) {
    throw new ApiError('VALIDATION_FAILED', `invalid ${where}`, {
      details: { where, issues: result.error.issues.map((i) => ({ path: i.path, message: i.message })) },
    });
  }
  return result.data;
}

/** Per-route settings beyond the descriptor. */
export interface RouteOptions {
  /** Largest accepted body in bytes (default: the app's 1 MiB). */
  bodyLimit?: number;
}

function register<P, Q, B, R>(
  app: FastifyInstance,
  endpoint: Endpoint<P, Q, B, R>,
  run: (request: FastifyRequest, reply: FastifyReply) => Promise<R | undefined>,
  options: RouteOptions = {},
): void {
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    handler: async (request, reply) => {
      const result = await run(request, reply);
      if (endpoint.status === 204) return reply.status(204).send();
      // Responses are parsed with their schema too: a handler cannot leak a field the contract
      // does not declare (the UID secret, a password hash) and drift shows up as a failing test.
      const body = endpoint.response === undefined ? result : endpoint.response.parse(result);
      return reply.status(endpoint.status).send(body);
    },
  });
}

/**
 * Registers the handler of an authenticated endpoint: authentication (session or token), CSRF for
 * cookie-authenticated state changes and schema validation happen before the handler runs, so no
 * endpoint can forget them. The handler still checks roles and site scope for its data.
 *
 * @example
 * route(app, context, getMe, async (principal) => loadMe(context, principal));
 */
export function route<P, Q, B, R>(
  app: FastifyInstance,
  context: AppContext,
  endpoint: Endpoint<P, Q, B, R>,
  handler: (principal: Principal, input: RouteInput<P, Q, B>) => Promise<R | undefined>,
  options: RouteOptions = {},
): void {
  if (!endpoint.authenticated) throw new TypeError(`${endpoint.id} is public: use publicRoute`);
  register(
    app,
    endpoint,
    async (request, reply) => {
      const principal = await authenticate(context, request, reply);
      const input: RouteInput<P, Q, B> = {
        params: parse(endpoint.params, request.params, 'path'),
        query: parse(endpoint.query, request.query, 'query'),
        body: parse(endpoint.body, request.body, 'body'),
        request,
        reply,
      };
      return handler(principal, input);
    },
    options,
  );
}

/**
 * Registers the handler of a public endpoint (login, the API document).
 *
 * @example
 * publicRoute(app, login, async ({ body }) => logIn(context, body));
 */
export function publicRoute<P, Q, B, R>(
  app: FastifyInstance,
  endpoint: Endpoint<P, Q, B, R>,
  handler: (input: RouteInput<P, Q, B>) => Promise<R | undefined>,
): void {
  if (endpoint.authenticated) throw new TypeError(`${endpoint.id} needs authentication: use route`);
  register(app, endpoint, async (request, reply) =>
    handler({
      params: parse(endpoint.params, request.params, 'path'),
      query: parse(endpoint.query, request.query, 'query'),
      body: parse(endpoint.body, request.body, 'body'),
      request,
      reply,
    }),
  );
}
