import type { AddressInfo } from 'node:net';
import { buildApp, type PortalApp } from '../src/app.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../src/config.js';
import type { DicomStore } from '../src/storage/dicom-store.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A clock the test moves by hand. */
export interface TestClock {
  (): Date;
  advance(ms: number): void;
}

/** @example const clock = testClock(); clock.advance(60_000); */
export function testClock(start: number = Date.parse('2026-11-25T09:00:00.000Z')): TestClock {
  let now = start;
  const clock = (() => new Date(now)) as TestClock;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** A Portal listening on 127.0.0.1 on a free port, over a fresh database. */
export interface RunningPortal extends PortalApp {
  baseUrl: string;
  clock: TestClock;
  database: TestDatabase;
  /** Closes the server and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts a real Portal on a loopback socket (port 0) with a fresh SQLite file, or a fresh
 * PostgreSQL schema when DATABASE_URL is set. `store` replaces the DICOM store `buildApp` makes
 * from the configuration (e.g. a wrapper that loses or alters bytes).
 *
 * @example
 * const portal = await startPortal();
 * const response = await fetch(`${portal.baseUrl}/api/me`);
 */
export async function startPortal(
  overrides: Partial<ServerConfig> = {},
  { store }: { store?: DicomStore } = {},
): Promise<RunningPortal> {
  const database = await createTestDatabase();
  const clock = testClock();
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    demo: false,
    ...overrides,
  };
  const portal = await buildApp(config, { backend: database.open(), clock, ...(store === undefined ? {} : { store }) });
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = portal.app.server.address() as AddressInfo;
  return {
    ...portal,
    baseUrl: `http://127.0.0.1:${port}`,
    clock,
    database,
    async stop() {
      await portal.app.close();
      await database.cleanup();
    },
  };
}

/** A response with its parsed JSON body (undefined for an empty body). */
export interface TestResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response bodies
  body: any;
  headers: Headers;
}

/**
 * A browser-like client: keeps the cookies the Portal sets and sends the CSRF header unless told
 * not to; or a CLI-like client with a bearer token.
 *
 * @example
 * const client = new TestClient(portal.baseUrl);
 * await client.login('admin', password);
 * const me = await client.get('/api/me');
 */
export class TestClient {
  readonly cookies: Map<string, string> = new Map();
  bearer: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean | string; headers?: Record<string, string> } = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`;
    const csrf = options.csrf ?? true;
    if (typeof csrf === 'string') headers['x-csrf-token'] = csrf;
    else if (csrf && this.csrfToken !== undefined) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      const text = value.join('=');
      if (text === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name!);
      else this.cookies.set(name!, text);
    }
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
  }

  get(path: string): Promise<TestResponse> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown): Promise<TestResponse> {
    return this.request('POST', path, body);
  }

  /** Logs in and keeps the session cookie and CSRF token; throws unless 200. */
  async login(username: string, password: string): Promise<TestResponse> {
    const response = await this.post('/api/auth/login', { username, password });
    if (response.status !== 200)
      throw new Error(`login ${username}: ${response.status} ${JSON.stringify(response.body)}`);
    this.csrfToken = response.body.csrfToken;
    return response;
  }
}
