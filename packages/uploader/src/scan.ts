import { DICOM_EDITION, DicomError, type DicomFile, readHeader, sopClassName } from '@courier/dicom';
import { UploaderError } from './errors.js';
import { extractInstance, type InstanceIdentity, identityOf } from './extract-instance.js';
import type { FileSource } from './file-source.js';
import { type IgnoredFile, ignoredFile } from './ignored-reasons.js';
import type { InstanceRecord } from './instance-record.js';
import { truncatedPixelData } from './pixel-data-length.js';
import { buildStudyTree, type StudyNode } from './study-tree.js';
import { isZipPrefix, zipMemberSources } from './zip-source.js';

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
}

/** Progress after each file. `total` grows when a zip archive's members are discovered. */
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

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_PREFIX = 64 * 1024;
const DEFAULT_MAX_HEADER = 256 * 1024 * 1024;
const DICOMDIR_SOP_CLASS = '1.2.840.10008.1.3.10';
const DIRECTORY_RECORD_SEQUENCE = 0x00041220;

type Outcome =
  | { kind: 'instance'; record: InstanceRecord; source: FileSource }
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
  const prefixBytes = options.prefixBytes ?? DEFAULT_PREFIX;
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UploaderError('UPLOADER_INVALID_ARGUMENT', `concurrency must be a positive integer, not ${concurrency}`);
  }
  if (!Number.isInteger(prefixBytes) || prefixBytes < 1024) {
    throw new UploaderError('UPLOADER_INVALID_ARGUMENT', `prefixBytes must be an integer >= 1024, not ${prefixBytes}`);
  }
  const signal = options.signal;
  const queue: FileSource[] = [...sources];
  const outcomes: Outcome[] = [];
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
        outcome = await scanOne(source, prefixBytes, maxHeaderBytes);
      } finally {
        active--;
      }
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

async function scanOne(source: FileSource, prefixBytes: number, maxHeaderBytes: number): Promise<Outcome> {
  if (source.size === 0)
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_NOT_DICOM', { detail: 'empty file' }) };
  let prefix: Uint8Array;
  try {
    prefix = await source.read(0, Math.min(source.size, prefixBytes));
  } catch (e) {
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_READ_FAILED', { detail: messageOf(e) }) };
  }
  if (isZipPrefix(prefix)) {
    try {
      return { kind: 'archive', path: source.path, members: await zipMemberSources(source) };
    } catch (e) {
      return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_ARCHIVE_UNREADABLE', { detail: messageOf(e) }) };
    }
  }

  let file: DicomFile;
  try {
    for (;;) {
      const r = readHeader(prefix, source.size);
      if ('file' in r) {
        file = r.file;
        break;
      }
      if (r.needBytes > maxHeaderBytes) {
        return {
          kind: 'ignored',
          ignored: ignoredFile(source, 'IGNORED_HEADER_TOO_LARGE', {
            detail: `the header needs more than ${maxHeaderBytes} bytes`,
          }),
        };
      }
      try {
        prefix = await source.read(0, r.needBytes);
      } catch (e) {
        return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_READ_FAILED', { detail: messageOf(e) }) };
      }
      if (prefix.length < r.needBytes) {
        return {
          kind: 'ignored',
          ignored: ignoredFile(source, 'IGNORED_READ_FAILED', { detail: 'the file is shorter than its reported size' }),
        };
      }
    }
  } catch (e) {
    if (e instanceof DicomError) {
      // A damaged DICOMDIR is still an index file, not a damaged image: say so (PS3.10 7.1 meta tells).
      if (e.code !== 'DICOM_NOT_DICOM' && metaSaysDicomdir(prefix, source.size)) {
        return {
          kind: 'ignored',
          ignored: ignoredFile(source, 'IGNORED_DICOMDIR', { detail: e.message, dicomErrorCode: e.code }),
        };
      }
      const reason = e.code === 'DICOM_NOT_DICOM' ? 'IGNORED_NOT_DICOM' : 'IGNORED_UNREADABLE';
      return { kind: 'ignored', ignored: ignoredFile(source, reason, { detail: e.message, dicomErrorCode: e.code }) };
    }
    throw e;
  }

  const cut = truncatedPixelData(file, source.size);
  if (cut !== undefined) {
    return {
      kind: 'ignored',
      ignored: ignoredFile(source, 'IGNORED_UNREADABLE', {
        detail: `file is truncated: ${cut}`,
        dicomErrorCode: 'DICOM_TRUNCATED',
      }),
    };
  }
  const identity = identityOf(file);
  if (identity.sopClassUID === DICOMDIR_SOP_CLASS || file.dataSet.elements.has(DIRECTORY_RECORD_SEQUENCE)) {
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_DICOMDIR') };
  }
  const missing = missingUids(identity);
  if (missing.length > 0) {
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_MISSING_UIDS', { detail: missing.join(', ') }) };
  }
  const complete = identity as Required<InstanceIdentity>;
  // @courier/dicom's SOP class table lists exactly the storage SOP classes of PS3.4 B.5 (with their IODs).
  if (sopClassName(complete.sopClassUID) === undefined) {
    return {
      kind: 'ignored',
      ignored: ignoredFile(source, 'IGNORED_UNSUPPORTED_SOP_CLASS', {
        detail: `${complete.sopClassUID} is not a storage SOP class of DICOM ${DICOM_EDITION} (PS3.4 B.5)`,
      }),
    };
  }
  const fingerprint = await sha256Hex(prefix);
  return {
    kind: 'instance',
    record: extractInstance(file, complete, { path: source.path, size: source.size, fingerprint }),
    source,
  };
}

/** Sorts, removes duplicates (PS3.3 C.12.1.1.1: a SOP Instance UID names exactly one object). */
async function finish(outcomes: readonly Outcome[], signal: AbortSignal | undefined): Promise<ScanResult> {
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const found = outcomes
    .filter((o): o is Extract<Outcome, { kind: 'instance' }> => o.kind === 'instance')
    .sort((a, b) => byPath(a.record, b.record));
  const ignored = outcomes.flatMap((o) => (o.kind === 'ignored' ? [o.ignored] : []));
  const kept = new Map<string, { record: InstanceRecord; source: FileSource }>();
  const instances: InstanceRecord[] = [];
  let sameFileSkipped = 0;
  for (const item of found) {
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
      first.record.fingerprint === item.record.fingerprint &&
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

/** Reads only the File Meta Information (stopping at the first data set tag) and checks its SOP class. */
function metaSaysDicomdir(prefix: Uint8Array, size: number): boolean {
  try {
    const r = readHeader(prefix, size, { stopAtTag: 0x00040000 });
    return 'file' in r && identityOf(r.file).sopClassUID === DICOMDIR_SOP_CLASS;
  } catch {
    return false;
  }
}

function missingUids(identity: InstanceIdentity): string[] {
  const missing: string[] = [];
  if (identity.sopClassUID === undefined) missing.push('SOP Class UID (0008,0016)');
  if (identity.sopInstanceUID === undefined) missing.push('SOP Instance UID (0008,0018)');
  if (identity.studyInstanceUID === undefined) missing.push('Study Instance UID (0020,000D)');
  if (identity.seriesInstanceUID === undefined) missing.push('Series Instance UID (0020,000E)');
  return missing;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
