import { restoreScanResult, type ScanProgress, type ScanResult } from '@courier/uploader';
import { FILES_PER_MESSAGE, type ScanWorkerReply, type ScanWorkerRequest } from './scan-protocol.js';

/** A dropped or picked file with its path inside the dropped folder. */
export interface DroppedFile {
  file: File;
  path: string;
}

/**
 * Scans dropped files with @courier/uploader's scanFiles inside a module Web Worker
 * (scan-worker.ts): only prefixes of each file are read (Blob slices), never whole images, and the
 * page's thread neither reads nor parses anything. Cancelling the signal ends the worker.
 *
 * @example
 * const result = await runScan(files, (p) => dispatch({ type: 'progress', progress: p }), controller.signal);
 */
export function runScan(
  files: readonly DroppedFile[],
  onProgress: (progress: ScanProgress) => void,
  signal: AbortSignal,
): Promise<ScanResult> {
  const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module', name: 'courier-scan' });
  return new Promise<ScanResult>((resolve, reject) => {
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new Error('cancelled'));
    };
    signal.addEventListener('abort', onAbort);
    worker.addEventListener('message', (event: MessageEvent<ScanWorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') onProgress(reply.progress);
      else if (reply.type === 'done') {
        finish();
        resolve(restoreScanResult(reply.result));
      } else {
        finish();
        reject(new Error(reply.message));
      }
    });
    worker.addEventListener('error', (event) => {
      finish();
      reject(new Error(event.message || 'the scan worker failed'));
    });
    void (async () => {
      for (let start = 0; start < files.length; start += FILES_PER_MESSAGE) {
        if (signal.aborted) return;
        const chunk = files.slice(start, start + FILES_PER_MESSAGE).map((f) => ({ file: f.file, path: f.path }));
        worker.postMessage({ type: 'files', files: chunk } satisfies ScanWorkerRequest);
        // Yield to the event loop between chunks so input and rendering go on.
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      worker.postMessage({ type: 'start' } satisfies ScanWorkerRequest);
    })();
  });
}
