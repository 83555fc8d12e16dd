import type { UploadEvent, UploadStep } from '@courier/uploader';

const LABEL: Readonly<Record<UploadStep, string>> = {
  evaluate: 'Evaluate',
  deidentify: 'Analysed',
  upload: 'Uploaded',
  verify: 'Verified',
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Renders engine events: on a terminal one redrawn line per step (files, MB, MB/s, ETA); otherwise
 * plain lines — each step's start and end, progress every 10%, batches, retries, errors.
 *
 * @example
 * const progress = new ProgressPrinter(process.stderr, process.stderr.isTTY === true);
 * await runUpload({ ...options, onEvent: (e) => progress.on(e) });
 */
export class ProgressPrinter {
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
        this.line(
          `  error [${event.row.step}] ${event.row.path ?? (event.row.index === null ? '' : `#${event.row.index}`)}: ${event.row.reason}`,
        );
        return;
    }
  }
}
