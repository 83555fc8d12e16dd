import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '../../src/config.js';
import { basicAuth } from '../../src/storage/dicomweb/pacs-http.js';

/** Debian's Orthanc binary (package orthanc) and DICOMweb plugin (package orthanc-dicomweb). */
const ORTHANC_BINARY = '/usr/sbin/Orthanc';
const DICOMWEB_PLUGINS = ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so', '/usr/lib/orthanc/libOrthancDicomWeb.so'];

/** A running throw-away Orthanc: loopback ports, authentication on, data in a temp dir. */
export interface OrthancProcess {
  /** REST root, e.g. http://127.0.0.1:41234 */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:41234/dicom-web */
  dicomweb: string;
  user: string;
  password: string;
  /** The Authorization header value for the registered user. */
  authorization: string;
  pid: number;
  dir: string;
  /** Stops Orthanc by its PID (SIGTERM, then SIGKILL after 5 s) and removes its temp dir. */
  stop(): Promise<void>;
}

/**
 * The Portal's store configuration for this Orthanc (what `COURIER_STORE=dicomweb` with
 * `COURIER_PACS_KIND=orthanc` builds): STOW-RS batches of `batchInstances`, two requests in flight.
 *
 * @example
 * const portal = await startPortalOn(undefined, { store: orthancStore(orthanc, 4) });
 */
export function orthancStore(orthanc: OrthancProcess, batchInstances: number): StoreConfig {
  return {
    kind: 'dicomweb',
    url: orthanc.dicomweb,
    username: orthanc.user,
    password: orthanc.password,
    pacsKind: 'orthanc',
    orthancUrl: orthanc.url,
    batchInstances,
    concurrency: 2,
  };
}

/**
 * Why Orthanc cannot run here, or null when it can. With COURIER_REQUIRE_SYSTEM_FIXTURES=1 (CI)
 * a missing Orthanc is an error instead of a reason to skip.
 *
 * @example
 * const missing = orthancMissing(); describe.skipIf(missing !== null)(…)
 */
export function orthancMissing(): string | null {
  const plugin = DICOMWEB_PLUGINS.find((path) => existsSync(path));
  const reason = !existsSync(ORTHANC_BINARY)
    ? `${ORTHANC_BINARY} is missing: apt-get install orthanc orthanc-dicomweb`
    : plugin === undefined
      ? 'the Orthanc DICOMweb plugin is missing: apt-get install orthanc-dicomweb'
      : null;
  if (reason !== null && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error(`${reason} (COURIER_REQUIRE_SYSTEM_FIXTURES=1)`);
  }
  if (reason !== null) console.warn(`skipping the Orthanc suites: ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts Orthanc with a generated configuration (never the system service): HTTP on a free
 * loopback port with RemoteAccessAllowed false (Orthanc 1.10 has no bind-address option and listens
 * on all interfaces, but refuses every client that is not 127.0.0.1), authentication on with one
 * random-password user, the DICOM (C-STORE) server off, storage and index in a temp dir, the
 * DICOMweb plugin loaded, the storage cache off, OverwriteInstances on (DicomStore.put replaces) and the user metadata the
 * Orthanc checksum provider records. Resolves once /system answers with the credentials.
 *
 * @example
 * const orthanc = await startOrthanc(); // { overwriteInstances: false } for Orthanc's default
 * try { … } finally { await orthanc.stop(); }
 */
export async function startOrthanc(options: { overwriteInstances?: boolean } = {}): Promise<OrthancProcess> {
  const plugin = DICOMWEB_PLUGINS.find((path) => existsSync(path));
  if (plugin === undefined) throw new Error('the Orthanc DICOMweb plugin is missing');
  const dir = mkdtempSync(join(tmpdir(), 'courier-orthanc-'));
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const user = 'courier';
  const password = randomBytes(18).toString('base64url');
  const config = {
    Name: 'courier-test',
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [user]: password },
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    StorageCompression: false,
    // Orthanc 1.10 caches stored files in memory (128 MB by default): without this, verify would
    // hash the cached copy instead of re-reading the storage area.
    MaximumStorageCacheSize: 0,
    OverwriteInstances: options.overwriteInstances ?? true,
    UserMetadata: { CourierSha256: 1024 },
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
    HttpCompressionEnabled: false,
    ConcurrentJobs: 1,
  };
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  const child = spawn(ORTHANC_BINARY, [`--logfile=${join(dir, 'orthanc.log')}`, configPath], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('Orthanc did not start');
  const pid = child.pid;
  const url = `http://127.0.0.1:${httpPort}`;
  const authorization = basicAuth(user, password);
  // Every caller of stop() waits for the same stop: a second caller returning early would let the
  // test file end (and its worker exit) before the temp dir is removed.
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 5000);
        await exited(child);
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      process.off('exit', killOnExit);
    })();
    return stopping;
  };
  // A worker that exits without running afterAll (a crash, a timeout) still leaves nothing behind.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Orthanc exited with ${child.exitCode} before answering`);
    }
    try {
      const response = await fetch(`${url}/system`, { headers: { authorization } });
      if (response.ok) break;
      await response.body?.cancel();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('Orthanc did not answer /system within 20 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, dicomweb: `${url}/dicom-web`, user, password, authorization, pid, dir, stop };
}
