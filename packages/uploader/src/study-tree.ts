import type { InstanceRecord } from './instance-record.js';
import type { RtSeriesInput } from './rt-graph.js';
import { modalityOfSopClass } from './sop-class-modality.js';

/**
 * One DICOM series of a drop: its instances sorted by Instance Number (then SOP Instance UID).
 * Fits `RtSeriesInput`, so a study's series go straight into `buildRtGraph`.
 *
 * @example
 * buildRtGraph(studies[0].series); // series nodes are RT graph input
 */
export interface SeriesNode extends RtSeriesInput {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  /** Modality (0008,0060) of the first instance that has one, else the SOP class's, else "OT". */
  readonly modality: string;
  readonly seriesNumber?: number;
  readonly instances: readonly InstanceRecord[];
  /** Sum of the instances' file sizes in bytes. */
  readonly totalSize: number;
}

/**
 * One DICOM study of a drop: its series sorted by Series Number, then modality, then UID.
 *
 * @example
 * studies.map((s) => `${s.studyInstanceUID}: ${s.series.length} series, ${s.instanceCount} files`);
 */
export interface StudyNode {
  readonly studyInstanceUID: string;
  readonly series: readonly SeriesNode[];
  readonly instanceCount: number;
  readonly totalSize: number;
}

/**
 * Groups instances into studies → series → instances (Study Instance UID (0020,000D), Series
 * Instance UID (0020,000E), PS3.3 C.7.2.1 / C.7.3.1). Studies are sorted by Study Date then UID.
 * The input order does not matter.
 *
 * @example
 * const studies = buildStudyTree(result.instances);
 * studies.length > 1; // the Uploader asks the user to pick one study
 */
export function buildStudyTree(instances: readonly InstanceRecord[]): StudyNode[] {
  const studies = new Map<string, Map<string, InstanceRecord[]>>();
  for (const instance of instances) {
    let seriesMap = studies.get(instance.studyInstanceUID);
    if (seriesMap === undefined) {
      seriesMap = new Map();
      studies.set(instance.studyInstanceUID, seriesMap);
    }
    const list = seriesMap.get(instance.seriesInstanceUID);
    if (list === undefined) seriesMap.set(instance.seriesInstanceUID, [instance]);
    else list.push(instance);
  }

  const result: StudyNode[] = [];
  for (const [studyInstanceUID, seriesMap] of studies) {
    const series = [...seriesMap.entries()].map(([seriesInstanceUID, list]) =>
      seriesNode(studyInstanceUID, seriesInstanceUID, list),
    );
    series.sort(
      (a, b) =>
        (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) ||
        compare(a.modality, b.modality) ||
        compare(a.seriesInstanceUID, b.seriesInstanceUID),
    );
    result.push({
      studyInstanceUID,
      series,
      instanceCount: series.reduce((n, s) => n + s.instances.length, 0),
      totalSize: series.reduce((n, s) => n + s.totalSize, 0),
    });
  }
  const dateOf = (s: StudyNode): string => s.series[0]?.instances[0]?.study.studyDate ?? '';
  return result.sort((a, b) => compare(dateOf(a), dateOf(b)) || compare(a.studyInstanceUID, b.studyInstanceUID));
}

function seriesNode(studyInstanceUID: string, seriesInstanceUID: string, list: InstanceRecord[]): SeriesNode {
  const instances = [...list].sort(
    (a, b) =>
      (a.instanceNumber ?? Number.MAX_SAFE_INTEGER) - (b.instanceNumber ?? Number.MAX_SAFE_INTEGER) ||
      compare(a.sopInstanceUID, b.sopInstanceUID),
  );
  // Modality (0008,0060) is Type 1, but when every instance lacks it the SOP class still tells.
  const modality =
    instances.find((i) => i.modality !== undefined)?.modality ?? modalityOfSopClass(instances[0]?.sopClassUID) ?? 'OT';
  const seriesNumber = instances.find((i) => i.seriesAttributes.seriesNumber !== undefined)?.seriesAttributes
    .seriesNumber;
  return {
    studyInstanceUID,
    seriesInstanceUID,
    modality,
    ...(seriesNumber === undefined ? {} : { seriesNumber }),
    instances,
    totalSize: instances.reduce((n, i) => n + i.size, 0),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
