import type { InstanceRecord, UploadEvent, UploadOutcome } from '@courier/uploader';

/**
 * Page → upload worker (upload-worker.ts). The dropped Files go over as handles, in chunks (see
 * scan-protocol.ts for why), then `start` with the records to upload; `start` again is "Retry"
 * (the engine resumes from the session's status). `logged-in` answers a `login-required`.
 */
export type UploadWorkerRequest =
  | { readonly type: 'files'; readonly files: readonly { readonly path: string; readonly file: File }[] }
  | {
      readonly type: 'start';
      readonly records: readonly InstanceRecord[];
      readonly uploadId: string;
      readonly overwrite: boolean;
      readonly csrfToken: string | undefined;
    }
  | { readonly type: 'logged-in'; readonly csrfToken: string | undefined };

/** The outcome as it crosses to the page: the log goes as JSON Lines text (an UploadLog is a class). */
export type PostedOutcome = Omit<UploadOutcome, 'log'>;

/** Upload worker → page: the engine's events (progress throttled), then how the run ended. */
export type UploadWorkerReply =
  | { readonly type: 'event'; readonly event: UploadEvent }
  | { readonly type: 'finished'; readonly outcome: PostedOutcome; readonly log: string }
  | { readonly type: 'failed'; readonly message: string };

/** Progress messages at most this often (the bar cannot show more; the page re-renders per message). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Forwards the engine's events, dropping progress events that come sooner than `intervalMs` after
 * the last one sent — but a dropped progress is sent before the next other event, and `flush`
 * sends the last one, so the page always ends on the true counts and sees events in order.
 *
 * @example
 * const events = throttleProgress((e) => postMessage({ type: 'event', event: e }), 100, () => performance.now());
 * runUpload({ …, onEvent: events.push }); events.flush();
 */
export function throttleProgress(
  send: (event: UploadEvent) => void,
  intervalMs: number,
  now: () => number,
): { push(event: UploadEvent): void; flush(): void } {
  let last = Number.NEGATIVE_INFINITY;
  let pending: UploadEvent | null = null;
  const flush = () => {
    if (pending === null) return;
    const event = pending;
    pending = null;
    last = now();
    send(event);
  };
  return {
    push(event) {
      if (event.type !== 'progress') {
        flush();
        send(event);
        return;
      }
      // A newer progress of another step: the previous step's last count must not be lost.
      if (pending !== null && pending.type === 'progress' && pending.step !== event.step) flush();
      pending = event;
      if (now() - last >= intervalMs) flush();
    },
    flush,
  };
}
