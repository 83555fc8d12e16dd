import type { InstanceReference, RtSeriesInput } from '../src/rt-graph.js';

/** SOP Class UIDs used by the plain-data fixtures (PS3.4 B.5). */
export const SOP = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  mr: '1.2.840.10008.5.1.4.1.1.4',
  rtImage: '1.2.840.10008.5.1.4.1.1.481.1',
  rtDose: '1.2.840.10008.5.1.4.1.1.481.2',
  rtStruct: '1.2.840.10008.5.1.4.1.1.481.3',
  rtPlan: '1.2.840.10008.5.1.4.1.1.481.5',
  rtIonPlan: '1.2.840.10008.5.1.4.1.1.481.8',
  sc: '1.2.840.10008.5.1.4.1.1.7',
} as const;

/** A series of `count` instances named `<uid>.<n>`, all in frame of reference `frame`, each with `refs`. */
export function series(
  uid: string,
  modality: string,
  options: { count?: number; frame?: string; refs?: InstanceReference[]; sopClassUID?: string } = {},
): RtSeriesInput {
  const count = options.count ?? 1;
  return {
    seriesInstanceUID: uid,
    modality,
    instances: Array.from({ length: count }, (_, n) => ({
      sopInstanceUID: `${uid}.${n + 1}`,
      sopClassUID: options.sopClassUID ?? SOP.ct,
      ...(options.frame === undefined ? {} : { frameOfReferenceUID: options.frame }),
      references: options.refs ?? [],
    })),
  };
}

/** A complete RT set: CT (3 slices) ← RTSTRUCT ← RTPLAN ← RTDOSE (also → RTSTRUCT) and RTIMAGE. */
export function completeRtSet(): RtSeriesInput[] {
  return [
    series('1.1', 'CT', { count: 3, frame: 'F1' }),
    series('1.2', 'RTSTRUCT', {
      frame: 'F1',
      sopClassUID: SOP.rtStruct,
      refs: [1, 2, 3].map((n) => ({
        kind: 'structure-set-image' as const,
        seriesInstanceUID: '1.1',
        sopClassUID: SOP.ct,
        sopInstanceUID: `1.1.${n}`,
      })),
    }),
    series('1.3', 'RTPLAN', {
      frame: 'F1',
      sopClassUID: SOP.rtPlan,
      refs: [{ kind: 'plan-structure-set', sopClassUID: SOP.rtStruct, sopInstanceUID: '1.2.1' }],
    }),
    series('1.4', 'RTDOSE', {
      frame: 'F1',
      sopClassUID: SOP.rtDose,
      refs: [
        { kind: 'dose-plan', sopClassUID: SOP.rtPlan, sopInstanceUID: '1.3.1' },
        { kind: 'dose-structure-set', sopClassUID: SOP.rtStruct, sopInstanceUID: '1.2.1' },
      ],
    }),
    series('1.5', 'RTIMAGE', {
      count: 2,
      sopClassUID: SOP.rtImage,
      refs: [{ kind: 'image-plan', sopClassUID: SOP.rtPlan, sopInstanceUID: '1.3.1' }],
    }),
  ];
}
