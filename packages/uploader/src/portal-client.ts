import { type AnyEndpoint, ApiError, type Endpoint, endpointPath, isApiErrorCode } from '@courier/api';

/**
 * How the Portal client authenticates. The browser Uploader rides on the Portal session: the
 * browser sends the HttpOnly cookie itself and the client adds `x-csrf-token` to state-changing
 * requests. The CLI sends a personal API token as `Authorization: Bearer …` (no CSRF: a token is
 * not sent by a browser on its own). `cookies` is for the CLI's login, which needs the session
 * once to create a token.
 *
 * @example
 * const auth: PortalAuth = { kind: 'token', token: process.env.COURIER_TOKEN! };
 */
export type PortalAuth =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'session'; readonly csrfToken: () => string | undefined }
  | { readonly kind: 'cookies'; readonly jar: Map<string, string>; csrfToken?: string | undefined };

/**
 * Options of {@link PortalClient}.
 *
 * @example
 * new PortalClient({ baseUrl: 'https://portal.example.org', auth: { kind: 'token', token } });
 */
export interface PortalClientOptions {
  /** The Portal's origin, e.g. `https://portal.example.org` (a trailing slash is ignored). */
  readonly baseUrl: string;
  auth: PortalAuth;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Input of one endpoint call: path parameters, query and JSON body as the endpoint declares. */
export interface CallInput<P, Q, B> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly signal?: AbortSignal;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A typed fetch over the `@courier/api` endpoint descriptors: builds the path from `:params`,
 * sends JSON, validates the answer with the endpoint's zod schema and turns every failure into an
 * `ApiError` whose `details.httpStatus` is the HTTP status (a proxy's 503 has no Portal body).
 * Network failures (a cut connection) are thrown as fetch throws them, with the socket error as
 * `cause`, so retry.ts can tell them apart.
 *
 * @example
 * const client = new PortalClient({ baseUrl, auth: { kind: 'token', token } });
 * const session = await client.call(createUpload, { body: { studyId, subjectId, eventId, slotDefinitionId } });
 */
export class PortalClient {
  readonly baseUrl: string;
  auth: PortalAuth;
  readonly #fetch: typeof fetch;

  constructor(options: PortalClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.auth = options.auth;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Calls one endpoint and returns its parsed response (undefined for 204). */
  async call<P, Q, B, R>(endpoint: Endpoint<P, Q, B, R>, input: CallInput<P, Q, B> = {}): Promise<R> {
    let path = endpointPath(endpoint as AnyEndpoint, (input.params ?? {}) as Record<string, string>);
    if (input.query !== undefined) {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(input.query as Record<string, unknown>)) {
        if (v !== undefined) search.set(k, String(v));
      }
      const text = search.toString();
      if (text !== '') path += `?${text}`;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.send(endpoint.method, path, {
      headers,
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    if (response.status === 204 || endpoint.response === undefined) {
      await response.arrayBuffer();
      return undefined as R;
    }
    return endpoint.response.parse(await response.json());
  }

  /**
   * Sends any request with the client's authentication; resolves only for a 2xx response, else
   * throws ApiError (details.httpStatus set). Used directly for the STOW-RS batch, whose body is
   * a stream or a Blob rather than JSON.
   *
   * @example
   * const response = await client.send('POST', `/api/uploads/${id}/instances`, { body: blob, headers });
   */
  async send(
    method: string,
    path: string,
    init: {
      headers?: Record<string, string>;
      body?: string | Blob | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
      signal?: AbortSignal;
      duplex?: 'half';
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    const auth = this.auth;
    if (auth.kind === 'token') headers.authorization = `Bearer ${auth.token}`;
    else if (STATE_CHANGING.has(method)) {
      const csrf = auth.kind === 'session' ? auth.csrfToken() : auth.csrfToken;
      if (csrf !== undefined) headers['x-csrf-token'] = csrf;
    }
    if (auth.kind === 'cookies' && auth.jar.size > 0) {
      headers.cookie = [...auth.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const response = await this.#fetch(this.baseUrl + path, {
      method,
      headers,
      // The browser sends the Portal's session cookie only to the same origin.
      credentials: 'same-origin',
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.signal === undefined ? {} : { signal: init.signal }),
      ...(init.duplex === undefined ? {} : { duplex: init.duplex }),
    } as RequestInit);
    if (auth.kind === 'cookies') keepCookies(auth.jar, response);
    if (response.ok) return response;
    throw await errorOf(response);
  }
}

function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';');
    const at = pair.indexOf('=');
    if (at < 1) continue;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
    else jar.set(name, value);
  }
}

/**
 * The ApiError for a non-2xx response: the Portal's JSON error body when there is one, else a
 * generic error naming the status (a proxy's 502 page). `details.httpStatus` is always set.
 */
async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: { code?: unknown; message?: unknown; details?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const httpStatus = response.status;
  const code = isApiErrorCode(body?.code)
    ? body.code
    : httpStatus === 401
      ? 'AUTH_REQUIRED'
      : httpStatus === 413
        ? 'PAYLOAD_TOO_LARGE'
        : 'INTERNAL_ERROR';
  const details =
    body?.details !== undefined && typeof body.details === 'object'
      ? { ...(body.details as object), httpStatus }
      : { httpStatus };
  const error = new ApiError(code, undefined, { details });
  error.message = typeof body?.message === 'string' ? body.message : `HTTP ${httpStatus} ${response.statusText}`.trim();
  return error;
}
