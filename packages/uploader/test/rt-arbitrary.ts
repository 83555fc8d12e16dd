import fc from 'fast-check';
import type { InstanceReference, ReferenceKind, RtSeriesInput } from '../src/rt-graph.js';

const KINDS: readonly ReferenceKind[] = [
  'structure-set-image',
  'plan-structure-set',
  'dose-plan',
  'dose-structure-set',
  'image-plan',
  'plan-plan',
];
const MODALITIES = ['CT', 'MR', 'PT', 'RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE'] as const;

/**
 * Random drops of up to 8 series ('S0'..'S7', instances 'S0.1'...), each instance referencing
 * random targets by series UID, by instance UID or both, including UIDs absent from the drop
 * ('X…'), self references and cycles: the graph code must cope with all of them.
 */
export const arbitraryDrop: fc.Arbitrary<RtSeriesInput[]> = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc.array(
      fc.record({
        modality: fc.constantFrom(...MODALITIES),
        count: fc.integer({ min: 1, max: 3 }),
        frame: fc.option(fc.constantFrom('F1', 'F2'), { nil: undefined }),
        refs: fc.array(
          fc.record({
            kind: fc.constantFrom(...KINDS),
            target: fc.integer({ min: 0, max: n + 1 }),
            instance: fc.integer({ min: 1, max: 4 }),
            by: fc.constantFrom('series', 'instance', 'both'),
          }),
          { maxLength: 3 },
        ),
      }),
      { minLength: n, maxLength: n },
    ),
  )
  .map((specs) =>
    specs.map((spec, i) => {
      const uid = `S${i}`;
      const references: InstanceReference[] = spec.refs.map((r) => {
        const target = r.target < specs.length ? `S${r.target}` : `X${r.target}`;
        return {
          kind: r.kind,
          ...(r.by !== 'instance' ? { seriesInstanceUID: target } : {}),
          ...(r.by !== 'series' ? { sopInstanceUID: `${target}.${r.instance}` } : {}),
        };
      });
      return {
        seriesInstanceUID: uid,
        modality: spec.modality,
        instances: Array.from({ length: spec.count }, (_, k) => ({
          sopInstanceUID: `${uid}.${k + 1}`,
          sopClassUID: '1.2.3',
          ...(spec.frame === undefined ? {} : { frameOfReferenceUID: spec.frame }),
          references: k === 0 ? references : [],
        })),
      };
    }),
  );
