import { HmacSha256 } from './hmac-sha256.js';

const encoder = new TextEncoder();

/**
 * UID roots that are never remapped: everything registered under the DICOM root 1.2.840.10008
 * (SOP Classes, Transfer Syntaxes, the DICOM coding schemes, well-known frames of reference,
 * PS3.6 Annex A) and the HL7 coding-system OIDs used as Coding Scheme UIDs (SNOMED, LOINC, ...).
 * These identify no patient, and changing them would break the instance.
 */
export const WELL_KNOWN_UID_ROOTS: readonly string[] = ['1.2.840.10008.', '2.16.840.1.113883.6.'];

/**
 * True for a UID that must never be changed (see WELL_KNOWN_UID_ROOTS; `extra` adds e.g. the
 * private SOP Class UIDs a caller knows).
 *
 * @example
 * isWellKnownUid('1.2.840.10008.5.1.4.1.1.2'); // true: CT Image Storage
 * isWellKnownUid('1.3.6.1.4.1.9590.100.1.2.1'); // false
 */
export function isWellKnownUid(uid: string, extra?: (uid: string) => boolean): boolean {
  for (const root of WELL_KNOWN_UID_ROOTS) if (uid.startsWith(root)) return true;
  return extra?.(uid) ?? false;
}

/**
 * The deterministic replacement of a UID: "2.25." + the decimal value of the first 128 bits of
 * HMAC-SHA-256(secret, UID) (PS3.5 B.2: a UUID-derived UID under the 2.25 root; at most 44
 * characters, within the 64 of VR UI). Keyed, so only holders of the study's secret can link a new
 * UID to an original; deterministic, so retries and later uploads keep every reference intact.
 * Synchronous (pure TypeScript, hmac-sha256.ts) so the per-element walk stays synchronous in browser and Node.
 *
 * @example
 * remapUid('per-study-secret', '1.2.3.4'); // '2.25.<up to 39 digits>'
 */
export function remapUid(secret: string | Uint8Array, uid: string): string {
  const key = typeof secret === 'string' ? encoder.encode(secret) : secret;
  return uidFromMac(new HmacSha256(key).digest(encoder.encode(uid)));
}

function uidFromMac(mac: Uint8Array): string {
  // The first 128 bits, big-endian, as two 64-bit halves (two BigInt steps instead of sixteen).
  const view = new DataView(mac.buffer, mac.byteOffset, 16);
  const n = (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
  return `2.25.${n.toString(10)}`;
}

/** UIDs remembered before the memo starts afresh. */
const MEMO_LIMIT = 4096;

/**
 * A UID mapper for one study: remaps with a memo (a study repeats the same Study/Series/Frame of
 * Reference UIDs in every file) and leaves well-known UIDs alone. Values with several UIDs
 * (VM > 1, backslash-separated) are mapped one by one.
 *
 * @example
 * const map = new UidMapper('per-study-secret');
 * map.map('1.2.840.10008.5.1.4.1.1.2'); // unchanged
 * map.map('1.2.3.4') === map.map('1.2.3.4'); // true
 */
export class UidMapper {
  /** HMAC with the key pads hashed once: two or three SHA-256 blocks per UID, no allocation. */
  readonly #mac: HmacSha256;
  readonly #memo = new Map<string, string>();
  readonly #keep: ((uid: string) => boolean) | undefined;

  constructor(secret: string, keep?: (uid: string) => boolean) {
    this.#mac = new HmacSha256(encoder.encode(secret));
    this.#keep = keep;
  }

  /** The new UID for one original UID (trailing NUL/space padding ignored). */
  map(uid: string): string {
    const last = uid.charCodeAt(uid.length - 1);
    const clean = last === 0 || last === 0x20 ? uid.replace(/[\0 ]+$/, '') : uid;
    // The memo holds remapped UIDs only, so a hit needs no well-known check.
    const known = this.#memo.get(clean);
    if (known !== undefined) return known;
    if (clean === '' || isWellKnownUid(clean, this.#keep)) return clean;
    const out = uidFromMac(this.#mac.digestAscii(clean));
    // Bounded: Study, Series and Frame of Reference UIDs repeat and stay cached; the SOP Instance
    // UIDs, one per file, would otherwise grow the memo with the number of files.
    if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
    this.#memo.set(clean, out);
    return out;
  }

  /** Maps every UID of a multi-valued value. */
  mapAll(uids: readonly string[]): string[] {
    return uids.map((u) => this.map(u));
  }
}
