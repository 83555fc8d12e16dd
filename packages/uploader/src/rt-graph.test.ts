import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryDrop } from '../test/rt-arbitrary.js';
import { completeRtSet, SOP, series } from '../test/rt-fixtures.js';
import { buildRtGraph, isMissingNodeId } from './rt-graph.js';

describe('buildRtGraph', () => {
  it('links a complete RT set CT ← RTSTRUCT ← RTPLAN ← RTDOSE/RTIMAGE with nothing missing', () => {
    const graph = buildRtGraph(completeRtSet());
    expect(graph.missing.size).toBe(0);
    expect(graph.edges.map((e) => `${e.from}->${e.to}:${e.kind}`)).toEqual([
      '1.2->1.1:structure-set-image',
      '1.3->1.2:plan-structure-set',
      '1.4->1.2:dose-structure-set',
      '1.4->1.3:dose-plan',
      '1.5->1.3:image-plan',
    ]);
    expect([...(graph.referencedBy.get('1.3') ?? [])].sort()).toEqual(['1.4', '1.5']);
  });

  it('collects the referring and referenced instances on one edge per series pair and kind', () => {
    const graph = buildRtGraph(completeRtSet());
    const edge = graph.edges.find((e) => e.from === '1.2');
    expect(edge?.fromInstances).toEqual(['1.2.1']);
    expect(edge?.toInstances).toEqual(['1.1.1', '1.1.2', '1.1.3']);
    expect(edge?.missingInstances).toEqual([]);
    const image = graph.edges.find((e) => e.from === '1.5');
    expect(image?.fromInstances).toEqual(['1.5.1', '1.5.2']);
  });

  it('lists a referenced plan absent from the drop as a missing node keyed by its instance', () => {
    const set = completeRtSet().filter((s) => s.modality !== 'RTPLAN');
    const graph = buildRtGraph(set);
    const missing = graph.missing.get('missing-instance:1.3.1');
    expect(missing).toMatchObject({
      expectedModality: 'RTPLAN',
      sopInstanceUIDs: ['1.3.1'],
      referencedBy: ['1.4', '1.5'],
    });
    expect(graph.missing.size).toBe(1);
  });

  it('lists an image series absent from the drop as one missing node keyed by its series UID', () => {
    const set = completeRtSet().filter((s) => s.modality !== 'CT');
    const graph = buildRtGraph(set);
    expect([...graph.missing.keys()]).toEqual(['missing-series:1.1']);
    expect(graph.missing.get('missing-series:1.1')).toMatchObject({
      seriesInstanceUID: '1.1',
      expectedModality: 'CT',
      sopInstanceUIDs: ['1.1.1', '1.1.2', '1.1.3'],
    });
  });

  it('resolves to the present series and records the absent instances of a partial series', () => {
    const set = completeRtSet().map((s) => (s.modality === 'CT' ? series('1.1', 'CT', { count: 2, frame: 'F1' }) : s));
    const graph = buildRtGraph(set);
    const edge = graph.edges.find((e) => e.from === '1.2');
    expect(edge?.to).toBe('1.1');
    expect(edge?.missingInstances).toEqual(['1.1.3']);
    expect(graph.missing.size).toBe(0);
  });

  it('prefers the series of a present instance over a wrong Series Instance UID in the reference', () => {
    const graph = buildRtGraph([
      series('A', 'CT'),
      series('B', 'RTSTRUCT', {
        refs: [{ kind: 'structure-set-image', seriesInstanceUID: 'WRONG', sopInstanceUID: 'A.1' }],
      }),
    ]);
    expect(graph.edges.map((e) => e.to)).toEqual(['A']);
  });

  it('handles an RT Ion Plan like a plan: a dose referencing it links to its series', () => {
    const graph = buildRtGraph([
      series('P', 'RTPLAN', { sopClassUID: SOP.rtIonPlan }),
      series('D', 'RTDOSE', { refs: [{ kind: 'dose-plan', sopClassUID: SOP.rtIonPlan, sopInstanceUID: 'P.1' }] }),
    ]);
    expect(graph.references.get('D')).toEqual(new Set(['P']));
  });

  it('ignores a reference of a series to itself', () => {
    const graph = buildRtGraph([series('A', 'RTPLAN', { refs: [{ kind: 'plan-plan', sopInstanceUID: 'A.1' }] })]);
    expect(graph.edges).toEqual([]);
  });

  it('records a shared Frame of Reference as a weak link only where no reference exists', () => {
    const graph = buildRtGraph([
      ...completeRtSet(),
      series('MR', 'MR', { frame: 'F1', sopClassUID: SOP.mr }),
      series('OTHER', 'CT', { frame: 'F9' }),
    ]);
    const pairs = graph.weakLinks.map((l) => `${l.a}~${l.b}`);
    expect(pairs).toContain('1.1~MR');
    expect(pairs).toContain('1.2~MR');
    expect(pairs).toContain('1.1~1.3');
    expect(pairs).not.toContain('1.1~1.2');
    expect(pairs.some((p) => p.includes('OTHER'))).toBe(false);
  });

  it('always points edges at a present series or a listed missing node, never at the referrer', () => {
    fc.assert(
      fc.property(arbitraryDrop, (drop) => {
        const graph = buildRtGraph(drop);
        for (const e of graph.edges) {
          expect(e.to).not.toBe(e.from);
          expect(graph.series.has(e.from)).toBe(true);
          if (isMissingNodeId(e.to)) expect(graph.missing.get(e.to)?.referencedBy).toContain(e.from);
          else expect(graph.series.has(e.to)).toBe(true);
        }
        for (const m of graph.missing.values()) expect(graph.referencedBy.get(m.id)?.size).toBeGreaterThan(0);
      }),
    );
  });

  it('is independent of the order of the series in the input', () => {
    fc.assert(
      fc.property(arbitraryDrop, (drop) => {
        const a = buildRtGraph(drop);
        const b = buildRtGraph([...drop].reverse());
        expect(b.edges).toEqual(a.edges);
        expect([...b.missing.entries()]).toEqual([...a.missing.entries()]);
      }),
    );
  });
});
