import { isMissingNodeId, type ReferenceKind, type RtGraph } from './rt-graph.js';

/**
 * How a node hangs under its parent: the reference kind, a shared Frame of Reference, or none (a root).
 *
 * @example
 * tree[0].children[0].link; // 'structure-set-image'
 */
export type RtTreeLink = ReferenceKind | 'frame-of-reference' | 'root';

/**
 * One row of the "RT Series" tab. The parent is what this series references (a CT is the parent of
 * the RTSTRUCT drawn on it); a series that references several parents appears under each, with
 * `repeated` set on every appearance after the first so the UI can draw it lighter.
 *
 * @example
 * const row = tree[0]; // { id: ctUID, status: 'present', modality: 'CT', link: 'root', children: [...] }
 */
export interface RtTreeNode {
  /** A Series Instance UID, or a `MissingNode.id` for a referenced object absent from the drop. */
  readonly id: string;
  readonly status: 'present' | 'missing';
  /** The series' Modality, or the expected modality of a missing node. */
  readonly modality: string;
  readonly link: RtTreeLink;
  /** True when this series was already shown earlier in the tree (depth-first order). */
  readonly repeated: boolean;
  /** True when the series references its own ancestor (malformed data): its children are not expanded. */
  readonly cycle: boolean;
  readonly children: readonly RtTreeNode[];
}

/** Image-like modalities drawn as roots; everything else is an object derived from images. */
const DERIVED_MODALITIES: ReadonlySet<string> = new Set([
  'RTSTRUCT',
  'RTPLAN',
  'RTDOSE',
  'RTIMAGE',
  'RTRECORD',
  'REG',
  'SEG',
  'PR',
  'SR',
  'KO',
]);

/** Roots first by this order (CT, MR, PET, ...), then by Series Number, then UID. */
const MODALITY_RANK: readonly string[] = [
  'CT',
  'MR',
  'PT',
  'NM',
  'US',
  'CR',
  'DX',
  'OT',
  'IMAGE',
  'RTSTRUCT',
  'RTPLAN',
];

/**
 * Builds the "RT Series" tree: image series (CT/MR/PET...) as roots, then what references them
 * (RTSTRUCT → RTPLAN → RTDOSE/RTIMAGE). A direct edge that is also reachable through another
 * parent is not drawn twice (an RTDOSE referencing both its RTPLAN and that plan's RTSTRUCT is shown
 * under the plan only). Missing referenced objects become nodes with `status: 'missing'` holding
 * their referrers. A derived series with no reference to anything present or missing is placed under
 * the image series sharing its Frame of Reference (link 'frame-of-reference'), else it is a root.
 * Every present series appears at least once.
 *
 * @example
 * const [ct] = buildRtTree(buildRtGraph(series));
 * ct.children[0].modality; // 'RTSTRUCT'
 */
export function buildRtTree(graph: RtGraph): RtTreeNode[] {
  const modalityOf = (id: string): string =>
    graph.series.get(id)?.modality ?? graph.missing.get(id)?.expectedModality ?? 'IMAGE';
  const order = (a: string, b: string): number => {
    const ra = rank(modalityOf(a));
    const rb = rank(modalityOf(b));
    if (ra !== rb) return ra - rb;
    const na = graph.series.get(a)?.seriesNumber ?? Number.MAX_SAFE_INTEGER;
    const nb = graph.series.get(b)?.seriesNumber ?? Number.MAX_SAFE_INTEGER;
    if (na !== nb) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  };

  // Frame-of-reference placement for derived series with no strong reference at all.
  const weakParents = new Map<string, Set<string>>();
  for (const link of graph.weakLinks) {
    for (const [child, parent] of [
      [link.a, link.b],
      [link.b, link.a],
    ] as const) {
      if (isDerived(modalityOf(child)) && !isDerived(modalityOf(parent)) && !graph.references.has(child)) {
        const set = weakParents.get(parent) ?? new Set<string>();
        set.add(child);
        weakParents.set(parent, set);
      }
    }
  }
  const weaklyPlaced = new Set([...weakParents.values()].flatMap((s) => [...s]));

  const reaches = reachability(graph);
  const childrenOf = (parent: string): { id: string; link: RtTreeLink }[] => {
    const kids: { id: string; link: RtTreeLink }[] = [];
    for (const child of graph.referencedBy.get(parent) ?? []) {
      const parents = graph.references.get(child) ?? new Set<string>();
      // Transitive reduction: skip when another parent of `child` itself reaches `parent`.
      const viaOther = [...parents].some((other) => other !== parent && reaches(other).has(parent));
      if (viaOther) continue;
      const edge = graph.edges.find((e) => e.from === child && e.to === parent);
      kids.push({ id: child, link: edge?.kind ?? 'root' });
    }
    for (const child of weakParents.get(parent) ?? []) kids.push({ id: child, link: 'frame-of-reference' });
    return kids.sort((x, y) => order(x.id, y.id));
  };

  const shown = new Set<string>();
  const build = (id: string, link: RtTreeLink, path: ReadonlySet<string>): RtTreeNode => {
    const repeated = shown.has(id);
    shown.add(id);
    const cycle = path.has(id);
    const inner = new Set(path).add(id);
    return {
      id,
      status: isMissingNodeId(id) ? 'missing' : 'present',
      modality: modalityOf(id),
      link,
      repeated,
      cycle,
      children: cycle ? [] : childrenOf(id).map((c) => build(c.id, c.link, inner)),
    };
  };

  const allIds = [...graph.series.keys(), ...graph.missing.keys()];
  const rootIds = allIds
    .filter((id) => (graph.references.get(id)?.size ?? 0) === 0 && !weaklyPlaced.has(id))
    .sort(order);
  const roots = rootIds.map((id) => build(id, 'root', new Set()));
  // Series only reachable through a reference cycle (malformed data) still get a row.
  for (const id of [...graph.series.keys()].sort(order)) {
    if (!shown.has(id)) roots.push(build(id, 'root', new Set()));
  }
  return roots;
}

function isDerived(modality: string): boolean {
  return DERIVED_MODALITIES.has(modality);
}

function rank(modality: string): number {
  const i = MODALITY_RANK.indexOf(modality);
  return i === -1 ? (isDerived(modality) ? MODALITY_RANK.length + 1 : MODALITY_RANK.length) : i;
}

/** Memoised set of nodes reachable from a node along strong references (excluding itself unless in a cycle). */
function reachability(graph: RtGraph): (id: string) => ReadonlySet<string> {
  const memo = new Map<string, Set<string>>();
  return (start: string) => {
    const cached = memo.get(start);
    if (cached !== undefined) return cached;
    const seen = new Set<string>();
    const stack = [...(graph.references.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const n of graph.references.get(next) ?? []) stack.push(n);
    }
    memo.set(start, seen);
    return seen;
  };
}
