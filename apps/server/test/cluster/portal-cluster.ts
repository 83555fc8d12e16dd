import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const ENTRY = join(ROOT, 'apps/server/test/cluster/portal-process.ts');

/** A Portal instance running as a child process. */
export interface PortalProcess {
  baseUrl: string;
  pid: number;
  /** Everything it wrote to stderr (for a failing test's message). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `apps/server/test/cluster/portal-process.ts` as its own Node process (tsx loader, the
 * "source" condition) with the given environment, and resolves once it reports its port.
 *
 * @example
 * const a = await startPortalProcess({ COURIER_STAGING_DIR: shared, DATABASE_URL: url });
 */
export function startPortalProcess(env: Record<string, string>): Promise<PortalProcess> {
  // COURIER_PORTAL_NODE_ARGS adds Node options for profiling, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.COURIER_PORTAL_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child: ChildProcess = spawn(process.execPath, [...extra, '--conditions=source', '--import', 'tsx', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', COURIER_DEMO: '0', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // A test worker that dies without afterAll must not leave Portals running.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };
  return new Promise((resolvePort, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`the Portal process reported no port within 60 s: ${stderr}`)));
    }, 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /PORTAL_PORT=(\d+)/.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      resolvePort({
        baseUrl: `http://127.0.0.1:${match[1]}`,
        pid: child.pid as number,
        stderr: () => stderr,
        stop,
      });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the Portal process exited with ${child.exitCode}: ${stderr}`));
    });
  });
}
