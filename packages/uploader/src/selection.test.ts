import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryDrop } from '../test/rt-arbitrary.js';
import { completeRtSet } from '../test/rt-fixtures.js';
import { UploaderError } from './errors.js';
import { buildRtGraph, isMissingNodeId, type RtGraph } from './rt-graph.js';
import {
  deselectSeries,
  emptySelection,
  impliedSeries,
  missingFromSelection,
  requiredBy,
  type SelectionState,
  selectAll,
  selectedSeries,
  selectionStatus,
  selectSeries,
} from './selection.js';

const graph = buildRtGraph(completeRtSet());
const sorted = (s: Iterable<string>): string[] => [...s].sort();

/** Random (drop, explicit subset, one series) triples. */
const arbitraryCase = arbitraryDrop.chain((drop) => {
  const uids = drop.map((s) => s.seriesInstanceUID);
  return fc.record({
    graph: fc.constant(buildRtGraph(drop)),
    explicit: fc.subarray(uids),
    pick: fc.constantFrom(...uids),
  });
});
const stateOf = (g: RtGraph, explicit: string[]): SelectionState => selectAll(g, emptySelection(), explicit);

describe('selection', () => {
  it('selecting an RTDOSE implies its plan, structure set and CT', () => {
    const state = selectSeries(graph, emptySelection(), '1.4');
    expect(sorted(impliedSeries(graph, state))).toEqual(['1.1', '1.2', '1.3']);
    expect(selectionStatus(graph, state, '1.4')).toBe('explicit');
    expect(selectionStatus(graph, state, '1.1')).toBe('implied');
    expect(selectionStatus(graph, state, '1.5')).toBe('none');
  });

  it('deselecting the RTDOSE keeps the plan chain implied while the RTIMAGE still needs it', () => {
    let state = selectSeries(graph, emptySelection(), '1.4');
    state = selectSeries(graph, state, '1.5');
    state = deselectSeries(graph, state, '1.4');
    expect(sorted(selectedSeries(graph, state))).toEqual(['1.1', '1.2', '1.3', '1.5']);
    state = deselectSeries(graph, state, '1.5');
    expect(selectedSeries(graph, state).size).toBe(0);
  });

  it('deselecting an implied series does nothing and requiredBy says who needs it', () => {
    const state = selectSeries(graph, emptySelection(), '1.4');
    expect(deselectSeries(graph, state, '1.1')).toBe(state);
    expect(requiredBy(graph, state, '1.1')).toEqual(['1.4']);
  });

  it('an explicit series that another selection needs becomes implied when deselected', () => {
    let state = selectSeries(graph, emptySelection(), '1.1');
    state = selectSeries(graph, state, '1.2');
    state = deselectSeries(graph, state, '1.1');
    expect(selectionStatus(graph, state, '1.1')).toBe('implied');
  });

  it('refuses a series UID that is not in the drop', () => {
    expect(() => selectSeries(graph, emptySelection(), 'nope')).toThrow(UploaderError);
    expect(() => selectSeries(graph, emptySelection(), 'nope')).toThrow(/UID|series/);
  });

  it('reports the referenced objects missing from the drop for the selected series', () => {
    const partial = buildRtGraph(completeRtSet().filter((s) => s.modality !== 'RTPLAN'));
    const state = selectSeries(partial, emptySelection(), '1.5');
    expect(missingFromSelection(partial, selectedSeries(partial, state))).toEqual([
      expect.objectContaining({
        id: 'missing-instance:1.3.1',
        inDrop: false,
        expectedModality: 'RTPLAN',
        referencedBy: ['1.5'],
      }),
    ]);
    expect(missingFromSelection(graph, selectedSeries(graph, selectSeries(graph, emptySelection(), '1.5')))).toEqual(
      [],
    );
  });

  it('reports a present but unselected referenced series for a hand-made selection', () => {
    expect(missingFromSelection(graph, new Set(['1.2']))).toEqual([
      expect.objectContaining({ id: '1.1', inDrop: true, expectedModality: 'CT' }),
    ]);
  });

  it('keeps the selected set closed under references', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ graph: g, explicit }) => {
        const selected = selectedSeries(g, stateOf(g, explicit));
        for (const s of selected) {
          for (const target of g.references.get(s) ?? []) {
            if (!isMissingNodeId(target)) expect(selected.has(target)).toBe(true);
          }
        }
        expect(missingFromSelection(g, selected).every((m) => !m.inDrop)).toBe(true);
      }),
    );
  });

  it('restores the previous state when a newly selected series is deselected', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ graph: g, explicit, pick }) => {
        const before = stateOf(
          g,
          explicit.filter((e) => e !== pick),
        );
        const after = deselectSeries(g, selectSeries(g, before, pick), pick);
        expect(sorted(after.explicit)).toEqual(sorted(before.explicit));
        expect(sorted(selectedSeries(g, after))).toEqual(sorted(selectedSeries(g, before)));
      }),
    );
  });

  it('drops on deselect exactly the implied series that no remaining selection needs', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ graph: g, explicit, pick }) => {
        const state = stateOf(g, [...explicit, pick]);
        const before = selectedSeries(g, state);
        const after = selectedSeries(g, deselectSeries(g, state, pick));
        const rest = stateOf(
          g,
          [...state.explicit].filter((e) => e !== pick),
        );
        expect(sorted(after)).toEqual(sorted(selectedSeries(g, rest)));
        for (const s of after) expect(before.has(s)).toBe(true);
        for (const s of before) {
          if (!after.has(s)) expect(requiredBy(g, rest, s)).toEqual([]);
        }
      }),
    );
  });

  it('never marks a series both explicit and implied, and implies only present series', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ graph: g, explicit }) => {
        const state = stateOf(g, explicit);
        for (const s of impliedSeries(g, state)) {
          expect(state.explicit.has(s)).toBe(false);
          expect(g.series.has(s)).toBe(true);
        }
      }),
    );
  });
});
