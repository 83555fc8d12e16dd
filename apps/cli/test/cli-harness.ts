import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, DEFAULT_CONFIG, type DemoSeed, type PortalApp, seedDemoIfEmpty } from '@courier/server';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

/** What a `courier` child process did. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `courier …` as a child process (tsx over the TypeScript source), stdin closed (not a
 * terminal, so nothing is asked), with the given extra environment.
 *
 * @example
 * const run = await courier(['scan', dir, '--json'], { COURIER_CONFIG: path });
 */
export function courier(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd: string = ROOT,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSX, ['--conditions=source', MAIN, ...args], {
      cwd,
      env: { ...process.env, COURIER_TOKEN: '', COURIER_PORTAL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** The real Portal on a loopback port with the demo study (users admin, uploader, monitor). */
export interface DemoPortal extends PortalApp {
  baseUrl: string;
  seed: DemoSeed;
  password(username: string): string;
  stop(): Promise<void>;
}

/**
 * Starts buildApp over a fresh SQLite file in a temp folder and seeds the demo study, as the
 * browser tests do (test/e2e/portal.ts).
 *
 * @example
 * const portal = await startDemoPortal();
 */
export async function startDemoPortal(): Promise<DemoPortal> {
  const dataDir = await mkdtemp(join(tmpdir(), 'courier-cli-test-'));
  const portal = await buildApp({
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    databaseUrl: undefined,
    logLevel: 'silent',
    demo: false,
  });
  const seed = await seedDemoIfEmpty(portal.context);
  if (seed === null) throw new Error('demo seed did not run on a fresh database');
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = portal.app.server.address() as AddressInfo;
  return {
    ...portal,
    baseUrl: `http://127.0.0.1:${port}`,
    seed,
    password(username) {
      const credential = seed.credentials.find((c) => c.username === username);
      if (credential === undefined) throw new Error(`no demo user ${username}`);
      return credential.password;
    },
    async stop() {
      await portal.app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
