import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPortal, startPortal } from '../../test/portal-harness.js';
import { registerWebApp } from './web-app.js';

describe('the built web app served at /', () => {
  let portal: RunningPortal;
  const root = mkdtempSync(join(tmpdir(), 'courier-web-'));
  const INDEX = '<!doctype html><title>Courier</title><div id="app"></div>';

  beforeAll(async () => {
    mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(root, 'dist', 'index.html'), INDEX);
    writeFileSync(join(root, 'dist', 'assets', 'app-1a2b.js'), 'console.log(1)');
    portal = await startPortal({ webDir: join(root, 'dist') });
  });
  afterAll(async () => {
    await portal.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / with Cache-Control no-cache, and the assets as files', async () => {
    const index = await fetch(`${portal.baseUrl}/`);
    expect([index.status, await index.text()]).toEqual([200, INDEX]);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${portal.baseUrl}/assets/app-1a2b.js`);
    expect([asset.status, await asset.text()]).toEqual([200, 'console.log(1)']);
  });

  it('answers the app’s own routes with index.html (history routing)', async () => {
    for (const path of ['/login', '/uploader?study=s&subject=x&event=e&slot=l', '/pacs?tab=query']) {
      const response = await fetch(portal.baseUrl + path);
      expect([path, response.status, await response.text()]).toEqual([path, 200, INDEX]);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('keeps JSON 404s for unknown /api/ paths and for other methods', async () => {
    const api = await fetch(`${portal.baseUrl}/api/no-such-thing`);
    expect([api.status, ((await api.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const post = await fetch(`${portal.baseUrl}/login`, { method: 'POST' });
    expect([post.status, ((await post.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
  });

  it('registers nothing when the folder has no index.html', async () => {
    const app = Fastify();
    expect(await registerWebApp(app, join(root, 'missing'))).toBe(false);
    expect(app.hasReplyDecorator('sendFile')).toBe(false);
    await app.close();
  });
});
