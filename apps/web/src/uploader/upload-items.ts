import {
  blobFileSource,
  type FileSource,
  type InstanceRecord,
  type SeriesNode,
  type UploadItem,
  zipMemberSources,
} from '@courier/uploader';

/**
 * The scanned instances of the selected series, in table order.
 *
 * @example
 * const records = selectedRecords(study.series, new Set([ctSeriesUid]));
 */
export function selectedRecords(series: readonly SeriesNode[], selected: ReadonlySet<string>): InstanceRecord[] {
  return series.filter((s) => selected.has(s.seriesInstanceUID)).flatMap((s) => [...s.instances]);
}

/** The dropped file an instance is read from: its own File, or the zip archive it is a member of. */
function fileFor(path: string, files: ReadonlyMap<string, File>): string | undefined {
  if (files.has(path)) return path;
  for (const archivePath of files.keys()) if (path.startsWith(`${archivePath}/`)) return archivePath;
  return undefined;
}

/**
 * What the upload worker needs from the page, found without reading anything: the dropped Files
 * (handles) the records come from — a record's own File or its zip archive — and the indexes of
 * the records whose File is not at hand.
 *
 * @example
 * const { files: needed, missing } = filesForRecords(records, dropped);
 */
export function filesForRecords(
  records: readonly InstanceRecord[],
  files: ReadonlyMap<string, File>,
): { files: Map<string, File>; missing: number[] } {
  const needed = new Map<string, File>();
  const missing: number[] = [];
  records.forEach((record, index) => {
    const path = fileFor(record.path, files);
    const file = path === undefined ? undefined : files.get(path);
    if (path === undefined || file === undefined) missing.push(index);
    else needed.set(path, file);
  });
  return { files: needed, missing };
}

/**
 * The engine's items for these records: each instance with a source of the dropped File it came
 * from, matched by the path the scan recorded. A zip member ("export.zip/CT/1.dcm") is read again
 * through its archive's central directory (the scan ran in a worker, whose sources cannot be
 * posted back); the engine puts its bytes into the upload body. Records whose File is not at hand
 * come back in `missing` by their index, so the dialog can say so instead of uploading a partial
 * study.
 *
 * @example
 * const { items, missing } = await itemsOfRecords(records, filesByPath);
 */
export async function itemsOfRecords(
  records: readonly InstanceRecord[],
  files: ReadonlyMap<string, File>,
): Promise<{ items: UploadItem[]; missing: number[] }> {
  const items: UploadItem[] = [];
  const missing: number[] = [];
  const archives = new Map<string, Map<string, FileSource>>();
  const memberOf = async (path: string): Promise<FileSource | undefined> => {
    for (const [archivePath, file] of files) {
      if (!path.startsWith(`${archivePath}/`)) continue;
      let members = archives.get(archivePath);
      if (members === undefined) {
        const list = await zipMemberSources(blobFileSource(file, archivePath)).catch(() => []);
        members = new Map(list.map((m) => [m.path, m]));
        archives.set(archivePath, members);
      }
      return members.get(path);
    }
    return undefined;
  };
  for (const [index, record] of records.entries()) {
    const file = files.get(record.path);
    const source = file === undefined ? await memberOf(record.path) : blobFileSource(file, record.path);
    if (source === undefined) missing.push(index);
    else items.push({ record, source });
  }
  return { items, missing };
}

/**
 * {@link itemsOfRecords} for the selected series.
 *
 * @example
 * const { items, missing } = await uploadItems(study.series, selected, filesByPath);
 */
export function uploadItems(
  series: readonly SeriesNode[],
  selected: ReadonlySet<string>,
  files: ReadonlyMap<string, File>,
): Promise<{ items: UploadItem[]; missing: number[] }> {
  return itemsOfRecords(selectedRecords(series, selected), files);
}
