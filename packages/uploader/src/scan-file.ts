import { DICOM_EDITION, DicomError, type DicomFile, readHeader, sopClassName } from '@courier/dicom';
import { extractInstance, type InstanceIdentity, identityOf } from './extract-instance.js';
import type { FileSource } from './file-source.js';
import { type IgnoredFile, ignoredFile } from './ignored-reasons.js';
import type { InstanceRecord } from './instance-record.js';
import { truncatedPixelData } from './pixel-data-length.js';
import { isZipPrefix } from './zip-source.js';

/**
 * What scanning one file gives: an instance (plain data, structured-cloneable so it can come back
 * from a Web Worker), an ignored file with its reason, or "this is a zip archive" (the caller opens
 * it: its members are FileSources of the caller's side).
 *
 * @example
 * const outcome = await scanFile(blobFileSource(file, file.name));
 * if (outcome.kind === 'ignored') console.log(outcome.ignored.message);
 */
export type FileScanOutcome =
  | {
      readonly kind: 'instance';
      readonly record: InstanceRecord;
      /**
       * A fast hash of the header bytes (up to Pixel Data): equal files have equal fingerprints,
       * not the reverse. Only the scan's duplicate check uses it; the scan result does not keep it.
       */
      readonly fingerprint: string;
    }
  | { readonly kind: 'ignored'; readonly ignored: IgnoredFile }
  | { readonly kind: 'archive' };

/**
 * Read limits for one file.
 *
 * @example
 * await scanFile(source, { prefixBytes: 128 * 1024 });
 */
export interface ScanFileLimits {
  /** Bytes read first (default 64 KiB); more only when the header is longer. */
  readonly prefixBytes?: number;
  /** Largest header accepted (default 256 MiB): an RTSTRUCT's contours are part of its header. */
  readonly maxHeaderBytes?: number;
}

/**
 * Default prefix: most headers (CT, MR, PET: 2-20 KiB) fit, so one read per file is the rule.
 *
 * @example
 * await source.read(0, Math.min(source.size, DEFAULT_PREFIX_BYTES));
 */
export const DEFAULT_PREFIX_BYTES: number = 64 * 1024;
const DEFAULT_PREFIX = DEFAULT_PREFIX_BYTES;
const DEFAULT_MAX_HEADER = 256 * 1024 * 1024;
const DICOMDIR_SOP_CLASS = '1.2.840.10008.1.3.10';
const DIRECTORY_RECORD_SEQUENCE = 0x00041220;

/**
 * Scans one file: reads a prefix, parses the header with readHeader (reading more when it asks),
 * classifies it (DICOMDIR, missing UIDs, non-storage SOP class, truncated pixel data) and extracts
 * an InstanceRecord. Never throws for a bad file: every problem is an ignored outcome. Usable
 * inside a Web Worker (a browser File can be posted to it and wrapped with blobFileSource).
 *
 * @example
 * const outcome = await scanFile(await nodeFileSource('/data/CT/IM0001'));
 */
export async function scanFile(source: FileSource, limits: ScanFileLimits = {}): Promise<FileScanOutcome> {
  const prefixBytes = limits.prefixBytes ?? DEFAULT_PREFIX;
  const maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
  if (source.size === 0)
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_NOT_DICOM', { detail: 'empty file' }) };
  let prefix: Uint8Array;
  try {
    prefix = await source.read(0, Math.min(source.size, prefixBytes));
  } catch (e) {
    return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_READ_FAILED', { detail: messageOf(e) }) };
  }
  if (isZipPrefix(prefix)) return { kind: 'archive' };

  let file: DicomFile;
  try {
    for (;;) {
      const r = readHeader(prefix, source.size);
      if ('file' in r) {
        file = r.file;
        break;
      }
      if (r.needBytes <= prefix.length) {
        // The reader must ask for more than it has; anything else would loop forever.
        const detail = `the reader asked for ${r.needBytes} bytes with ${prefix.length} already read`;
        return { kind: 'ignored', ignored: ignoredFile(source, 'IGNORED_UNREADABLE', { detail }) };
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
    // Not a DicomError: a reader bug met on this file. One odd file must not end the scan of
    // thousands; it is reported on the file, with the error, never dropped silently.
    return {
      kind: 'ignored',
      ignored: ignoredFile(source, 'IGNORED_UNREADABLE', { detail: `unexpected ${describe(e)}` }),
    };
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
  // The header bytes identify the file well enough to pre-filter duplicates; equal fingerprints are
  // confirmed byte for byte by scanFiles before a file counts as the same file.
  const headerEnd = file.sourceIsFile && file.stoppedAt !== undefined ? file.stoppedAt.headerOffset : prefix.length;
  const fingerprint = headerFingerprint(prefix.subarray(0, headerEnd));
  return {
    kind: 'instance',
    record: extractInstance(file, complete, { path: source.path, size: source.size }),
    fingerprint,
  };
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

/**
 * A fast 64-bit non-cryptographic hash of the header bytes (two 32-bit multiply-xorshift lanes, the
 * "cyrb53" construction), with the length. It only pre-filters duplicate candidates: scanFiles
 * confirms equal fingerprints byte for byte. crypto.subtle's SHA-256 cost ~100 µs per file here,
 * 13% of a scan; this costs a few µs for a 10 KiB header.
 */
function headerFingerprint(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `${bytes.length.toString(16)}-${hex(h2)}${hex(h1)}`;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
