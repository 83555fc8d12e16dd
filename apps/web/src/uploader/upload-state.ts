import type { UploadErrorRow, UploadEvent, UploadOutcome, UploadStep } from '@courier/uploader';

/**
 * The upload dialog's state (ARCHITECTURE.md steps 10–11), as a pure reducer over the engine's
 * events: the phase, the file count per step ("Analysed", "Uploaded", "Verified"), the byte
 * progress of the running step and the error table. The page only dispatches and renders.
 *
 * @example
 * let s = uploadReducer(uploadIdle(4), { type: 'start' });
 */
export interface UploadState {
  readonly phase: 'idle' | 'running' | 'login' | 'failed' | 'done';
  readonly total: number;
  readonly counts: Readonly<Record<UploadStep, number>>;
  readonly step: UploadStep | null;
  /** 0…1 over the whole run: de-identify, upload and verify weigh one third each. */
  readonly progress: number;
  readonly errors: readonly UploadErrorRow[];
  readonly fatal: string | null;
  readonly studyInstanceUid: string | null;
}

/** What can happen to the upload. */
export type UploadAction =
  | { readonly type: 'start' }
  | { readonly type: 'event'; readonly event: UploadEvent }
  | { readonly type: 'logged-in' }
  | { readonly type: 'finished'; readonly outcome: Omit<UploadOutcome, 'log'> }
  /** The run could not go on at all (the worker failed): Retry starts it again. */
  | { readonly type: 'failed'; readonly message: string };

/**
 * The state before "Upload" with `total` files selected.
 *
 * @example
 * uploadIdle(4).counts.verify; // 0
 */
export function uploadIdle(total: number): UploadState {
  return {
    phase: 'idle',
    total,
    counts: { evaluate: 0, deidentify: 0, upload: 0, verify: 0 },
    step: null,
    progress: 0,
    errors: [],
    fatal: null,
    studyInstanceUid: null,
  };
}

const WEIGHT: Readonly<Record<UploadStep, number>> = { evaluate: 0, deidentify: 0, upload: 1, verify: 2 };

/**
 * The next state. A new run ("Retry") keeps the counts (the engine reports what the session
 * already holds) but clears the error table, which the run fills again.
 *
 * @example
 * uploadReducer(state, { type: 'event', event: { type: 'progress', step: 'upload', files: 2, totalFiles: 4, bytes: 1, totalBytes: 2 } });
 */
export function uploadReducer(state: UploadState, action: UploadAction): UploadState {
  switch (action.type) {
    case 'start':
      return { ...state, phase: 'running', errors: [], fatal: null, step: 'evaluate' };
    case 'logged-in':
      return state.phase === 'login' ? { ...state, phase: 'running' } : state;
    case 'failed':
      return { ...state, phase: 'failed', fatal: action.message };
    case 'finished': {
      const o = action.outcome;
      return {
        ...state,
        phase: o.ok ? 'done' : 'failed',
        counts: { ...o.counts },
        errors: o.errors,
        fatal: o.fatal,
        studyInstanceUid: o.studyInstanceUid,
        progress: o.ok ? 1 : state.progress,
      };
    }
    case 'event': {
      const e = action.event;
      switch (e.type) {
        case 'step':
          return e.state === 'running' ? { ...state, step: e.step } : state;
        case 'progress': {
          const fraction = e.totalBytes > 0 ? e.bytes / e.totalBytes : e.totalFiles > 0 ? e.files / e.totalFiles : 0;
          return {
            ...state,
            counts: { ...state.counts, [e.step]: e.files },
            progress: Math.min(1, (WEIGHT[e.step] + fraction) / 3),
          };
        }
        case 'login-required':
          return { ...state, phase: 'login' };
        case 'error':
          return { ...state, errors: [...state.errors, e.row] };
        default:
          return state;
      }
    }
  }
}

/**
 * Whether "Finish" may be pressed: every file verified and the session committed.
 *
 * @example
 * canFinish(state); // true after a successful run
 */
export function canFinish(state: UploadState): boolean {
  return state.phase === 'done' && state.counts.verify === state.total && state.total > 0;
}
