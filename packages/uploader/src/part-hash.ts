import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * An incremental SHA-256 (FIPS 180-4) over the bytes of one instance as they are sent. The default
 * is pure JavaScript (@noble/hashes: same code in browser workers and Node); the CLI passes a
 * faster native one (node:crypto) through `UploadEngineOptions.createHash`.
 *
 * @example
 * const h = createSha256(); h.update(bytes); h.digestHex(); // 'e3b0c442…'
 */
export interface IncrementalHash {
  update(bytes: Uint8Array): void;
  /** The digest as 64 lower-case hex digits; call once. */
  digestHex(): string;
}

/**
 * The default incremental SHA-256.
 *
 * @example
 * const h = createSha256(); h.update(new TextEncoder().encode('abc')); h.digestHex(); // 'ba7816bf…'
 */
export function createSha256(): IncrementalHash {
  const state = sha256.create();
  return {
    update(bytes) {
      state.update(bytes);
    },
    digestHex() {
      return bytesToHex(state.digest());
    },
  };
}
