import type { UploadEvent, UploadStep } from '@courier/uploader';
import {
  applyEvent,
  initialProgress,
  STEP_LABEL as LABEL,
  type ProgressState,
  renderProgressBars,
} from './progress-bars.js';

/**
 * Where `courier upload` reports: messages (`line`) and engine events (`on`).
 *
 * @example
 * const progress: ProgressOutput = createProgress(process.stderr, process.stderr.isTTY === true);
 */
export interface ProgressOutput {
  line(text: string): void;
  on(event: UploadEvent): void;
}

/**
 * The progress display for a stream: bars redrawn in place on a terminal ({@link TtyProgress}),
 * plain lines otherwise ({@link ProgressPrinter}) — a log file or a pipe gets no control codes.
 *
 * @example
 * const progress = createProgress(io.err, io.isTTY);
 */
export function createProgress(
  stream: NodeJS.WritableStream,
  tty: boolean,
  now: () => number = Date.now,
): ProgressOutput {
  return tty ? new TtyProgress(stream, now) : new ProgressPrinter(stream, false, now);
}

/** Shortest time between two redraws of the bars (a progress event per file would flood a slow terminal). */
export const REDRAW_INTERVAL_MS = 100;

/**
 * Terminal progress: one bar per step (Analysed, Uploaded, Verified: files, MB, MB/s, ETA), redrawn
 * in place at most every {@link REDRAW_INTERVAL_MS} (always on a step change); messages appear above
 * the bars. The bars are {@link renderProgressBars} of the state at the clock's time.
 *
 * @example
 * const progress = new TtyProgress(process.stderr);
 * await runUpload({ ...options, onEvent: (e) => progress.on(e) });
 */
export class TtyProgress implements ProgressOutput {
  readonly state: ProgressState = initialProgress();
  #drawn = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #visible = false;

  constructor(
    readonly stream: NodeJS.WritableStream,
    readonly now: () => number = Date.now,
  ) {}

  /** Terminal width (a line that wraps would break the cursor arithmetic); 80 when unknown. */
  get width(): number {
    const columns = (this.stream as { columns?: number }).columns;
    return Math.max(40, (columns ?? 80) - 1);
  }

  line(text: string): void {
    this.#erase();
    this.stream.write(`${text}\n`);
    if (this.#visible) this.#draw();
  }

  on(event: UploadEvent): void {
    const now = this.now();
    switch (event.type) {
      case 'step':
        applyEvent(this.state, event, now);
        if (event.step === 'evaluate') {
          this.line(`${LABEL.evaluate}: ${event.state}`);
          return;
        }
        this.#visible = true;
        this.#draw();
        return;
      case 'progress':
        applyEvent(this.state, event, now);
        this.#visible = true;
        if (now - this.#lastDraw >= REDRAW_INTERVAL_MS) this.#draw();
        return;
      case 'batch':
        return;
      case 'retry':
        this.line(`  batch ${event.batch}: retry ${event.attempt} in ${event.delayMs} ms (${event.reason})`);
        return;
      case 'resumed':
        this.line(`  resuming: ${event.alreadyStored} instance(s) already stored`);
        return;
      case 'login-required':
        this.line(`Login required: ${event.reason}`);
        // The login prompt writes to the terminal below the bars: draw them afresh after it.
        this.#drawn = 0;
        return;
      case 'error':
        this.line(errorLine(event));
        return;
    }
  }

  /** Moves the cursor to where the bars start and clears from there down. */
  #erase(): void {
    if (this.#drawn > 0) this.stream.write(`\x1b[${this.#drawn}A\r\x1b[J`);
    this.#drawn = 0;
  }

  #draw(): void {
    const now = this.now();
    const lines = renderProgressBars(this.state, now, this.width);
    this.#erase();
    this.stream.write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
    this.#lastDraw = now;
  }
}

const errorLine = (event: Extract<UploadEvent, { type: 'error' }>): string =>
  `  error [${event.row.step}] ${event.row.path ?? (event.row.index === null ? '' : `#${event.row.index}`)}: ${event.row.reason}`;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Plain-line progress (not a terminal: a pipe, a log file, CI): each step's start and end, progress
 * every 10% (files, MB, MB/s, ETA), batches, retries, errors. With `tty` true it redraws one line
 * per step with a carriage return (kept for callers that want no cursor movement).
 *
 * @example
 * const progress = new ProgressPrinter(process.stderr, process.stderr.isTTY === true);
 * await runUpload({ ...options, onEvent: (e) => progress.on(e) });
 */
export class ProgressPrinter implements ProgressOutput {
  readonly #started = new Map<UploadStep, number>();
  readonly #lastDecile = new Map<UploadStep, number>();
  #open = false;

  constructor(
    readonly stream: NodeJS.WritableStream,
    readonly tty: boolean,
    readonly now: () => number = Date.now,
  ) {}

  line(text: string): void {
    if (this.#open) this.stream.write('\n');
    this.#open = false;
    this.stream.write(`${text}\n`);
  }

  on(event: UploadEvent): void {
    switch (event.type) {
      case 'step':
        if (event.state === 'running') this.#started.set(event.step, this.now());
        this.line(`${LABEL[event.step]}: ${event.state}`);
        return;
      case 'progress': {
        const seconds = Math.max(0.001, (this.now() - (this.#started.get(event.step) ?? this.now())) / 1000);
        const rate = event.bytes / seconds;
        const eta = rate > 0 ? Math.round((event.totalBytes - event.bytes) / rate) : 0;
        const text = `${LABEL[event.step]}: ${event.files}/${event.totalFiles} files, ${mb(event.bytes)}/${mb(event.totalBytes)}, ${(rate / 1e6).toFixed(1)} MB/s, ETA ${eta} s`;
        if (this.tty) {
          this.stream.write(`\r${text}\x1b[K`);
          this.#open = true;
          return;
        }
        const decile = event.totalFiles === 0 ? 10 : Math.floor((event.files / event.totalFiles) * 10);
        if (decile > (this.#lastDecile.get(event.step) ?? -1)) {
          this.#lastDecile.set(event.step, decile);
          this.line(text);
        }
        return;
      }
      case 'batch':
        if (!this.tty)
          this.line(
            `  batch ${event.batch}: ${event.stored}/${event.instances} stored, ${mb(event.bytes)} in ${event.ms} ms`,
          );
        return;
      case 'retry':
        this.line(`  batch ${event.batch}: retry ${event.attempt} in ${event.delayMs} ms (${event.reason})`);
        return;
      case 'resumed':
        this.line(`  resuming: ${event.alreadyStored} instance(s) already stored`);
        return;
      case 'login-required':
        this.line(`Login required: ${event.reason}`);
        return;
      case 'error':
        this.line(errorLine(event));
        return;
    }
  }
}
