/**
 * fetch as the upload engine's retries expect it. A browser rejects a request whose connection
 * failed (reset, refused, cut by a proxy) with a bare TypeError ("Failed to fetch"), where Node's
 * fetch names the socket error in `cause.code`; @courier/uploader's isRetriable looks for that
 * code, so in the browser a dropped batch ended the run at once instead of being retried with
 * backoff. Such a TypeError is passed on with the cause Node would give (code ECONNRESET); an
 * abort, an answer of any status, and an error that already names its cause pass unchanged.
 *
 * @example
 * new PortalClient({ baseUrl: self.location.origin, auth, fetch: retriableFetch });
 */
export const retriableFetch: typeof fetch = (input, init) => retriableFetchOver(fetch)(input, init);

/**
 * The same over another fetch (tests pass one that fails like a browser's).
 *
 * @example
 * const f = retriableFetchOver(async () => { throw new TypeError('Failed to fetch'); });
 */
export function retriableFetchOver(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (!(error instanceof TypeError) || init?.signal?.aborted === true) throw error;
      if (typeof (error.cause as { code?: unknown } | undefined)?.code === 'string') throw error;
      const cause = Object.assign(new Error(`network error: ${error.message}`), { code: 'ECONNRESET' });
      throw new TypeError(error.message, { cause });
    }
  };
}
