import { type AnyEndpoint, ApiError, type Endpoint, endpointPath } from '@courier/api';

let csrfToken: string | null = null;

/**
 * Remembers the CSRF token of the session (from login or `GET /api/me`); every state-changing
 * request sends it as `x-csrf-token`, as the Portal requires for cookie sessions.
 *
 * @example
 * setCsrfToken(me.csrfToken);
 */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What a call needs besides the endpoint: path parameters, query and body, each typed by it. */
export interface CallInput<Params, Query, Body> {
  params?: Params;
  query?: Partial<Query>;
  body?: Body;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Calls a Portal endpoint from its @courier/api descriptor on the same origin (the session cookie
 * authenticates), validates the answer with the endpoint's response schema, and throws an
 * {@link ApiError} rebuilt from the error body otherwise.
 *
 * @example
 * const page = await call(listSubjects, { params: { studyId }, query: { q: 'S01', offset: 0, limit: 20 } });
 */
export async function call<Params, Query, Body, Response>(
  endpoint: Endpoint<Params, Query, Body, Response>,
  input: CallInput<Params, Query, Body> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (input.body !== undefined) headers['content-type'] = 'application/json';
  if (endpoint.method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const path =
    endpointPath(endpoint as AnyEndpoint, (input.params ?? {}) as Record<string, string>) +
    queryString(input.query as Record<string, unknown> | undefined);
  const response = await fetch(path, {
    method: endpoint.method,
    headers,
    credentials: 'same-origin',
    ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
  });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) throw ApiError.fromBody(json);
  if (endpoint.response === undefined) return undefined as Response;
  return endpoint.response.parse(json);
}

/**
 * Tells whether an error means "log in (again)": no session, or one that expired.
 *
 * @example
 * if (isAuthError(error)) navigate('/login');
 */
export function isAuthError(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'AUTH_REQUIRED' || error.code === 'SESSION_EXPIRED');
}
