import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, getMe } from '@courier/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, startFaultProxy } from '../test/fault-proxy.js';
import { PortalClient } from './portal-client.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetriable, type RetryPolicy, withRetry } from './retry.js';

const fast: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('backoffDelay', () => {
  it('doubles the cap per attempt up to the maximum, with full jitter', () => {
    const at = (attempt: number, r: number) => backoffDelay(attempt, { ...DEFAULT_RETRY_POLICY, random: () => r });
    expect([0, 1, 2, 3].map((a) => at(a, 0.999999))).toEqual([499, 999, 1999, 3999]);
    expect(at(20, 0.999999)).toBe(29_999);
    expect(at(3, 0)).toBe(0);
    expect(at(3, 0.5)).toBe(2000);
  });
});

describe('isRetriable', () => {
  it('retries gateway errors and cut connections, not client errors', () => {
    const http = (status: number) => new ApiError('INTERNAL_ERROR', undefined, { details: { httpStatus: status } });
    expect([502, 503, 504].map((s) => isRetriable(http(s)))).toEqual([true, true, true]);
    expect([400, 401, 403, 409, 413, 500].map((s) => isRetriable(http(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isRetriable(new TypeError('fetch failed', { cause: reset }))).toBe(true);
    expect(isRetriable(new TypeError('fetch failed'))).toBe(false);
  });
});

describe('withRetry over a loopback proxy that fails requests', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let served = 0;
  const me = {
    user: { id: crypto.randomUUID(), username: 'u', displayName: 'U', systemAdmin: false },
    memberships: [],
    activeStudyId: null,
    csrfToken: null,
    sessionExpiresAt: null,
    authenticatedBy: 'token',
  };

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      served++;
      if (req.headers.authorization !== 'Bearer good') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'TOKEN_INVALID', message: 'the API token is unknown or revoked' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(me));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

  async function run(faults: Fault[], token = 'good') {
    const proxy = await startFaultProxy(upstreamUrl, (n) => faults[n] ?? { kind: 'pass' });
    const client = new PortalClient({ baseUrl: proxy.baseUrl, auth: { kind: 'token', token } });
    const retries: unknown[] = [];
    try {
      const result = await withRetry(() => client.call(getMe), fast, { onRetry: (_, __, e) => retries.push(e) });
      return { result, retries, seen: proxy.seen };
    } catch (error) {
      return { error, retries, seen: proxy.seen };
    } finally {
      await proxy.close();
    }
  }

  it('retries a request whose connection was cut and then succeeds', async () => {
    const before = served;
    const outcome = await run([{ kind: 'drop' }]);
    expect(outcome.result?.user.username).toBe('u');
    expect(outcome.seen.map((s) => s.fault)).toEqual(['drop', 'pass']);
    expect(served - before).toBe(1);
    expect(isRetriable(outcome.retries[0])).toBe(true);
  });

  it('retries 502, 503 and 504 from the proxy', async () => {
    const outcome = await run([
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 504 },
    ]);
    expect(outcome.result?.user.username).toBe('u');
    expect(outcome.seen).toHaveLength(4);
  });

  it('gives up after the last attempt and rethrows the last failure', async () => {
    const outcome = await run(Array.from({ length: 10 }, () => ({ kind: 'status', status: 503 }) as const));
    expect(outcome.seen).toHaveLength(fast.maxAttempts);
    expect(outcome.error).toBeInstanceOf(ApiError);
    expect((outcome.error as ApiError).details).toEqual({ httpStatus: 503 });
  });

  it('does not retry a 401: the same request would fail again', async () => {
    const outcome = await run([], 'bad');
    expect(outcome.seen).toHaveLength(1);
    expect((outcome.error as ApiError).code).toBe('TOKEN_INVALID');
    expect((outcome.error as ApiError).details).toEqual({ httpStatus: 401 });
  });

  it('does not retry a 413 from a proxy with a small body limit', async () => {
    const outcome = await run([{ kind: 'status', status: 413 }]);
    expect(outcome.seen).toHaveLength(1);
    expect((outcome.error as ApiError).code).toBe('PAYLOAD_TOO_LARGE');
  });
});
