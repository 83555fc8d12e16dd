import { UploaderError } from './errors.js';
import { isMissingNodeId, type MissingNode, type RtGraph } from './rt-graph.js';

/**
 * What the user picked. Only explicit choices are stored; what they imply is derived from the
 * graph, so the state cannot drift out of sync with the references. Immutable: every operation
 * returns a new state.
 *
 * @example
 * let state = emptySelection();
 * state = selectSeries(graph, state, rtDoseUID); // the plan, structure set and CT become "implied"
 */
export interface SelectionState {
  readonly explicit: ReadonlySet<string>;
}

/**
 * How a series shows in the table: picked by the user, pulled in by a reference, or not selected.
 *
 * @example
 * selectionStatus(graph, state, ctUID); // 'implied'
 */
export type SelectionStatus = 'explicit' | 'implied' | 'none';

/**
 * The empty selection.
 *
 * @example
 * emptySelection().explicit.size; // 0
 */
export function emptySelection(): SelectionState {
  return { explicit: new Set() };
}

/**
 * Selects a series explicitly. Every present series it references, transitively, becomes implied.
 * Throws UPLOADER_UNKNOWN_SERIES for a UID that is not a present series of the graph.
 *
 * @example
 * selectSeries(graph, emptySelection(), planUID).explicit; // Set { planUID }
 */
export function selectSeries(graph: RtGraph, state: SelectionState, seriesInstanceUID: string): SelectionState {
  assertPresent(graph, seriesInstanceUID);
  if (state.explicit.has(seriesInstanceUID)) return state;
  return { explicit: new Set([...state.explicit, seriesInstanceUID]) };
}

/**
 * Deselects an explicitly selected series: the series it implied drop out unless another selected
 * series still needs them; the series itself stays (as implied) when another selected series
 * references it. Deselecting a series that is only implied changes nothing: it stays because
 * `requiredBy` names who needs it.
 *
 * @example
 * deselectSeries(graph, selectSeries(graph, s, uid), uid); // equal to s when uid was not explicit in s
 */
export function deselectSeries(graph: RtGraph, state: SelectionState, seriesInstanceUID: string): SelectionState {
  assertPresent(graph, seriesInstanceUID);
  if (!state.explicit.has(seriesInstanceUID)) return state;
  const explicit = new Set(state.explicit);
  explicit.delete(seriesInstanceUID);
  return { explicit };
}

/**
 * Selects many series at once (e.g. "select all" of a study).
 *
 * @example
 * selectAll(graph, emptySelection(), [...graph.series.keys()]);
 */
export function selectAll(graph: RtGraph, state: SelectionState, seriesInstanceUIDs: Iterable<string>): SelectionState {
  let next = state;
  for (const uid of seriesInstanceUIDs) next = selectSeries(graph, next, uid);
  return next;
}

/**
 * The present series implied by the explicit ones: their transitive references minus the explicit
 * set. Missing nodes are not series and never appear here (see `missingFromSelection`).
 *
 * @example
 * impliedSeries(graph, selectSeries(graph, emptySelection(), doseUID)); // Set { planUID, structUID, ctUID }
 */
export function impliedSeries(graph: RtGraph, state: SelectionState): Set<string> {
  const implied = new Set<string>();
  for (const id of closure(graph, state.explicit)) if (!state.explicit.has(id)) implied.add(id);
  return implied;
}

/**
 * Every series that will be uploaded: explicit ∪ implied.
 *
 * @example
 * selectedSeries(graph, state).has(ctUID);
 */
export function selectedSeries(graph: RtGraph, state: SelectionState): Set<string> {
  return closure(graph, state.explicit);
}

/**
 * The status of one series in the selection.
 *
 * @example
 * selectionStatus(graph, state, ctUID); // 'implied'
 */
export function selectionStatus(graph: RtGraph, state: SelectionState, seriesInstanceUID: string): SelectionStatus {
  if (state.explicit.has(seriesInstanceUID)) return 'explicit';
  return closure(graph, state.explicit).has(seriesInstanceUID) ? 'implied' : 'none';
}

/**
 * The explicitly selected series that need `seriesInstanceUID` (directly or transitively): the
 * reason an implied series cannot be deselected on its own.
 *
 * @example
 * requiredBy(graph, state, ctUID); // [doseUID]
 */
export function requiredBy(graph: RtGraph, state: SelectionState, seriesInstanceUID: string): string[] {
  return [...state.explicit]
    .filter((e) => e !== seriesInstanceUID && closure(graph, [e]).has(seriesInstanceUID))
    .sort();
}

/**
 * Referenced objects that the selected series need but that will not be uploaded: missing from the
 * drop, or present but not selected (only possible for a hand-made set of series).
 *
 * @example
 * missingFromSelection(graph, selectedSeries(graph, state)); // [{ id: 'missing-instance:1.2.3', expectedModality: 'RTPLAN', ... }]
 */
export function missingFromSelection(graph: RtGraph, selected: ReadonlySet<string>): MissingReference[] {
  const out = new Map<string, MissingReference>();
  for (const edge of graph.edges) {
    if (!selected.has(edge.from) || selected.has(edge.to)) continue;
    const known = out.get(edge.to);
    const node = graph.missing.get(edge.to);
    const entry: MissingReference = known ?? {
      id: edge.to,
      inDrop: !isMissingNodeId(edge.to),
      expectedModality: node?.expectedModality ?? graph.series.get(edge.to)?.modality ?? 'IMAGE',
      ...(node === undefined ? {} : { missing: node }),
      referencedBy: [],
    };
    out.set(edge.to, { ...entry, referencedBy: [...new Set([...entry.referencedBy, edge.from])].sort() });
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A referenced object that the selection lacks.
 *
 * @example
 * missingFromSelection(graph, selected)[0]?.expectedModality; // 'RTPLAN'
 */
export interface MissingReference {
  /** A Series Instance UID (`inDrop`) or a `MissingNode.id`. */
  readonly id: string;
  /** True when the series is in the drop but not selected. */
  readonly inDrop: boolean;
  readonly expectedModality: string;
  readonly missing?: MissingNode;
  /** Selected series that reference it. */
  readonly referencedBy: readonly string[];
}

/** Present series reachable from `seeds` along strong references, seeds included. */
function closure(graph: RtGraph, seeds: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...seeds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || !graph.series.has(id)) continue;
    seen.add(id);
    for (const next of graph.references.get(id) ?? []) stack.push(next);
  }
  return seen;
}

function assertPresent(graph: RtGraph, seriesInstanceUID: string): void {
  if (!graph.series.has(seriesInstanceUID)) {
    throw new UploaderError('UPLOADER_UNKNOWN_SERIES', `no series ${seriesInstanceUID} in the scanned data`);
  }
}
