import { sopClassName } from '@courier/dicom';
import type { RtAttributes } from './instance-record.js';
import type { SeriesNode } from './study-tree.js';

/**
 * What the "Details" popup shows for one series. Values are taken from the first instance that has
 * them (instances are sorted by Instance Number), except lists, which gather every instance.
 *
 * @example
 * const d = seriesDetails(series);
 * `${d.modality} ${d.description ?? ''}: ${d.instanceCount} files, ${d.totalSize} bytes`;
 */
export interface SeriesDetails {
  readonly seriesInstanceUID: string;
  readonly studyInstanceUID: string;
  readonly modality: string;
  readonly seriesNumber?: number;
  readonly description?: string;
  /** Series Date/Time (0008,0021/0031), else Study Date/Time (0008,0020/0030). */
  readonly date?: string;
  readonly time?: string;
  readonly instanceCount: number;
  readonly totalSize: number;
  /** Names of the SOP classes (PS3.4 B.5), e.g. ["CT Image Storage"]; the UID when unknown. */
  readonly sopClassNames: readonly string[];
  readonly transferSyntaxUIDs: readonly string[];
  readonly bodyPartExamined?: string;
  readonly manufacturer?: string;
  readonly manufacturerModelName?: string;
  /** Distinct reader warning codes of the instances (e.g. DICOM_NO_META), empty when none. */
  readonly readerWarnings: readonly string[];
  /** RT objects: the first instance's RT attributes plus every instance's labels and the ROI count. */
  readonly rt?: RtDetails;
}

/**
 * RT attributes of a series for the popup.
 *
 * @example
 * seriesDetails(rtstruct).rt?.roiCount; // 2
 */
export interface RtDetails extends RtAttributes {
  /** Distinct labels of all instances (an RTIMAGE series has one per image). */
  readonly labels: readonly string[];
  /** Number of ROIs of an RTSTRUCT (Structure Set ROI Sequence items). */
  readonly roiCount?: number;
}

/**
 * The Details popup's view of a series.
 *
 * @example
 * seriesDetails(rtplanSeries).rt?.approvalStatus; // 'APPROVED'
 */
export function seriesDetails(series: SeriesNode): SeriesDetails {
  const first = <T>(pick: (i: SeriesNode['instances'][number]) => T | undefined): T | undefined => {
    for (const i of series.instances) {
      const v = pick(i);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const description = first((i) => i.seriesAttributes.seriesDescription);
  const seriesDate = first((i) => i.seriesAttributes.seriesDate);
  const date = seriesDate ?? first((i) => i.study.studyDate);
  const time = seriesDate !== undefined ? first((i) => i.seriesAttributes.seriesTime) : first((i) => i.study.studyTime);
  const bodyPartExamined = first((i) => i.seriesAttributes.bodyPartExamined);
  const manufacturer = first((i) => i.seriesAttributes.manufacturer);
  const manufacturerModelName = first((i) => i.seriesAttributes.manufacturerModelName);
  const rtFirst = first((i) => i.rt);
  const distinct = (values: (string | undefined)[]): string[] =>
    [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    seriesInstanceUID: series.seriesInstanceUID,
    studyInstanceUID: series.studyInstanceUID,
    modality: series.modality,
    ...(series.seriesNumber === undefined ? {} : { seriesNumber: series.seriesNumber }),
    ...(description === undefined ? {} : { description }),
    ...(date === undefined ? {} : { date }),
    ...(time === undefined ? {} : { time }),
    instanceCount: series.instances.length,
    totalSize: series.totalSize,
    sopClassNames: distinct(series.instances.map((i) => sopClassName(i.sopClassUID) ?? i.sopClassUID)),
    transferSyntaxUIDs: distinct(series.instances.map((i) => i.transferSyntaxUID || undefined)),
    readerWarnings: distinct(series.instances.flatMap((i) => i.readerWarnings ?? [])),
    ...(bodyPartExamined === undefined ? {} : { bodyPartExamined }),
    ...(manufacturer === undefined ? {} : { manufacturer }),
    ...(manufacturerModelName === undefined ? {} : { manufacturerModelName }),
    ...(rtFirst === undefined
      ? {}
      : {
          rt: {
            ...rtFirst,
            labels: distinct(series.instances.map((i) => i.rt?.label)),
            ...(rtFirst.roiNames === undefined ? {} : { roiCount: rtFirst.roiNames.length }),
          },
        }),
  };
}
