import type { FileSource } from '../file-source.js';

/**
 * A FileSource that keeps its Blob, so a worker pool can post the Blob (cheap: a handle, not the
 * bytes) to a Web Worker.
 *
 * @example
 * const source: BlobFileSource = blobFileSource(file, file.name); source.blob === file; // true
 */
export interface BlobFileSource extends FileSource {
  readonly blob: Blob;
}

/**
 * A FileSource over a browser `File` or `Blob` (also works in Node >= 20, which has Blob).
 * Reading slices the Blob, so only the asked range enters JavaScript memory.
 *
 * @example
 * const sources = [...input.files].map((f) => blobFileSource(f, f.webkitRelativePath || f.name));
 */
export function blobFileSource(blob: Blob, path: string): BlobFileSource {
  return {
    blob,
    path,
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, blob.size));
      const end = Math.max(start, Math.min(offset + length, blob.size));
      return new Uint8Array(await blob.slice(start, end).arrayBuffer());
    },
  };
}
