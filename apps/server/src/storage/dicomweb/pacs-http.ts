import { PacsError } from './pacs-error.js';

/**
 * How the store talks HTTP: the fetch it is given (injected, so tests and deployments choose the
 * client, proxy and TLS settings) and the headers every request carries (authentication).
 *
 * @example
 * const http: PacsHttp = { fetch, headers: { authorization: basicAuth('courier', secret) } };
 */
export interface PacsHttp {
  fetch: typeof fetch;
  headers: Readonly<Record<string, string>>;
}

/**
 * An HTTP Basic Authorization header value (RFC 7617), as Orthanc's RegisteredUsers expect.
 *
 * @example
 * basicAuth('courier', 'secret'); // 'Basic Y291cmllcjpzZWNyZXQ='
 */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Sends one request to the PACS. A connection that cannot be made or breaks becomes PACS_UNREACHABLE,
 * 401/403 become PACS_UNAUTHORIZED; every other status is returned for the caller to judge (404 means
 * "absent" to a QIDO or WADO request, 400 still carries a STOW-RS verdict per instance).
 *
 * @example
 * const response = await pacsRequest(http, `${base}/studies/${uid}/instances`, { method: 'GET' }, 'QIDO-RS');
 */
export async function pacsRequest(
  http: PacsHttp,
  url: string,
  init: RequestInit & { duplex?: 'half' },
  what: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await http.fetch(url, { ...init, headers: { ...http.headers, ...(init.headers as object) } });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new PacsError('PACS_UNREACHABLE', `${what} ${redact(url)}: ${reason}`, { cause: error });
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new PacsError('PACS_UNAUTHORIZED', `${what} ${redact(url)} answered ${response.status}`, {
      status: response.status,
    });
  }
  return response;
}

/**
 * Throws PACS_HTTP_ERROR for an answer that is not 2xx, with the start of the body for the log.
 *
 * @example
 * await expectOk(response, 'WADO-RS');
 */
export async function expectOk(response: Response, what: string): Promise<void> {
  if (response.ok) return;
  const text = (await response.text().catch(() => '')).slice(0, 300);
  throw new PacsError('PACS_HTTP_ERROR', `${what} ${redact(response.url)} answered ${response.status} ${text}`, {
    status: response.status,
  });
}

/** URLs in messages never carry user:password@ (logs must not hold credentials). */
function redact(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}
