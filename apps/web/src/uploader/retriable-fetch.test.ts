import { isRetriable } from '@courier/uploader';
import { describe, expect, it } from 'vitest';
import { retriableFetchOver } from './retriable-fetch.js';

const browserFailure = async (): Promise<Response> => {
  throw new TypeError('Failed to fetch');
};

describe('retriableFetch', () => {
  it("makes a browser's bare network TypeError retriable, which it was not before", async () => {
    const error = await retriableFetchOver(browserFailure)('http://127.0.0.1/x').catch((e: unknown) => e);
    expect(isRetriable(new TypeError('Failed to fetch'))).toBe(false);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Failed to fetch');
    expect(isRetriable(error)).toBe(true);
  });

  it("keeps the socket error a fetch already names as the cause (Node's fetch)", async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const nodeFailure = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause });
    };
    const error = await retriableFetchOver(nodeFailure)('http://127.0.0.1:9/').catch((e: unknown) => e);
    expect((error as Error).cause).toBe(cause);
    expect(isRetriable(error)).toBe(true);
  });

  it('leaves an aborted request and an HTTP answer as they are', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = await retriableFetchOver(browserFailure)('http://127.0.0.1/x', { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(isRetriable(aborted)).toBe(false);
    const answer = new Response('busy', { status: 503 });
    expect(await retriableFetchOver(async () => answer)('http://127.0.0.1/x')).toBe(answer);
  });
});
