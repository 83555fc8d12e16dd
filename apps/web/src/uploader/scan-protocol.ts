import type { ScanProgress, ScanResult } from '@courier/uploader';

/**
 * Page → scan worker: the dropped Files (handles; their bytes stay on disk) with their paths, in
 * chunks, then `start`. Posting a File costs the page a synchronous metadata lookup in Chromium, so
 * the page posts a chunk, yields, and posts the next one instead of freezing for seconds.
 */
export type ScanWorkerRequest = { type: 'files'; files: { file: File; path: string }[] } | { type: 'start' };

/** Files per message from the page to the scan worker. */
export const FILES_PER_MESSAGE = 200;

/** Scan worker → page. The result is structured-cloned once, at the end. */
export type ScanWorkerReply =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; result: ScanResult }
  | { type: 'failed'; message: string };
