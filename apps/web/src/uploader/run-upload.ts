import { type InstanceRecord, plainRecord, type UploadEvent } from '@courier/uploader';
import type { PostedOutcome, UploadWorkerReply, UploadWorkerRequest } from './upload-protocol.js';

/**
 * Files per message to the upload worker. Posting a File costs the page a synchronous metadata
 * lookup in Chromium; 200 at once (the scan's chunk) still made ~0.3 s tasks with 2,000 files.
 */
export const UPLOAD_FILES_PER_MESSAGE = 50;

/** What the page hears from an upload running in the worker. */
export interface UploadListener {
  onEvent(event: UploadEvent): void;
  onFinished(outcome: PostedOutcome, log: string): void;
  onFailed(message: string): void;
}

/**
 * The page's handle on one upload running in a module Web Worker (upload-worker.ts): posts the
 * dropped Files in chunks (yielding between them), then starts runs — the first, and each
 * "Retry" — and answers the login pause. The page's thread never reads, hashes or de-identifies a
 * file; it only renders what `listener` is told.
 *
 * @example
 * const upload = new UploadWorker(listener);
 * await upload.sendFiles(needed);
 * upload.start({ records, uploadId, overwrite: false, csrfToken });
 */
export class UploadWorker {
  readonly #worker: Worker;

  constructor(listener: UploadListener) {
    this.#worker = new Worker(new URL('./upload-worker.ts', import.meta.url), {
      type: 'module',
      name: 'courier-upload',
    });
    this.#worker.addEventListener('message', (event: MessageEvent<UploadWorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'event') listener.onEvent(reply.event);
      else if (reply.type === 'finished') listener.onFinished(reply.outcome, reply.log);
      else listener.onFailed(reply.message);
    });
    this.#worker.addEventListener('error', (event) => listener.onFailed(event.message || 'the upload worker failed'));
  }

  /** Posts the File handles, UPLOAD_FILES_PER_MESSAGE at a time, yielding to the page between chunks. */
  async sendFiles(files: ReadonlyMap<string, File>): Promise<void> {
    const all = [...files].map(([path, file]) => ({ path, file }));
    for (let start = 0; start < all.length; start += UPLOAD_FILES_PER_MESSAGE) {
      this.#post({ type: 'files', files: all.slice(start, start + UPLOAD_FILES_PER_MESSAGE) });
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }

  /**
   * Starts a run (the first or a "Retry"). The records go as plain copies: a scanned record keeps
   * the fields its series shares on its prototype, which structured clone would drop.
   */
  start(run: { records: readonly InstanceRecord[]; uploadId: string; overwrite: boolean; csrfToken?: string }): void {
    this.#post({ type: 'start', ...run, records: run.records.map(plainRecord), csrfToken: run.csrfToken });
  }

  /** The user logged in again: the paused run goes on with this CSRF token. */
  loggedIn(csrfToken: string | undefined): void {
    this.#post({ type: 'logged-in', csrfToken });
  }

  /** Ends the worker (the window closes or the panel goes away). */
  terminate(): void {
    this.#worker.terminate();
  }

  #post(message: UploadWorkerRequest): void {
    this.#worker.postMessage(message);
  }
}
