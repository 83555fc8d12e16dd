import { createHash } from 'node:crypto';
import type { InstanceKey, InstanceSource } from '../dicom-store.js';
import { checksumMismatch } from './checksum-mismatch.js';
import type { PacsHttp } from './pacs-http.js';
import { wadoRetrieveInstance } from './wado-rs.js';

/** Size and digests of an instance's bytes, as computed while sending them. */
export interface Digests {
  size: number;
  sha256: string;
  md5: string;
}

/** Size and SHA-256 (hex) of stored bytes. */
export interface SizedHash {
  size: number;
  sha256: string;
}

/**
 * How a PACS proves what it holds. DICOMweb itself has no checksum service, so each PACS brings its
 * own: Orthanc's REST API keeps the MD5 of every stored file and user metadata (orthanc-checksum.ts);
 * any other DICOMweb server is checked by retrieving the instance with WADO-RS and hashing it
 * ({@link wadoChecksums}).
 *
 * @example
 * const checksums = orthancChecksums(http, 'http://127.0.0.1:8042');
 * await checksums.afterStore(key, digests); // throws PACS_CHECKSUM_MISMATCH on a difference
 */
export interface ChecksumProvider {
  readonly name: string;
  /**
   * Called once an instance is reported stored, with the digests of the bytes sent: checks the PACS
   * kept exactly those bytes where it can tell cheaply, and records the SHA-256 for `recorded`.
   */
  afterStore(key: InstanceKey, sent: Digests): Promise<void>;
  /** Size and SHA-256 as recorded at storage time (cheap where the PACS keeps them), or null when absent. */
  recorded(key: InstanceKey): Promise<SizedHash | null>;
  /** Size and SHA-256 recomputed from the stored bytes, or null when absent (reads the instance). */
  recompute(key: InstanceKey): Promise<SizedHash | null>;
}

/**
 * Hashes a stream of bytes with SHA-256 and MD5 in one pass.
 *
 * @example
 * const { size, sha256 } = await digestStream(source);
 */
export async function digestStream(source: InstanceSource): Promise<Digests> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of source) {
    sha256.update(chunk);
    md5.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

/**
 * The generic provider for any DICOMweb server: nothing is recorded in the PACS, so both `recorded`
 * and `recompute` retrieve the instance with WADO-RS (PS3.18 10.4) and hash it, and `afterStore`
 * does exactly that once and compares with what was sent. Correct everywhere, but every stat
 * reads the whole instance.
 *
 * @example
 * const store = dicomwebStore({ baseUrl, http, checksums: wadoChecksums(http, baseUrl) });
 */
export function wadoChecksums(http: PacsHttp, dicomwebBase: string): ChecksumProvider {
  const base = dicomwebBase.replace(/\/+$/, '');
  async function recompute(key: InstanceKey): Promise<SizedHash | null> {
    const bytes = await wadoRetrieveInstance(http, base, key);
    if (bytes === null) return null;
    const { size, sha256 } = await digestStream(bytes);
    return { size, sha256 };
  }
  return {
    name: 'wado-rs',
    async afterStore(key, sent) {
      const found = await recompute(key);
      checksumMismatch(key, sent, found);
    },
    recorded: recompute,
    recompute,
  };
}
