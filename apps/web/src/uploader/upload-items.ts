import { blobFileSource, type FileSource, type SeriesNode, type UploadItem, zipMemberSources } from '@courier/uploader';

/**
 * The engine's items for the selected series: each scanned instance with a source of the dropped
 * File it came from, matched by the path the scan recorded. A zip member ("export.zip/CT/1.dcm")
 * is read again through its archive's central directory (the scan ran in a worker, whose sources
 * cannot be posted back); the engine puts its bytes into the upload body. Instances whose File is
 * not at hand come back in `missing` by their index, so the dialog can say so instead of uploading
 * a partial study.
 *
 * @example
 * const { items, missing } = await uploadItems(study.series, selected, filesByPath);
 */
export async function uploadItems(
  series: readonly SeriesNode[],
  selected: ReadonlySet<string>,
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
  for (const s of series) {
    if (!selected.has(s.seriesInstanceUID)) continue;
    for (const record of s.instances) {
      const file = files.get(record.path);
      const source = file === undefined ? await memberOf(record.path) : blobFileSource(file, record.path);
      if (source === undefined) missing.push(items.length + missing.length);
      else items.push({ record, source });
    }
  }
  return { items, missing };
}
