import type { Acknowledgement, IgnoredFile, ScanProgress, ScanResult, StudyNode } from '@courier/uploader';
import { buildRtGraph, emptySelection, type RtGraph, type SelectionState, selectedSeries } from '@courier/uploader';

/**
 * The Uploader's scan, as an explicit state machine: idle → scanning → scanned (or failed), and
 * back to scanning when the user drops again. Pure, so every transition is unit-tested; the page
 * only dispatches events and renders the state.
 */
export type ScanState =
  | { readonly step: 'idle' }
  | {
      readonly step: 'scanning';
      readonly filesFound: number;
      readonly progress: ScanProgress;
    }
  | {
      readonly step: 'scanned';
      readonly filesFound: number;
      /** Bytes of every file found (instances and ignored), known once the scan has read them. */
      readonly bytesFound: number;
      readonly result: ScanResult;
      /** Index into result.studies of the study being prepared; null while the user must choose. */
      readonly studyIndex: number | null;
      readonly graph: RtGraph | null;
      readonly selection: SelectionState;
      /** Warnings the user consciously accepted (ARCHITECTURE.md step 9), by sanity result id. */
      readonly acknowledgements: readonly Acknowledgement[];
    }
  | { readonly step: 'failed'; readonly message: string };

/** What can happen to the scan. */
export type ScanEvent =
  /** Only the count: reading File.size of thousands of files on the page's thread freezes it. */
  | { readonly type: 'drop'; readonly files: number }
  | { readonly type: 'progress'; readonly progress: ScanProgress }
  | { readonly type: 'done'; readonly result: ScanResult }
  | { readonly type: 'failed'; readonly message: string }
  /** null goes back to the study choice. */
  | { readonly type: 'chooseStudy'; readonly index: number | null }
  | { readonly type: 'select'; readonly selection: SelectionState }
  | { readonly type: 'acknowledge'; readonly acknowledgements: readonly Acknowledgement[] };

/** The state before anything was dropped. */
export const IDLE: ScanState = { step: 'idle' };

function studyGraph(studies: readonly StudyNode[], index: number | null): RtGraph | null {
  const study = index === null ? undefined : studies[index];
  return study === undefined ? null : buildRtGraph(study.series);
}

/**
 * The next state. Events that do not apply to the current step leave it unchanged (a late progress
 * report after "done" changes nothing).
 *
 * @example
 * let state = scanReducer(IDLE, { type: 'drop', files: 12 });
 * state = scanReducer(state, { type: 'done', result });
 */
export function scanReducer(state: ScanState, event: ScanEvent): ScanState {
  switch (event.type) {
    case 'drop':
      return {
        step: 'scanning',
        filesFound: event.files,
        progress: { filesRead: 0, total: event.files, instances: 0, ignored: 0 },
      };
    case 'progress':
      return state.step === 'scanning' ? { ...state, progress: event.progress } : state;
    case 'done': {
      if (state.step !== 'scanning') return state;
      // One study: it is the one. Several: the user picks (ARCHITECTURE.md step 7).
      const studyIndex = event.result.studies.length === 1 ? 0 : null;
      return {
        step: 'scanned',
        filesFound: state.filesFound,
        bytesFound:
          event.result.instances.reduce((n, i) => n + i.size, 0) + event.result.ignored.reduce((n, f) => n + f.size, 0),
        result: event.result,
        studyIndex,
        graph: studyGraph(event.result.studies, studyIndex),
        selection: emptySelection(),
        acknowledgements: [],
      };
    }
    case 'failed':
      return state.step === 'scanning' ? { step: 'failed', message: event.message } : state;
    case 'chooseStudy':
      if (state.step !== 'scanned') return state;
      if (event.index !== null && (event.index < 0 || event.index >= state.result.studies.length)) return state;
      return {
        ...state,
        studyIndex: event.index,
        graph: studyGraph(state.result.studies, event.index),
        selection: emptySelection(),
        acknowledgements: [],
      };
    case 'select':
      return state.step === 'scanned' && state.graph !== null ? { ...state, selection: event.selection } : state;
    case 'acknowledge':
      return state.step === 'scanned' ? { ...state, acknowledgements: event.acknowledgements } : state;
  }
}

/** The numbers of the counters bar. */
export interface Counters {
  filesFound: number;
  dicom: number;
  ignored: number;
  studies: number;
  selectedSeries: number;
  /** Bytes of the selected series (of everything dropped before a selection). */
  size: number;
}

/**
 * The counters bar's numbers for a state.
 *
 * @example
 * counters(state).ignored; // 1
 */
export function counters(state: ScanState): Counters {
  switch (state.step) {
    case 'idle':
    case 'failed':
      return { filesFound: 0, dicom: 0, ignored: 0, studies: 0, selectedSeries: 0, size: 0 };
    case 'scanning':
      return {
        filesFound: state.filesFound,
        dicom: state.progress.instances,
        ignored: state.progress.ignored,
        studies: 0,
        selectedSeries: 0,
        size: 0,
      };
    case 'scanned': {
      const study = state.studyIndex === null ? undefined : state.result.studies[state.studyIndex];
      const selected = state.graph === null ? new Set<string>() : selectedSeries(state.graph, state.selection);
      const size =
        study === undefined || selected.size === 0
          ? state.bytesFound
          : study.series.filter((s) => selected.has(s.seriesInstanceUID)).reduce((n, s) => n + s.totalSize, 0);
      return {
        filesFound: state.filesFound,
        dicom: state.result.instances.length,
        ignored: state.result.ignored.length,
        studies: state.result.studies.length,
        selectedSeries: selected.size,
        size,
      };
    }
  }
}

/**
 * The ignored files of a state (empty before a scan ends).
 *
 * @example
 * ignoredFiles(state).map((f) => f.reason);
 */
export function ignoredFiles(state: ScanState): readonly IgnoredFile[] {
  return state.step === 'scanned' ? state.result.ignored : [];
}
