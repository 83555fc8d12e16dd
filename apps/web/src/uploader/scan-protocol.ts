import type { PortableScanResult, ScanProgress } from '@courier/uploader';

/**
 * Page → scan worker: the dropped Files (handles; their bytes stay on disk) with their paths, in
 * chunks, then `start`. Posting a File costs the page a synchronous metadata lookup in Chromium, so
 * the page posts a chunk, yields, and posts the next one instead of freezing for seconds.
 */
export type ScanWorkerRequest = { type: 'files'; files: { file: File; path: string }[] } | { type: 'start' };

/** Files per message from the page to the scan worker. */
export const FILES_PER_MESSAGE = 200;

/**
 * Scan worker → page. The result is structured-cloned once, at the end, in its portable form
 * (plain records, no study tree): compact records keep their shared fields on a prototype, which
 * structured clone drops. The page rebuilds it with `restoreScanResult`.
 */
export type ScanWorkerReply =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; result: PortableScanResult }
  | { type: 'failed'; message: string };
