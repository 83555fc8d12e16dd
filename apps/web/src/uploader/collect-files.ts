import type { DroppedFile } from './run-scan.js';

// Minimal typings of the File and Directory Entries API (not in TypeScript's DOM lib as used here).
interface EntryBase {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntry extends EntryBase {
  file(success: (file: File) => void, failure: (error: unknown) => void): void;
}
interface DirectoryEntry extends EntryBase {
  createReader(): { readEntries(success: (entries: EntryBase[]) => void, failure: (error: unknown) => void): void };
}

async function walk(entry: EntryBase, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as DirectoryEntry).createReader();
  // readEntries answers in chunks (100 in Chromium) until it returns an empty list.
  for (;;) {
    const chunk = await new Promise<EntryBase[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await walk(child, out);
  }
}

/**
 * The files of a drop: folders are walked recursively, plain files taken as they are.
 *
 * @example
 * const files = await filesFromDrop(event.dataTransfer);
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  const entries: EntryBase[] = [];
  for (const item of Array.from(transfer.items)) {
    const entry = (item as unknown as { webkitGetAsEntry?: () => EntryBase | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) return filesFromInput(transfer.files);
  for (const entry of entries) await walk(entry, out);
  return out;
}

/**
 * The files of an `<input type="file">` (with `webkitdirectory` they carry their relative path).
 *
 * @example
 * const files = filesFromInput(input.files);
 */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}
