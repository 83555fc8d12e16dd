/**
 * The scanner's and uploader's only view of a file: a name, a size and random access to byte
 * ranges. Environment-neutral; implementations: `blobFileSource` (browser File/Blob,
 * browser/file-source.ts), `nodeFileSource` (Node fs, node/file-source.ts) and zip members
 * (zip-source.ts).
 *
 * @example
 * const prefix = await source.read(0, Math.min(source.size, 64 * 1024));
 */
export interface FileSource {
  /** A path for display and logs, relative to what the user dropped ("CT/IM0001"; "a.zip/CT/IM0001"). */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes from `offset` (clamped to the end of the file). The returned array is the
   * caller's: implementations never reuse it.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}
