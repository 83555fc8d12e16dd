import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with one request: pass it on; cut the client's connection before
 * answering; cut it after forwarding `afterBytes` of the body (a proxy dying mid-upload); or
 * answer a gateway error itself.
 */
export type Fault =
  | { readonly kind: 'pass' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'drop-mid-body'; readonly afterBytes: number }
  | { readonly kind: 'status'; readonly status: 502 | 503 | 504 | 413 };

/** A loopback HTTP proxy in front of a real server that injects faults by request number. */
export interface FaultProxy {
  readonly baseUrl: string;
  /** Requests seen so far, in order: method, path and the fault applied. */
  readonly seen: { method: string; path: string; fault: Fault['kind'] }[];
  close(): Promise<void>;
}

/**
 * Starts the proxy on 127.0.0.1:0. `plan(n, request)` decides the fault of the n-th request (0-based).
 *
 * @example
 * const proxy = await startFaultProxy(portal.baseUrl, (n) => (n === 3 ? { kind: 'drop' } : { kind: 'pass' }));
 */
export async function startFaultProxy(
  upstream: string,
  plan: (n: number, request: IncomingMessage) => Fault,
): Promise<FaultProxy> {
  const target = new URL(upstream);
  const seen: FaultProxy['seen'] = [];
  let n = 0;
  // Requests to the upstream, destroyed on close: one cut mid-body would keep the upstream waiting.
  const outbound = new Set<ReturnType<typeof request>>();
  const server: Server = createServer((req, res) => {
    const fault = plan(n++, req);
    seen.push({ method: req.method ?? '', path: req.url ?? '', fault: fault.kind });
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.status, { 'content-type': 'text/html', connection: 'close' });
        res.end(`<html><body>${fault.status} from the proxy</body></html>`);
      });
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    outbound.add(out);
    out.on('close', () => outbound.delete(out));
    out.on('error', () => req.socket.destroy());
    if (fault.kind === 'drop-mid-body') {
      let forwarded = 0;
      req.on('data', (chunk: Buffer) => {
        if (forwarded >= fault.afterBytes) return;
        const part = chunk.subarray(0, fault.afterBytes - forwarded);
        forwarded += part.length;
        out.write(part);
        if (forwarded >= fault.afterBytes) {
          out.destroy();
          req.socket.destroy();
        }
      });
      return;
    }
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const out of outbound) out.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
