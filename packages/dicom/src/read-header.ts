import type { DicomFile } from './data-set.js';
import { NeedMoreBytes } from './read-context.js';
import { type ReadOptions, readPrefix } from './read-dicom.js';

/** Extra bytes asked beyond the known need, so the next element headers come along. */
const SLACK = 64 * 1024;

/**
 * Header-only read from the first bytes of a file: stops before Pixel Data. When the prefix ends
 * inside the header (an RTSTRUCT can hold 50 MB of contours) it asks for a longer prefix instead:
 * call again with at least `needBytes` bytes (never more than `fileSize`). A file that is really
 * truncated is reported only when the whole file was given (DicomError DICOM_TRUNCATED).
 *
 * @example
 * let prefix = await readBytes(file, 0, Math.min(file.size, 64 * 1024));
 * for (;;) {
 *   const r = readHeader(prefix, file.size);
 *   if ('file' in r) return r.file;
 *   prefix = await readBytes(file, 0, r.needBytes);
 * }
 */
export function readHeader(
  prefix: Uint8Array,
  fileSize: number,
  options: Omit<ReadOptions, 'headerOnly'> = {},
): { file: DicomFile } | { needBytes: number } {
  try {
    const file = readPrefix(prefix, fileSize, { ...options, headerOnly: true });
    // Only here is the real file size known (readDicom cannot tell a prefix from a whole file): the
    // writer then references the unread tail [stoppedAt.headerOffset, fileSize) without being told.
    // A deflated file's source is the inflated buffer, whose size is not the file's.
    return { file: file.sourceIsFile ? { ...file, fileSize } : file };
  } catch (e) {
    if (e instanceof NeedMoreBytes && prefix.length < fileSize) {
      return { needBytes: Math.min(fileSize, Math.max(e.needEnd + SLACK, prefix.length * 2)) };
    }
    throw e;
  }
}
