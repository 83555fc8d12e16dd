import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FileSource } from '../file-source.js';

/**
 * A FileSource over a file on disk. Each read opens, reads and closes the file, so thousands of
 * sources hold no file descriptors between reads.
 *
 * @example
 * const source = await nodeFileSource('/data/CT/IM0001');
 */
export async function nodeFileSource(path: string, displayPath: string = path): Promise<FileSource> {
  const { size } = await stat(path);
  return fileSourceOf(path, displayPath, size);
}

/**
 * Every regular file under `root`, recursively, as FileSources with paths relative to `root`
 * (forward slashes), sorted. Symbolic links are not followed.
 *
 * @example
 * const sources = await listFileSources('/media/cdrom');
 * const result = await scanFiles(sources);
 */
export async function listFileSources(root: string): Promise<FileSource[]> {
  const info = await stat(root);
  if (info.isFile()) return [fileSourceOf(root, root.split(sep).at(-1) ?? root, info.size)];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const out: FileSource[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const { size } = await stat(full);
    out.push(fileSourceOf(full, relative(root, full).split(sep).join('/'), size));
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function fileSourceOf(fullPath: string, path: string, size: number): FileSource {
  return {
    path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const want = Math.max(0, Math.min(length, size - start));
      const buffer = new Uint8Array(want);
      const handle = await open(fullPath, 'r');
      try {
        let done = 0;
        while (done < want) {
          const { bytesRead } = await handle.read(buffer, done, want - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === want ? buffer : buffer.subarray(0, done);
      } finally {
        await handle.close();
      }
    },
  };
}
