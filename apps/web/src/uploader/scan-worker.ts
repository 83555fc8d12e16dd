// The scan runs entirely in this Web Worker: reading each File's size and prefix, parsing headers
// and grouping into studies. In Chromium, touching File.size of a user-picked file is a synchronous
// metadata lookup; done 10,000 times on the page's thread it froze the page for 6–12 s (measured
// with 10,000 files), so the page never touches the Files — it only posts their handles here.
import { blobFileSource, portableScanResult, type ScanProgress, type ScanResult, scanFiles } from '@courier/uploader';
import type { ScanWorkerReply, ScanWorkerRequest } from './scan-protocol.js';

/** Progress messages at most this often. */
const PROGRESS_INTERVAL_MS = 100;

const scope = self as unknown as {
  postMessage(message: ScanWorkerReply): void;
  addEventListener(type: 'message', listener: (event: { data: ScanWorkerRequest }) => void): void;
};

const files: { file: File; path: string }[] = [];

scope.addEventListener('message', async (event) => {
  const request = event.data;
  if (request.type === 'files') {
    for (const file of request.files) files.push(file);
    return;
  }
  let last = 0;
  const onProgress = (progress: ScanProgress) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    scope.postMessage({ type: 'progress', progress });
  };
  try {
    const result: ScanResult = await scanFiles(
      files.map((f) => blobFileSource(f.file, f.path)),
      { concurrency: 8, onProgress },
    );
    scope.postMessage({ type: 'done', result: portableScanResult(result) });
  } catch (error) {
    scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
