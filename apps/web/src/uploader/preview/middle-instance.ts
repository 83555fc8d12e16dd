import type { InstanceRecord, SeriesNode } from '@courier/uploader';

/**
 * Modalities whose objects carry no image to preview (PS3.3 C.7.3.1.1.1): structure sets, plans,
 * treatment records, reports, key objects, presentation states, registrations.
 */
const NON_IMAGE_MODALITIES: ReadonlySet<string> = new Set([
  'RTSTRUCT',
  'RTPLAN',
  'RTRECORD',
  'SR',
  'KO',
  'PR',
  'REG',
  'FID',
  'DOC',
  'RWV',
]);

/**
 * True when a series may hold pixel data worth a preview.
 *
 * @example
 * hasPreview(ctSeries); // true; an RTSTRUCT series: false
 */
export function hasPreview(series: SeriesNode): boolean {
  return !NON_IMAGE_MODALITIES.has(series.modality.toUpperCase());
}

/**
 * The middle instance of a series in Instance Number order (0020,0013; the file path breaks ties
 * and orders instances without a number), which for an axial CT/MR stack is the middle slice.
 *
 * @example
 * middleInstance(series)?.path; // "CT/CT000011.dcm" of 21 slices
 */
export function middleInstance(series: SeriesNode): InstanceRecord | undefined {
  const sorted = [...series.instances].sort(
    (a, b) =>
      (a.instanceNumber ?? Number.MAX_SAFE_INTEGER) - (b.instanceNumber ?? Number.MAX_SAFE_INTEGER) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
