import type { InstanceKey } from '../dicom-store.js';
import type { SizedHash } from './checksum-provider.js';
import { PacsError } from './pacs-error.js';

/**
 * Throws PACS_CHECKSUM_MISMATCH unless the PACS holds bytes of the size and SHA-256 that were sent
 * (or PACS_INSTANCE_REFUSED when it holds nothing).
 *
 * @example
 * checksumMismatch(key, sent, await checksums.recompute(key));
 */
export function checksumMismatch(key: InstanceKey, sent: SizedHash, found: SizedHash | null): void {
  if (found === null)
    throw new PacsError('PACS_INSTANCE_REFUSED', `${key.sopInstanceUid} is not retrievable after STOW-RS`);
  if (found.size !== sent.size || found.sha256 !== sent.sha256) {
    throw new PacsError(
      'PACS_CHECKSUM_MISMATCH',
      `${key.sopInstanceUid}: sent ${sent.size} bytes sha256 ${sent.sha256}, PACS holds ${found.size} bytes sha256 ${found.sha256}`,
    );
  }
}
