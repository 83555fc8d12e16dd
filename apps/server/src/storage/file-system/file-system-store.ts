import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertInstanceKey, type DicomStore, type InstanceKey, type StoredInstance } from '../dicom-store.js';

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

/** Writes a small file atomically: temp file, fsync, rename. */
async function writeAtomically(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
}

/**
 * The embedded DICOM store: `<root>/<study>/<series>/<sop>.dcm`, each with a `<sop>.json`
 * sidecar recording size and SHA-256. Files are written to a temp name, fsynced and renamed, so a
 * crash or a failing source never leaves half an instance under the final name; a missing sidecar
 * (crash between the two renames) is rebuilt from the bytes.
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
    await writeAtomically(sidecarPath(key), async (handle) => {
      await handle.writeFile(JSON.stringify(sidecar));
    });
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

    async stat(key) {
      assertInstanceKey(key);
      if (!(await exists(dataPath(key)))) return null;
      try {
        const sidecar = JSON.parse(await readFile(sidecarPath(key), 'utf8')) as Sidecar;
        return { ...key, size: sidecar.size, sha256: sidecar.sha256 };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        const sidecar = await hashFile(dataPath(key));
        await writeSidecar(key, sidecar);
        return { ...key, ...sidecar };
      }
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
      assertInstanceKey({ studyInstanceUid, seriesInstanceUid: '1.1', sopInstanceUid: '1.1' });
      const studyFolder = join(root, studyInstanceUid);
      if (!(await exists(studyFolder))) return [];
      const result: StoredInstance[] = [];
      for (const series of (await readdir(studyFolder)).sort()) {
        const files = (await readdir(join(studyFolder, series))).filter((name) => name.endsWith('.dcm')).sort();
        for (const file of files) {
          const found = await store.stat({
            studyInstanceUid,
            seriesInstanceUid: series,
            sopInstanceUid: file.slice(0, -'.dcm'.length),
          });
          if (found !== null) result.push(found);
        }
      }
      return result;
    },
  };
  return store;
}
