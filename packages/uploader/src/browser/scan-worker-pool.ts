import type { FileSource } from '../file-source.js';
import { type FileScanOutcome, type ScanFileLimits, scanFile } from '../scan-file.js';
import { blobFileSource } from './file-source.js';

/**
 * The part of a Web Worker (or a MessagePort, or a worker's global scope) the pool uses. Messages
 * are structured-cloned: a Blob crosses as a handle, an outcome as plain data.
 *
 * @example
 * const worker: MessageTarget = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module' });
 */
export interface MessageTarget {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/** Main thread → worker: scan this Blob. */
interface ScanRequest {
  readonly id: number;
  readonly file: Blob;
  readonly path: string;
  readonly limits: ScanFileLimits;
}

/** Worker → main thread: the outcome, or the error that prevented one. */
interface ScanResponse {
  readonly id: number;
  readonly outcome?: FileScanOutcome;
  readonly error?: string;
}

/**
 * The worker side: answers scan requests with `scanFile`. Call it once in the worker's entry file
 * with the worker's global scope.
 *
 * @example
 * // scan-worker.ts, bundled as a module worker by apps/web
 * serveScanRequests(self);
 */
export function serveScanRequests(scope: MessageTarget): void {
  scope.addEventListener('message', (event) => {
    const request = event.data as ScanRequest;
    scanFile(blobFileSource(request.file, request.path), request.limits).then(
      (outcome) => scope.postMessage({ id: request.id, outcome } satisfies ScanResponse),
      (e: unknown) =>
        scope.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies ScanResponse),
    );
  });
}

/**
 * The main-thread side: a `scanFile` executor for `scanFiles` that sends each Blob-backed source to
 * the least busy worker and scans other sources (zip members) in this thread. Header parsing, the
 * CPU part of a scan, then runs off the main thread and the page stays responsive.
 *
 * @example
 * const workers = [0, 1, 2, 3].map(() => new Worker(workerUrl, { type: 'module' }));
 * await scanFiles(sources, { concurrency: 8, scanFile: workerPoolScanFile(workers) });
 */
export function workerPoolScanFile(
  workers: readonly MessageTarget[],
): (source: FileSource, limits: ScanFileLimits) => Promise<FileScanOutcome> {
  const pending = new Map<
    number,
    { resolve: (o: FileScanOutcome) => void; reject: (e: Error) => void; worker: number }
  >();
  const busy = workers.map(() => 0);
  let nextId = 1;
  workers.forEach((worker) => {
    worker.addEventListener('message', (event) => {
      const response = event.data as ScanResponse;
      const entry = pending.get(response.id);
      if (entry === undefined) return;
      pending.delete(response.id);
      busy[entry.worker]!--;
      if (response.outcome !== undefined) entry.resolve(response.outcome);
      else entry.reject(new Error(response.error ?? 'the worker sent no outcome'));
    });
  });
  return (source, limits) => {
    const blob = (source as Partial<{ blob: Blob }>).blob;
    if (workers.length === 0 || !(blob instanceof Blob)) return scanFile(source, limits);
    let index = 0;
    for (let i = 1; i < busy.length; i++) if (busy[i]! < busy[index]!) index = i;
    const id = nextId++;
    busy[index]!++;
    return new Promise<FileScanOutcome>((resolve, reject) => {
      pending.set(id, { resolve, reject, worker: index });
      workers[index]!.postMessage({ id, file: blob, path: source.path, limits } satisfies ScanRequest);
    });
  };
}
