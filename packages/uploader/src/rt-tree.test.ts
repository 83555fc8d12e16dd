import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryDrop } from '../test/rt-arbitrary.js';
import { completeRtSet, SOP, series } from '../test/rt-fixtures.js';
import { buildRtGraph } from './rt-graph.js';
import { buildRtTree, type RtTreeNode } from './rt-tree.js';

/** "MODALITY id [link]" lines indented by depth: easy to read in a failing assertion. */
function outline(nodes: readonly RtTreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [
    `${'  '.repeat(depth)}${n.modality} ${n.id}${n.status === 'missing' ? ' (missing)' : ''}${n.repeated ? ' (again)' : ''}`,
    ...outline(n.children, depth + 1),
  ]);
}

function walk(nodes: readonly RtTreeNode[], visit: (node: RtTreeNode, path: readonly RtTreeNode[]) => void): void {
  const go = (n: RtTreeNode, path: RtTreeNode[]): void => {
    visit(n, path);
    for (const c of n.children) go(c, [...path, n]);
  };
  for (const n of nodes) go(n, []);
}

describe('buildRtTree', () => {
  it('draws CT → RTSTRUCT → RTPLAN → RTDOSE/RTIMAGE, the dose only under its plan', () => {
    expect(outline(buildRtTree(buildRtGraph(completeRtSet())))).toEqual([
      'CT 1.1',
      '  RTSTRUCT 1.2',
      '    RTPLAN 1.3',
      '      RTDOSE 1.4',
      '      RTIMAGE 1.5',
    ]);
  });

  it('shows an RTSTRUCT drawn on a CT and an MR under both, marking the second appearance', () => {
    const tree = buildRtTree(
      buildRtGraph([
        series('CT', 'CT'),
        series('MR', 'MR', { sopClassUID: SOP.mr }),
        series('RS', 'RTSTRUCT', {
          refs: [
            { kind: 'structure-set-image', seriesInstanceUID: 'CT', sopInstanceUID: 'CT.1' },
            { kind: 'structure-set-image', seriesInstanceUID: 'MR', sopInstanceUID: 'MR.1' },
          ],
        }),
      ]),
    );
    expect(outline(tree)).toEqual(['CT CT', '  RTSTRUCT RS', 'MR MR', '  RTSTRUCT RS (again)']);
  });

  it('roots a dangling reference at a missing node so the user sees the set is incomplete', () => {
    const set = completeRtSet().filter((s) => s.modality !== 'RTPLAN');
    expect(outline(buildRtTree(buildRtGraph(set)))).toEqual([
      'CT 1.1',
      '  RTSTRUCT 1.2',
      '    RTDOSE 1.4',
      'RTPLAN missing-instance:1.3.1 (missing)',
      '  RTDOSE 1.4 (again)',
      '  RTIMAGE 1.5',
    ]);
  });

  it('places an unreferencing RT object under the image series of its Frame of Reference', () => {
    const tree = buildRtTree(buildRtGraph([series('CT', 'CT', { frame: 'F' }), series('D', 'RTDOSE', { frame: 'F' })]));
    expect(outline(tree)).toEqual(['CT CT', '  RTDOSE D']);
    expect(tree[0]?.children[0]?.link).toBe('frame-of-reference');
  });

  it('still shows series caught in a reference cycle, without expanding the cycle forever', () => {
    const tree = buildRtTree(
      buildRtGraph([
        series('A', 'RTPLAN', { refs: [{ kind: 'plan-plan', sopInstanceUID: 'B.1' }] }),
        series('B', 'RTPLAN', { refs: [{ kind: 'plan-plan', sopInstanceUID: 'A.1' }] }),
      ]),
    );
    expect(outline(tree)).toEqual(['RTPLAN A', '  RTPLAN B', '    RTPLAN A (again)']);
    expect(tree[0]?.children[0]?.children[0]?.cycle).toBe(true);
  });

  it('shows every series, hangs each child under something it references, and never repeats a node on a path', () => {
    fc.assert(
      fc.property(arbitraryDrop, (drop) => {
        const graph = buildRtGraph(drop);
        const tree = buildRtTree(graph);
        const seen = new Set<string>();
        walk(tree, (node, path) => {
          seen.add(node.id);
          const parent = path.at(-1);
          if (parent === undefined) expect(node.link).toBe('root');
          else if (node.link === 'frame-of-reference') {
            expect(graph.weakLinks.some((l) => [l.a, l.b].includes(node.id) && [l.a, l.b].includes(parent.id))).toBe(
              true,
            );
          } else expect(graph.references.get(node.id)?.has(parent.id)).toBe(true);
          const ancestors = path.map((p) => p.id);
          if (!node.cycle) expect(ancestors).not.toContain(node.id);
          if (node.cycle) expect(node.children).toEqual([]);
        });
        for (const id of graph.series.keys()) expect(seen.has(id)).toBe(true);
        for (const id of graph.missing.keys()) expect(seen.has(id)).toBe(true);
      }),
    );
  });
});
