import { blobFileSource, type ScanProgress, type ScanResult, scanFiles, workerPoolScanFile } from '@courier/uploader';

/** A dropped or picked file with its path inside the dropped folder. */
export interface DroppedFile {
  file: File;
  path: string;
}

/** Workers for header parsing: the cores minus one for the page, at least one, at most four. */
export function workerCount(): number {
  return Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
}

/**
 * Scans dropped files with @courier/uploader's scanFiles, parsing headers in a pool of module
 * workers; only prefixes of each file are read (Blob slices), never whole images. The workers end
 * with the scan.
 *
 * @example
 * const result = await runScan(files, (p) => dispatch({ type: 'progress', progress: p }), controller.signal);
 */
export async function runScan(
  files: readonly DroppedFile[],
  onProgress: (progress: ScanProgress) => void,
  signal: AbortSignal,
): Promise<ScanResult> {
  const workers = Array.from(
    { length: workerCount() },
    () => new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module', name: 'courier-scan' }),
  );
  try {
    return await scanFiles(
      files.map((f) => blobFileSource(f.file, f.path)),
      { concurrency: 8, scanFile: workerPoolScanFile(workers), onProgress, signal },
    );
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
