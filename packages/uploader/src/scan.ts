import { UploaderError } from './errors.js';
import type { FileSource } from './file-source.js';
import { type IgnoredFile, ignoredFile } from './ignored-reasons.js';
import type { InstanceRecord } from './instance-record.js';
import { plainRecord, RecordInterner } from './record-interner.js';
import { DEFAULT_PREFIX_BYTES, type FileScanOutcome, type ScanFileLimits, scanFile } from './scan-file.js';
import { buildStudyTree, type StudyNode } from './study-tree.js';
import { zipMemberSources } from './zip-source.js';

/**
 * How to scan.
 *
 * @example
 * await scanFiles(sources, { concurrency: 4, signal: controller.signal, onProgress: (p) => bar.set(p.filesRead / p.total) });
 */
export interface ScanOptions {
  /** Files read at the same time (default 4). Memory ≈ concurrency × prefixBytes for ordinary files. */
  readonly concurrency?: number;
  /** Bytes read first from each file (default 64 KiB); more only when the header is longer. */
  readonly prefixBytes?: number;
  /** Largest header accepted (default 256 MiB): an RTSTRUCT's contours are part of its header. */
  readonly maxHeaderBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  /**
   * Scans one file; default `scanFile` in this thread. The browser passes one that posts the File
   * to a Web Worker running `scanFile` there (outcomes are structured-cloneable), falling back to
   * `scanFile` for sources it cannot post (zip members).
   */
  readonly scanFile?: (source: FileSource, limits: ScanFileLimits) => Promise<FileScanOutcome>;
}

/**
 * Progress after each file. `total` grows when a zip archive's members are discovered.
 *
 * @example
 * onProgress: ({ filesRead, total }) => (bar.value = filesRead / total)
 */
export interface ScanProgress {
  readonly filesRead: number;
  readonly total: number;
  readonly instances: number;
  readonly ignored: number;
}

/**
 * The outcome of a scan: every input file is either an instance or ignored with a reason, except
 * exact copies of a file already seen (counted in `sameFileSkipped`) and zip archives, whose members
 * are listed instead (`archives`).
 *
 * @example
 * const { studies, ignored, sameFileSkipped } = await scanFiles(sources);
 */
export interface ScanResult {
  readonly studies: readonly StudyNode[];
  /** All instances, sorted by path. */
  readonly instances: readonly InstanceRecord[];
  /** Ignored files, sorted by path. */
  readonly ignored: readonly IgnoredFile[];
  /** Files that were byte-identical copies of another file with the same SOP Instance UID. */
  readonly sameFileSkipped: number;
  /** Paths of the zip archives whose members were scanned. */
  readonly archives: readonly string[];
}

/**
 * A scan result in a form structured clone (postMessage) carries whole: plain records (see
 * `plainRecord`; their shared sub-objects stay shared through the clone) and no study tree, which
 * `restoreScanResult` rebuilds on the other side.
 *
 * @example
 * postMessage({ type: 'done', result: portableScanResult(result) });
 */
export interface PortableScanResult {
  readonly instances: readonly InstanceRecord[];
  readonly ignored: readonly IgnoredFile[];
  readonly sameFileSkipped: number;
  readonly archives: readonly string[];
}

/**
 * The result as a worker posts it to the page: compact records (record-interner.ts) keep shared
 * fields on their prototype, which structured clone would drop.
 *
 * @example
 * scope.postMessage({ type: 'done', result: portableScanResult(await scanFiles(sources)) });
 */
export function portableScanResult(result: ScanResult): PortableScanResult {
  return {
    instances: result.instances.map(plainRecord),
    ignored: result.ignored,
    sameFileSkipped: result.sameFileSkipped,
    archives: result.archives,
  };
}

/**
 * The scan result again from its portable form: compact records and the study tree.
 *
 * @example
 * const result = restoreScanResult(reply.result); // on the page, from the scan worker
 */
export function restoreScanResult(portable: PortableScanResult): ScanResult {
  const interner = new RecordInterner();
  const instances = portable.instances.map((r) => interner.record(r));
  return {
    studies: buildStudyTree(instances),
    instances,
    ignored: portable.ignored,
    sameFileSkipped: portable.sameFileSkipped,
    archives: portable.archives,
  };
}

const DEFAULT_CONCURRENCY = 4;

type Outcome =
  | { kind: 'instance'; record: InstanceRecord; fingerprint: string; source: FileSource }
  | { kind: 'ignored'; ignored: IgnoredFile }
  | { kind: 'archive'; path: string; members: FileSource[] };

/**
 * Scans files into studies → series → instances. Reads a prefix of each file, parses the header
 * with @courier/dicom's readHeader (reading more only when it asks), extracts the attributes into
 * plain objects and drops the bytes. At most `concurrency` files are in flight. Zip archives are
 * opened and their members scanned like files. Cancelling the signal rejects with
 * UPLOADER_SCAN_ABORTED.
 *
 * @example
 * const result = await scanFiles(await listFileSources('/media/cdrom'));
 * result.ignored.map((f) => `${f.path}: ${f.message}`);
 */
export async function scanFiles(sources: readonly FileSource[], options: ScanOptions = {}): Promise<ScanResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const prefixBytes = options.prefixBytes ?? DEFAULT_PREFIX_BYTES;
  const limits: ScanFileLimits = {
    prefixBytes,
    ...(options.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: options.maxHeaderBytes }),
  };
  const scanOne = options.scanFile ?? scanFile;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UploaderError('UPLOADER_INVALID_ARGUMENT', `concurrency must be a positive integer, not ${concurrency}`);
  }
  if (!Number.isInteger(prefixBytes) || prefixBytes < 1024) {
    throw new UploaderError('UPLOADER_INVALID_ARGUMENT', `prefixBytes must be an integer >= 1024, not ${prefixBytes}`);
  }
  const signal = options.signal;
  const queue: FileSource[] = [...sources];
  const outcomes: Outcome[] = [];
  const interner = new RecordInterner();
  let next = 0;
  let filesRead = 0;
  let instances = 0;
  let ignored = 0;

  const checkAborted = (): void => {
    if (signal?.aborted)
      throw new UploaderError('UPLOADER_SCAN_ABORTED', 'cancelled by the caller', { cause: signal.reason });
  };

  // A worker that finds the queue empty while others still run waits: a zip being opened may add members.
  let active = 0;
  let wake: (() => void)[] = [];
  const notify = (): void => {
    for (const w of wake) w();
    wake = [];
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      checkAborted();
      if (next >= queue.length) {
        if (active === 0) return;
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      const source = queue[next++]!;
      active++;
      let outcome: Outcome;
      try {
        outcome = await resolveOutcome(source, await scanOne(source, limits));
      } catch (e) {
        // A failing executor (a crashed worker) is reported on the file instead of ending the scan.
        const detail = `the scanner failed on this file: ${messageOf(e)}`;
        outcome = { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_UNREADABLE', { detail }) };
      } finally {
        active--;
      }
      // One copy of what the files of a series share, kept from the first file on: memory grows
      // with the files by little more than each one's path, size and SOP Instance UID.
      if (outcome.kind === 'instance') outcome = { ...outcome, record: interner.record(outcome.record) };
      outcomes.push(outcome);
      if (outcome.kind === 'archive') queue.push(...outcome.members);
      else if (outcome.kind === 'instance') instances++;
      else ignored++;
      filesRead++;
      notify();
      options.onProgress?.({ filesRead, total: queue.length, instances, ignored });
    }
  };
  checkAborted();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    notify();
  }
  checkAborted();
  return finish(outcomes, signal);
}

/** Opens archives on this side: their members are FileSources, which cannot cross a worker boundary. */
async function resolveOutcome(source: FileSource, outcome: FileScanOutcome): Promise<Outcome> {
  if (outcome.kind === 'instance')
    return { kind: 'instance', record: outcome.record, fingerprint: outcome.fingerprint, source };
  if (outcome.kind === 'ignored') return outcome;
  try {
    return { kind: 'archive', path: source.path, members: await zipMemberSources(source) };
  } catch (e) {
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_ARCHIVE_UNREADABLE', { detail: messageOf(e) }) };
  }
}

/** Sorts, removes duplicates (PS3.3 C.12.1.1.1: a SOP Instance UID names exactly one object). */
async function finish(outcomes: readonly Outcome[], signal: AbortSignal | undefined): Promise<ScanResult> {
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const foundInstances = outcomes
    .filter((o): o is Extract<Outcome, { kind: 'instance' }> => o.kind === 'instance')
    .sort((a, b) => byPath(a.record, b.record));
  const ignored = outcomes.flatMap((o) => (o.kind === 'ignored' ? [o.ignored] : []));
  const kept = new Map<string, { record: InstanceRecord; fingerprint: string; source: FileSource }>();
  const instances: InstanceRecord[] = [];
  let sameFileSkipped = 0;
  for (const item of foundInstances) {
    const first = kept.get(item.record.sopInstanceUID);
    if (first === undefined) {
      kept.set(item.record.sopInstanceUID, item);
      instances.push(item.record);
      continue;
    }
    if (signal?.aborted)
      throw new UploaderError('UPLOADER_SCAN_ABORTED', 'cancelled by the caller', { cause: signal.reason });
    const same =
      first.record.size === item.record.size &&
      first.fingerprint === item.fingerprint &&
      (await sameContent(first.source, item.source));
    if (same) sameFileSkipped++;
    else {
      ignored.push(
        ignoredFile(item.source, 'IGNORED_DUPLICATE_INSTANCE', {
          detail: `same SOP Instance UID as ${first.record.path}`,
          duplicateOf: first.record.path,
        }),
      );
    }
  }
  return {
    studies: buildStudyTree(instances),
    instances,
    ignored: ignored.sort(byPath),
    sameFileSkipped,
    archives: outcomes.flatMap((o) => (o.kind === 'archive' ? [o.path] : [])).sort(),
  };
}

const CHUNK = 1024 * 1024;

/** Byte-for-byte comparison in 1 MiB chunks: memory stays bounded whatever the file size. */
async function sameContent(a: FileSource, b: FileSource): Promise<boolean> {
  if (a.size !== b.size) return false;
  for (let offset = 0; offset < a.size; offset += CHUNK) {
    const [x, y] = await Promise.all([a.read(offset, CHUNK), b.read(offset, CHUNK)]);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
