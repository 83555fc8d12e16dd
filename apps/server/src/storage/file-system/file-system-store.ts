import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertInstanceKey,
  type DicomStore,
  type InstanceKey,
  type PutResult,
  type StagedInstance,
  type StoredInstance,
} from '../dicom-store.js';
import { mapLimit } from '../map-limit.js';

/** Staged files taken at once by putMany: enough to overlap the fsyncs, which the kernel batches. */
const PUT_MANY_CONCURRENCY = 16;

interface Sidecar {
  size: number;
  sha256: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Writes a file atomically: temp file, (fsync,) rename. */
async function writeAtomically(
  path: string,
  write: (handle: FileHandle) => Promise<void>,
  durable = true,
): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await write(handle);
    if (durable) await handle.datasync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
}

/** Flushes a directory's entries (the renames into it) to disk; not every platform can open one. */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; its renames are journaled by NTFS.
  } finally {
    await handle?.close();
  }
}

/**
 * The embedded DICOM store: `<root>/<study>/<series>/<sop>.dcm`, each with a `<sop>.json`
 * sidecar recording size and SHA-256. Files are written to a temp name, fsynced and renamed, so a
 * crash or a failing source never leaves half an instance under the final name. The sidecar is a
 * cache written without fsync: a missing or torn one (crash right after a put) is rebuilt from the
 * bytes.
 *
 * `putMany` takes staged files by hard link when staging and store share a file system (no byte
 * is copied; the staging stays intact, so a failed commit can be retried) and proves each by
 * checking the stored entry is the staged file itself (same device and inode) with the staged
 * size — the bytes hashed on receipt. Across file systems it copies, hashing the bytes read
 * against the staged SHA-256, and then re-reads the copy to hash it once more.
 *
 * @example
 * const store = fileSystemStore(join(config.dataDir, 'dicom'));
 * await store.put(key, createReadStream(staged));
 */
export function fileSystemStore(root: string): DicomStore {
  const folder = (key: InstanceKey) => join(root, key.studyInstanceUid, key.seriesInstanceUid);
  const dataPath = (key: InstanceKey) => join(folder(key), `${key.sopInstanceUid}.dcm`);
  const sidecarPath = (key: InstanceKey) => join(folder(key), `${key.sopInstanceUid}.json`);

  async function hashFile(path: string): Promise<Sidecar> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async function writeSidecar(key: InstanceKey, sidecar: Sidecar): Promise<void> {
    await writeAtomically(
      sidecarPath(key),
      async (handle) => {
        await handle.writeFile(JSON.stringify(sidecar));
      },
      false,
    );
  }

  async function readSidecar(key: InstanceKey): Promise<Sidecar | null> {
    try {
      const value = JSON.parse(await readFile(sidecarPath(key), 'utf8')) as Partial<Sidecar>;
      if (typeof value.size === 'number' && typeof value.sha256 === 'string' && /^[0-9a-f]{64}$/.test(value.sha256)) {
        return { size: value.size, sha256: value.sha256 };
      }
      return null; // torn by a crash: rebuilt below
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  /** Copies a staged file into `temp`, hashing what is read; then re-reads the copy. */
  async function copyProven(item: StagedInstance, temp: string): Promise<string | null> {
    const handle = await open(temp, 'wx');
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(item.path) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        await handle.write(chunk);
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
    const read = { size, sha256: hash.digest('hex') };
    if (read.size !== item.size || read.sha256 !== item.sha256) {
      return `the staged file holds ${read.size} bytes sha256 ${read.sha256}, not what was received`;
    }
    const copied = await hashFile(temp);
    if (copied.size !== item.size || copied.sha256 !== item.sha256) {
      return `the copy holds ${copied.size} bytes sha256 ${copied.sha256}`;
    }
    return null;
  }

  /** Takes one staged file into the store: link (or copy), prove, rename, record. */
  async function putStaged(item: StagedInstance, folders: Set<string>): Promise<PutResult> {
    const { key } = item;
    const final = dataPath(key);
    const temp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    const where = folder(key);
    if (!folders.has(where)) {
      await mkdir(where, { recursive: true });
      folders.add(where);
    }
    try {
      let linked = true;
      try {
        await link(item.path, temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { key, ok: false, reason: 'the staged file is missing' };
        // EXDEV: another file system; EPERM/ENOTSUP: one without hard links.
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
        linked = false;
      }
      if (linked) {
        const handle = await open(temp, 'r');
        try {
          const [stored, staged] = await Promise.all([handle.stat(), stat(item.path)]);
          if (stored.dev !== staged.dev || stored.ino !== staged.ino) {
            return { key, ok: false, reason: 'the stored entry is not the staged file' };
          }
          if (stored.size !== item.size) {
            return { key, ok: false, reason: `the staged file holds ${stored.size} bytes, ${item.size} were received` };
          }
          // Staged files are written without fsync: the store is where durability starts.
          await handle.datasync();
        } finally {
          await handle.close();
        }
      } else {
        const refused = await copyProven(item, temp);
        if (refused !== null) return { key, ok: false, reason: refused };
      }
      await rename(temp, final);
    } finally {
      await rm(temp, { force: true });
    }
    const sidecar = { size: item.size, sha256: item.sha256 };
    await writeSidecar(key, sidecar);
    return { key, ok: true, stored: { ...key, ...sidecar } };
  }

  const store: DicomStore = {
    kind: 'file-system',

    async put(key, source) {
      assertInstanceKey(key);
      await mkdir(folder(key), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      await writeAtomically(dataPath(key), async (handle) => {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          await handle.write(chunk);
        }
      });
      const sidecar = { size, sha256: hash.digest('hex') };
      await writeSidecar(key, sidecar);
      return { ...key, ...sidecar };
    },

    async putMany(items) {
      for (const item of items) assertInstanceKey(item.key);
      const folders = new Set<string>();
      const results = await mapLimit(items, PUT_MANY_CONCURRENCY, (item) => putStaged(item, folders));
      // The renames themselves become durable with their directories.
      await mapLimit([...folders], PUT_MANY_CONCURRENCY, syncDirectory);
      return results;
    },

    async stat(key) {
      assertInstanceKey(key);
      if (!(await exists(dataPath(key)))) return null;
      const recorded = await readSidecar(key);
      if (recorded !== null) return { ...key, ...recorded };
      const sidecar = await hashFile(dataPath(key));
      await writeSidecar(key, sidecar);
      return { ...key, ...sidecar };
    },

    async verify(key) {
      assertInstanceKey(key);
      if (!(await exists(dataPath(key)))) return null;
      return { ...key, ...(await hashFile(dataPath(key))) };
    },

    async read(key) {
      assertInstanceKey(key);
      if (!(await exists(dataPath(key)))) return null;
      return createReadStream(dataPath(key)) as AsyncIterable<Buffer>;
    },

    async listStudy(studyInstanceUid) {
      const result: StoredInstance[] = [];
      for (const key of await store.listKeys(studyInstanceUid)) {
        const found = await store.stat(key);
        if (found !== null) result.push(found);
      }
      return result;
    },

    async listKeys(studyInstanceUid) {
      assertInstanceKey({ studyInstanceUid, seriesInstanceUid: '1.1', sopInstanceUid: '1.1' });
      const studyFolder = join(root, studyInstanceUid);
      if (!(await exists(studyFolder))) return [];
      const keys: InstanceKey[] = [];
      for (const series of (await readdir(studyFolder)).sort()) {
        const files = (await readdir(join(studyFolder, series))).filter((name) => name.endsWith('.dcm')).sort();
        for (const file of files) {
          keys.push({ studyInstanceUid, seriesInstanceUid: series, sopInstanceUid: file.slice(0, -'.dcm'.length) });
        }
      }
      return keys;
    },
  };
  return store;
}
