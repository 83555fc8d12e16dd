import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRtSet, type RtSetOptions, type RtSetUids, writeFiles } from '../../packages/uploader/test/rt-set.js';

/** A folder of generated files on disk, as a user would drop it. */
export interface RtDrop {
  readonly dir: string;
  /** Absolute paths of every file, the extra files last. */
  readonly files: string[];
  readonly uids: RtSetUids;
  remove(): Promise<void>;
}

/**
 * Writes a generated RT set (packages/uploader/test/rt-set.ts: CT slices ← RTSTRUCT ← RTPLAN ←
 * RTDOSE, plus an RTIMAGE) into a temp folder, with optional extra non-DICOM files by name.
 *
 * @example
 * const drop = await writeRtDrop({ sex: 'F' }, { 'notes.txt': 'not an image' });
 * await scan.addFiles(drop.files);
 * await drop.remove();
 */
export async function writeRtDrop(options: RtSetOptions = {}, extra: Record<string, string> = {}): Promise<RtDrop> {
  const dir = await mkdtemp(join(tmpdir(), 'courier-e2e-drop-'));
  const { files, uids } = generateRtSet(options);
  await writeFiles(dir, files);
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return {
    dir,
    files: [...files.map((f) => join(dir, f.path)), ...Object.keys(extra).map((name) => join(dir, name))],
    uids,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
