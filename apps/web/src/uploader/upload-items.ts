import { blobFileSource, type SeriesNode, type UploadItem } from '@courier/uploader';

/**
 * The engine's items for the selected series: each scanned instance with a Blob-backed source of
 * the dropped File it came from (matched by the path the scan recorded). Instances whose File is
 * not at hand (members of a dropped zip, which the engine cannot slice as a Blob) come back in
 * `missing` by their index, so the dialog can say so instead of uploading a partial study.
 *
 * @example
 * const { items, missing } = uploadItems(study.series, selected, filesByPath);
 */
export function uploadItems(
  series: readonly SeriesNode[],
  selected: ReadonlySet<string>,
  files: ReadonlyMap<string, File>,
): { items: UploadItem[]; missing: number[] } {
  const items: UploadItem[] = [];
  const missing: number[] = [];
  for (const s of series) {
    if (!selected.has(s.seriesInstanceUID)) continue;
    for (const record of s.instances) {
      const file = files.get(record.path);
      if (file === undefined) missing.push(items.length + missing.length);
      else items.push({ record, source: blobFileSource(file, record.path) });
    }
  }
  return { items, missing };
}
