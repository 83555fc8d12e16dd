import { modalityOfSopClass } from './sop-class-modality.js';

/**
 * How one instance refers to another object, named after the module that carries the reference
 * (PS3.3 C.8.8 RT modules, C.20.2 Spatial Registration, C.8.20 Segmentation).
 *
 * @example
 * const kind: ReferenceKind = 'dose-plan';
 */
export type ReferenceKind =
  /** RTSTRUCT → image series: Referenced Frame of Reference Sequence (3006,0010) → RT Referenced Study
   * (3006,0012) → RT Referenced Series (3006,0014) → Contour Image Sequence (3006,0016); PS3.3 C.8.8.5. */
  | 'structure-set-image'
  /** RTPLAN / RT Ion Plan → RTSTRUCT: Referenced Structure Set Sequence (300C,0060); PS3.3 C.8.8.9. */
  | 'plan-structure-set'
  /** RTPLAN → RTPLAN: Referenced RT Plan Sequence (300C,0002) in a plan (verification, continuation). */
  | 'plan-plan'
  /** RTDOSE → RTPLAN: Referenced RT Plan Sequence (300C,0002); PS3.3 C.8.8.3. */
  | 'dose-plan'
  /** RTDOSE → RTSTRUCT: Referenced Structure Set Sequence (300C,0060), when present; PS3.3 C.8.8.3. */
  | 'dose-structure-set'
  /** RTIMAGE → RTPLAN: Referenced RT Plan Sequence (300C,0002); PS3.3 C.8.8.2. */
  | 'image-plan'
  /** RT Beams / Ion Beams / Brachy treatment records → RTPLAN (300C,0002); PS3.3 C.8.8.21. */
  | 'record-plan'
  /** REG → registered image series: Referenced Series Sequence (0008,1115) etc.; PS3.3 C.20.2, C.12.2. */
  | 'registration-image'
  /** SEG → segmented image series: Referenced Series Sequence (0008,1115); PS3.3 C.8.20, C.12.2. */
  | 'segmentation-image';

/**
 * One reference found in an instance's header, as plain data. At least one of the series or
 * SOP instance UIDs is set; the instance UID wins when both are known and the instance is present.
 *
 * @example
 * const ref: InstanceReference = { kind: 'dose-plan', sopClassUID: '1.2.840.10008.5.1.4.1.1.481.5', sopInstanceUID: '1.2.3' };
 */
export interface InstanceReference {
  readonly kind: ReferenceKind;
  readonly studyInstanceUID?: string;
  readonly seriesInstanceUID?: string;
  readonly sopClassUID?: string;
  readonly sopInstanceUID?: string;
}

/**
 * The part of an instance the RT graph needs.
 *
 * @example
 * const i: RtInstanceInput = { sopInstanceUID: '1.2.3.1', sopClassUID: '1.2.840.10008.5.1.4.1.1.481.2', references: [] };
 */
export interface RtInstanceInput {
  readonly sopInstanceUID: string;
  readonly sopClassUID: string;
  readonly frameOfReferenceUID?: string;
  readonly references: readonly InstanceReference[];
}

/**
 * The part of a series the RT graph needs (a `SeriesNode` of study-tree.ts fits).
 *
 * @example
 * const ct: RtSeriesInput = { seriesInstanceUID: '1.2.1', modality: 'CT', instances: [{ sopInstanceUID: '1.2.1.1', sopClassUID: CT, references: [] }] };
 */
export interface RtSeriesInput {
  readonly seriesInstanceUID: string;
  readonly modality: string;
  readonly seriesNumber?: number;
  readonly instances: readonly RtInstanceInput[];
}

/**
 * A reference edge from a present series to a present series or to a missing node.
 *
 * @example
 * graph.edges.find((e) => e.kind === 'dose-plan')?.fromInstances; // the RTDOSE instances naming the plan
 */
export interface RtEdge {
  /** Series Instance UID of the referring series. */
  readonly from: string;
  /** Node id of the referenced object: a present Series Instance UID, or a `MissingNode.id`. */
  readonly to: string;
  readonly kind: ReferenceKind;
  /** SOP Instance UIDs of `from` that carry this reference. */
  readonly fromInstances: readonly string[];
  /** Referenced SOP Instance UIDs named by the references (empty when only the series was named). */
  readonly toInstances: readonly string[];
  /** Referenced instances absent from the drop although their series is present (a partial series). */
  readonly missingInstances: readonly string[];
}

/**
 * A referenced object that is not in the drop: the set is incomplete.
 *
 * @example
 * graph.missing.get('missing-instance:1.2.3')?.expectedModality; // 'RTPLAN'
 */
export interface MissingNode {
  /** `missing-series:<Series Instance UID>` or, when only instances were named, `missing-instance:<SOP Instance UID>`. */
  readonly id: string;
  readonly seriesInstanceUID?: string;
  readonly studyInstanceUID?: string;
  readonly sopInstanceUIDs: readonly string[];
  /** What it should be, from the reference kind or the Referenced SOP Class UID ("IMAGE" when unknown). */
  readonly expectedModality: string;
  /** Present series that reference it. */
  readonly referencedBy: readonly string[];
}

/**
 * Two series in the same Frame of Reference (0020,0052) without a direct reference: a weaker link.
 *
 * @example
 * graph.weakLinks; // [{ a: ctUID, b: doseUID, frameOfReferenceUID: '1.2.9' }]
 */
export interface WeakLink {
  readonly a: string;
  readonly b: string;
  readonly frameOfReferenceUID: string;
}

/**
 * The reference graph between the series of a drop. Strong edges come from explicit references;
 * weak links from a shared Frame of Reference UID. Maps are keyed by node id.
 *
 * @example
 * const graph = buildRtGraph(series);
 * graph.references.get(rtDoseSeriesUID); // Set { rtPlanSeriesUID }
 */
export interface RtGraph {
  readonly series: ReadonlyMap<string, RtSeriesInput>;
  readonly edges: readonly RtEdge[];
  readonly missing: ReadonlyMap<string, MissingNode>;
  readonly weakLinks: readonly WeakLink[];
  /** node id → node ids it references directly (strong edges only). */
  readonly references: ReadonlyMap<string, ReadonlySet<string>>;
  /** node id → present series that reference it directly. */
  readonly referencedBy: ReadonlyMap<string, ReadonlySet<string>>;
}

const EXPECTED_MODALITY: Readonly<Record<ReferenceKind, string>> = {
  'structure-set-image': 'IMAGE',
  'plan-structure-set': 'RTSTRUCT',
  'plan-plan': 'RTPLAN',
  'dose-plan': 'RTPLAN',
  'dose-structure-set': 'RTSTRUCT',
  'image-plan': 'RTPLAN',
  'record-plan': 'RTPLAN',
  'registration-image': 'IMAGE',
  'segmentation-image': 'IMAGE',
};

interface EdgeDraft {
  from: string;
  to: string;
  kind: ReferenceKind;
  fromInstances: Set<string>;
  toInstances: Set<string>;
  missingInstances: Set<string>;
}

interface MissingDraft {
  id: string;
  seriesInstanceUID?: string;
  studyInstanceUID?: string;
  sopInstanceUIDs: Set<string>;
  /** Modalities named by Referenced SOP Class UIDs, then by reference kinds: the first sorted one wins. */
  byClass: Set<string>;
  byKind: Set<string>;
  referencedBy: Set<string>;
}

/**
 * Builds the reference graph of a drop. A reference resolves by SOP Instance UID when that
 * instance is present, else by Series Instance UID when that series is present (the instance is
 * then listed in `missingInstances`), else to a missing node. References of a series to itself
 * are dropped. Pure: same input, same output (edges sorted).
 *
 * @example
 * const graph = buildRtGraph([ct, rtstruct, rtplan, rtdose]);
 * graph.missing.size; // 0 when the set is complete
 */
export function buildRtGraph(series: readonly RtSeriesInput[]): RtGraph {
  const bySeries = new Map<string, RtSeriesInput>();
  // Only instances that some reference names are looked up: a map of every instance of a
  // 100,000-file drop would cost ~10 MB for the few hundred UIDs an RTSTRUCT names.
  const named = new Set<string>();
  for (const s of series) {
    bySeries.set(s.seriesInstanceUID, s);
    for (const i of s.instances) for (const ref of i.references) if (ref.sopInstanceUID) named.add(ref.sopInstanceUID);
  }
  const seriesOfInstance = new Map<string, string>();
  for (const s of series) {
    for (const i of s.instances)
      if (named.has(i.sopInstanceUID)) seriesOfInstance.set(i.sopInstanceUID, s.seriesInstanceUID);
  }
  const edges = new Map<string, EdgeDraft>();
  const missing = new Map<string, MissingDraft>();

  for (const s of series) {
    for (const instance of s.instances) {
      for (const ref of instance.references) {
        const target = resolve(ref, bySeries, seriesOfInstance);
        if (target === undefined || target.to === s.seriesInstanceUID) continue;
        if (target.missing) {
          const draft = missing.get(target.to) ?? {
            id: target.to,
            ...(ref.seriesInstanceUID === undefined ? {} : { seriesInstanceUID: ref.seriesInstanceUID }),
            sopInstanceUIDs: new Set<string>(),
            byClass: new Set<string>(),
            byKind: new Set<string>(),
            referencedBy: new Set<string>(),
          };
          if (ref.sopInstanceUID !== undefined) draft.sopInstanceUIDs.add(ref.sopInstanceUID);
          const byClass = modalityOfSopClass(ref.sopClassUID);
          if (byClass !== undefined) draft.byClass.add(byClass);
          draft.byKind.add(EXPECTED_MODALITY[ref.kind]);
          const study = ref.studyInstanceUID;
          if (study !== undefined && (draft.studyInstanceUID === undefined || study < draft.studyInstanceUID)) {
            draft.studyInstanceUID = study;
          }
          draft.referencedBy.add(s.seriesInstanceUID);
          missing.set(target.to, draft);
        }
        const key = `${s.seriesInstanceUID}\u0000${target.to}\u0000${ref.kind}`;
        const edge = edges.get(key) ?? {
          from: s.seriesInstanceUID,
          to: target.to,
          kind: ref.kind,
          fromInstances: new Set<string>(),
          toInstances: new Set<string>(),
          missingInstances: new Set<string>(),
        };
        edge.fromInstances.add(instance.sopInstanceUID);
        if (ref.sopInstanceUID !== undefined) {
          edge.toInstances.add(ref.sopInstanceUID);
          if (!target.missing && !seriesOfInstance.has(ref.sopInstanceUID))
            edge.missingInstances.add(ref.sopInstanceUID);
        }
        edges.set(key, edge);
      }
    }
  }

  const finalEdges: RtEdge[] = [...edges.values()]
    .map((e) => ({
      from: e.from,
      to: e.to,
      kind: e.kind,
      fromInstances: [...e.fromInstances].sort(),
      toInstances: [...e.toInstances].sort(),
      missingInstances: [...e.missingInstances].sort(),
    }))
    .sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to) || compare(x.kind, y.kind));

  const references = new Map<string, Set<string>>();
  const referencedBy = new Map<string, Set<string>>();
  for (const e of finalEdges) {
    addTo(references, e.from, e.to);
    addTo(referencedBy, e.to, e.from);
  }

  const finalMissing = new Map<string, MissingNode>();
  for (const id of [...missing.keys()].sort()) {
    const m = missing.get(id)!;
    const specific = [...m.byClass].sort()[0] ?? [...m.byKind].filter((x) => x !== 'IMAGE').sort()[0];
    finalMissing.set(id, {
      id,
      ...(m.seriesInstanceUID === undefined ? {} : { seriesInstanceUID: m.seriesInstanceUID }),
      ...(m.studyInstanceUID === undefined ? {} : { studyInstanceUID: m.studyInstanceUID }),
      expectedModality: specific ?? 'IMAGE',
      sopInstanceUIDs: [...m.sopInstanceUIDs].sort(),
      referencedBy: [...m.referencedBy].sort(),
    });
  }

  return {
    series: bySeries,
    edges: finalEdges,
    missing: finalMissing,
    weakLinks: weakLinksOf(series, references),
    references,
    referencedBy,
  };
}

/**
 * True when `id` names a missing node rather than a present series.
 *
 * @example
 * isMissingNodeId('missing-series:1.2.3'); // true
 */
export function isMissingNodeId(id: string): boolean {
  return id.startsWith('missing-series:') || id.startsWith('missing-instance:');
}

function resolve(
  ref: InstanceReference,
  bySeries: ReadonlyMap<string, RtSeriesInput>,
  seriesOfInstance: ReadonlyMap<string, string>,
): { to: string; missing: boolean } | undefined {
  const viaInstance = ref.sopInstanceUID === undefined ? undefined : seriesOfInstance.get(ref.sopInstanceUID);
  if (viaInstance !== undefined) return { to: viaInstance, missing: false };
  if (ref.seriesInstanceUID !== undefined && bySeries.has(ref.seriesInstanceUID)) {
    return { to: ref.seriesInstanceUID, missing: false };
  }
  if (ref.seriesInstanceUID !== undefined) return { to: `missing-series:${ref.seriesInstanceUID}`, missing: true };
  if (ref.sopInstanceUID !== undefined) return { to: `missing-instance:${ref.sopInstanceUID}`, missing: true };
  return undefined;
}

/** Pairs of series sharing a Frame of Reference UID (PS3.3 C.7.4.1) with no strong edge between them. */
function weakLinksOf(
  series: readonly RtSeriesInput[],
  references: ReadonlyMap<string, ReadonlySet<string>>,
): WeakLink[] {
  const byFrame = new Map<string, Set<string>>();
  for (const s of series) {
    for (const i of s.instances) {
      if (i.frameOfReferenceUID !== undefined && i.frameOfReferenceUID !== '') {
        addTo(byFrame, i.frameOfReferenceUID, s.seriesInstanceUID);
      }
    }
  }
  const links: WeakLink[] = [];
  for (const [frameOfReferenceUID, members] of byFrame) {
    const sorted = [...members].sort();
    for (let x = 0; x < sorted.length; x++) {
      for (let y = x + 1; y < sorted.length; y++) {
        const a = sorted[x]!;
        const b = sorted[y]!;
        if (references.get(a)?.has(b) || references.get(b)?.has(a)) continue;
        links.push({ a, b, frameOfReferenceUID });
      }
    }
  }
  return links.sort(
    (p, q) => compare(p.a, q.a) || compare(p.b, q.b) || compare(p.frameOfReferenceUID, q.frameOfReferenceUID),
  );
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([value]));
  else set.add(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
