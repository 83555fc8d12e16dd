import {
  runSanityChecks,
  type SanityCheckResult,
  type SlotExpectations,
  type SubjectFacts,
  selectedSeries,
  type UploadGate,
  uploadGate,
} from '@courier/uploader';
import type { ScanState } from './scan-state.js';

/** What the sanity checks compare the files with: the subject and the slot, from Connect. */
export interface SanityContext {
  subject: SubjectFacts;
  slot: SlotExpectations;
}

/** The checks of the selected series and whether they block the upload. */
export interface SanityView {
  results: readonly SanityCheckResult[];
  gate: UploadGate;
  /** Series Instance UIDs named by a warning or error: their Details buttons turn yellow. */
  flaggedSeries: ReadonlySet<string>;
}

/**
 * Runs @courier/uploader's sanity checks on the selected series of the chosen study (nothing is
 * checked before something is selected) and applies the user's acknowledgements.
 *
 * @example
 * const { gate } = sanityView(state, { subject: { sex: 'F' }, slot: { expectedModalities: ['CT'] } });
 * if (gate.blocked) showIssuesButton();
 */
export function sanityView(state: ScanState, context: SanityContext): SanityView | null {
  if (state.step !== 'scanned' || state.studyIndex === null || state.graph === null) return null;
  const study = state.result.studies[state.studyIndex];
  const chosen = selectedSeries(state.graph, state.selection);
  if (study === undefined || chosen.size === 0) return null;
  const results = runSanityChecks({
    series: study.series.filter((s) => chosen.has(s.seriesInstanceUID)),
    graph: state.graph,
    subject: context.subject,
    slot: context.slot,
  });
  const flagged = new Set<string>();
  for (const result of results) {
    if (result.severity === 'info') continue;
    // A finding about the patient or the study as a whole names no series: it concerns them all.
    for (const uid of result.series.length === 0 ? chosen : result.series) flagged.add(uid);
  }
  return { results, gate: uploadGate(results, state.acknowledgements), flaggedSeries: flagged };
}
