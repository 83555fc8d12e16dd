import type { z } from 'zod';

/** HTTP methods the Portal API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One operation of the Portal API: its route, schemas and who may call it. The server registers its
 * handlers from these descriptors, clients build requests from them and the OpenAPI document is
 * generated from them, so the three cannot drift apart.
 *
 * @example
 * const response = await fetch(baseUrl + login.path, { method: login.method, body: JSON.stringify(body) });
 * const me = login.response?.parse(await response.json());
 */
export interface Endpoint<Params = unknown, Query = unknown, Body = unknown, Response = unknown> {
  /** Stable operation id (OpenAPI operationId). */
  readonly id: string;
  readonly method: HttpMethod;
  /** Route in fastify syntax, parameters as `:name`. */
  readonly path: string;
  /** OpenAPI tag: the area of the API. */
  readonly tag: 'auth' | 'studies' | 'subjects' | 'uploads' | 'admin' | 'audit' | 'docs' | 'dicomweb';
  readonly summary: string;
  /** Who may call it, in words (the server enforces it; the permission tests check it). */
  readonly permission: string;
  /** False only for login and the API document. */
  readonly authenticated: boolean;
  readonly params?: z.ZodType<Params>;
  readonly query?: z.ZodType<Query>;
  readonly body?: z.ZodType<Body>;
  /** Absent when the success status is 204, or when `media` names a non-JSON answer. */
  readonly response?: z.ZodType<Response>;
  /**
   * Media type of a success body that is not the API's JSON (DICOMweb answers, zip downloads): the
   * handler streams it and OpenAPI documents this type instead of a response schema.
   */
  readonly media?: string;
  readonly status: 200 | 201 | 202 | 204;
}

/** An endpoint of any shape, for lists of endpoints. */
// biome-ignore lint/suspicious/noExplicitAny: a list holds endpoints of different shapes
export type AnyEndpoint = Endpoint<any, any, any, any>;

/**
 * Fills a path's `:name` parameters.
 *
 * @example
 * endpointPath(getSubject, { studyId: 's1', subjectId: 'x' }); // '/api/studies/s1/subjects/x'
 */
export function endpointPath(endpoint: AnyEndpoint, params: Record<string, string> = {}): string {
  return endpoint.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${endpoint.path}`);
    return encodeURIComponent(value);
  });
}
