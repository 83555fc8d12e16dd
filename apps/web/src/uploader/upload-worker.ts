// The upload runs in this Web Worker: de-identification (header parsing and rewriting, UID
// remapping), SHA-256 of every instance, STOW-RS bodies and the requests. With 2,000 files on the
// page's thread those were long tasks that froze input and rendering; here the page only renders
// the progress it is sent. fetch from a dedicated worker of the same origin sends the Portal's
// session cookie like the page does; the CSRF token comes from the page with `start`/`logged-in`.
import { PortalClient, RecordInterner, runUpload, type UploadItem, UploadLog } from '@courier/uploader';
import { retriableFetch } from './retriable-fetch.js';
import { itemsOfRecords } from './upload-items.js';
import {
  PROGRESS_INTERVAL_MS,
  throttleProgress,
  type UploadWorkerReply,
  type UploadWorkerRequest,
} from './upload-protocol.js';

const scope = self as unknown as {
  location: { origin: string };
  postMessage(message: UploadWorkerReply): void;
  addEventListener(type: 'message', listener: (event: { data: UploadWorkerRequest }) => void): void;
};

const files = new Map<string, File>();
// One log across runs: "Retry" and the login pause append to what the first run wrote.
const log = new UploadLog();
let items: UploadItem[] | null = null;
let csrfToken: string | undefined;
let loggedIn: (() => void) | null = null;

scope.addEventListener('message', async (event) => {
  const request = event.data;
  if (request.type === 'files') {
    for (const { path, file } of request.files) files.set(path, file);
    return;
  }
  if (request.type === 'logged-in') {
    csrfToken = request.csrfToken;
    loggedIn?.();
    loggedIn = null;
    return;
  }
  csrfToken = request.csrfToken;
  const events = throttleProgress(
    (e) => scope.postMessage({ type: 'event', event: e }),
    PROGRESS_INTERVAL_MS,
    () => performance.now(),
  );
  try {
    if (items === null) {
      // Plain copies arrived (structured clone); compact again, as the scan keeps them.
      const interner = new RecordInterner();
      items = (
        await itemsOfRecords(
          request.records.map((r) => interner.record(r)),
          files,
        )
      ).items;
    }
    const client = new PortalClient({
      baseUrl: scope.location.origin,
      fetch: retriableFetch,
      auth: { kind: 'session', csrfToken: () => csrfToken },
    });
    const outcome = await runUpload({
      client,
      uploadId: request.uploadId,
      items,
      overwrite: request.overwrite,
      body: 'blob',
      log,
      onEvent: events.push,
      onLoginRequired: () =>
        new Promise<void>((resolve) => {
          events.flush();
          loggedIn = resolve;
        }),
    });
    events.flush();
    const { log: _log, ...posted } = outcome;
    scope.postMessage({ type: 'finished', outcome: posted, log: log.toJsonLines() });
  } catch (error) {
    events.flush();
    scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
