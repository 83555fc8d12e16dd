import type { UploadEvent, UploadStep } from '@courier/uploader';

/** The steps drawn as bars on a terminal, in order; Evaluate is a one-line status above them. */
export const BAR_STEPS: readonly UploadStep[] = ['deidentify', 'upload', 'verify'];

/** What the terminal shows of each step (the Uploader's words). */
export const STEP_LABEL: Readonly<Record<UploadStep, string>> = {
  evaluate: 'Evaluate',
  deidentify: 'Analysed',
  upload: 'Uploaded',
  verify: 'Verified',
};

/**
 * One step as the progress display knows it. Times are milliseconds of the clock the printer is
 * given, so rendering is a pure function of this state and "now".
 *
 * @example
 * const step: StepProgress = { state: 'running', startedAt: 0, endedAt: null, files: 5, totalFiles: 10, bytes: 5e6, totalBytes: 1e7 };
 */
export interface StepProgress {
  state: 'pending' | 'running' | 'done' | 'failed';
  startedAt: number | null;
  endedAt: number | null;
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

/**
 * Progress of a whole run, one entry per step.
 *
 * @example
 * const state = initialProgress();
 */
export type ProgressState = Record<UploadStep, StepProgress>;

/**
 * A state with every step pending.
 *
 * @example
 * initialProgress().upload.state; // 'pending'
 */
export function initialProgress(): ProgressState {
  const step = (): StepProgress => ({
    state: 'pending',
    startedAt: null,
    endedAt: null,
    files: 0,
    totalFiles: 0,
    bytes: 0,
    totalBytes: 0,
  });
  return { evaluate: step(), deidentify: step(), upload: step(), verify: step() };
}

/**
 * Applies one engine event to the state (in place) at time `now`; returns whether a bar changed.
 *
 * @example
 * applyEvent(state, { type: 'step', step: 'upload', state: 'running' }, Date.now()); // true
 */
export function applyEvent(state: ProgressState, event: UploadEvent, now: number): boolean {
  if (event.type === 'step') {
    const step = state[event.step];
    step.state = event.state;
    if (event.state === 'running') {
      step.startedAt = now;
      step.endedAt = null;
    } else step.endedAt = now;
    return true;
  }
  if (event.type === 'progress') {
    const step = state[event.step];
    if (step.startedAt === null) step.startedAt = now;
    step.files = event.files;
    step.totalFiles = event.totalFiles;
    step.bytes = event.bytes;
    step.totalBytes = event.totalBytes;
    return true;
  }
  return false;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/**
 * A duration in seconds as `s`, `m:ss` or `h:mm:ss`.
 *
 * @example
 * formatDuration(75); // '1:15'
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;
  if (m > 0) return `${m}:${String(rest).padStart(2, '0')}`;
  return `${rest} s`;
}

/**
 * One bar line of a step at time `now`, at most `width` characters (a terminal line that wraps
 * would break the in-place redraw): label, bar, files, MB, MB/s (since the step started) and the
 * ETA (remaining bytes at that rate; by files when the step has no byte count); a finished step
 * shows its duration instead.
 *
 * @example
 * renderStep('upload', step, 12_000, 100);
 * // 'Uploaded [##########----------]  50%  500/1000 files  250.0/500.0 MB  20.8 MB/s  ETA 12 s'
 */
export function renderStep(name: UploadStep, step: StepProgress, now: number, width: number): string {
  const label = STEP_LABEL[name].padEnd(8);
  if (step.state === 'pending') return `${label} waiting`.slice(0, width);
  const fraction =
    step.totalBytes > 0
      ? step.bytes / step.totalBytes
      : step.totalFiles > 0
        ? step.files / step.totalFiles
        : step.state === 'done'
          ? 1
          : 0;
  const clamped = Math.min(1, Math.max(0, fraction));
  const elapsed = Math.max(0.001, ((step.endedAt ?? now) - (step.startedAt ?? now)) / 1000);
  const rate = step.bytes / elapsed;
  let tail: string;
  if (step.state === 'done') tail = `done in ${formatDuration(elapsed)}`;
  else if (step.state === 'failed') tail = 'failed';
  else if (clamped <= 0) tail = 'ETA --';
  else tail = `ETA ${formatDuration((elapsed * (1 - clamped)) / clamped)}`;
  // Fields padded to their final width, so the bar keeps its length while the numbers grow.
  const files = String(step.files).padStart(String(step.totalFiles).length);
  const bytes = mb(step.bytes).padStart(mb(step.totalBytes).length);
  const counts = `${String(Math.round(clamped * 100)).padStart(3)}%  ${files}/${step.totalFiles} files  ${bytes}/${mb(step.totalBytes)} MB  ${mb(rate).padStart(5)} MB/s  ${tail.padEnd(15)}`;
  // The bar takes what the line leaves (5 to 30 cells); only a very narrow terminal cuts the end.
  const cells = Math.min(30, Math.max(5, width - label.length - 3 - counts.length));
  const full = Math.round(clamped * cells);
  return `${label} [${'#'.repeat(full)}${'-'.repeat(cells - full)}] ${counts}`.slice(0, width).trimEnd();
}

/**
 * The bar lines of the whole run (Analysed, Uploaded, Verified) at time `now`: a pure function of
 * the state and the clock, so a test can render any moment.
 *
 * @example
 * renderProgressBars(state, Date.now(), process.stderr.columns ?? 80); // three lines
 */
export function renderProgressBars(state: ProgressState, now: number, width: number): string[] {
  return BAR_STEPS.map((name) => renderStep(name, state[name], now, width));
}
