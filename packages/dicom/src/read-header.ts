import type { DicomFile } from './data-set.js';
import { NeedMoreBytes } from './read-context.js';
import { type ReadOptions, readPrefix } from './read-dicom.js';

/** Extra bytes asked beyond the known need, so the next element headers come along. */
const SLACK = 64 * 1024;
const NO_OPTIONS: Omit<ReadOptions, 'headerOnly'> = {};
const HEADER_ONLY: ReadOptions = { headerOnly: true };

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
  options: Omit<ReadOptions, 'headerOnly'> = NO_OPTIONS,
): { file: DicomFile } | { needBytes: number } {
  try {
    // Only here is the real file size known (readDicom cannot tell a prefix from a whole file): the
    // file records it, and the writer then references the unread tail [stoppedAt.headerOffset,
    // fileSize) without being told (not for a deflated file, whose source is the inflated buffer).
    return {
      file: readPrefix(prefix, fileSize, options === NO_OPTIONS ? HEADER_ONLY : { ...options, headerOnly: true }, true),
    };
  } catch (e) {
    if (e instanceof NeedMoreBytes && prefix.length < fileSize) {
      return { needBytes: Math.min(fileSize, Math.max(e.needEnd + SLACK, prefix.length * 2)) };
    }
    throw e;
  }
}
