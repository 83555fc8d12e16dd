/** Identifies one DICOM instance in a store (the DICOMweb path /studies/…/series/…/instances/…). */
export interface InstanceKey {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
}

/** An instance as stored: its key, byte size and SHA-256 (hex) of the Part 10 bytes. */
export interface StoredInstance extends InstanceKey {
  size: number;
  sha256: string;
}

/** The bytes of an instance to store, read once, chunk by chunk (never held whole in memory). */
export type InstanceSource = AsyncIterable<Uint8Array>;

/**
 * Where verified DICOM ends up. Two implementations are planned: the embedded file-system store
 * (file-system/, the default under COURIER_DATA_DIR) and a DICOMweb PACS (STOW-RS / QIDO-RS /
 * WADO-RS, PS3.18 10.5, 10.6, 10.4). Commit stores every staged instance, then verifies each in the
 * store (size and hash) before any slot is assigned.
 *
 * @example
 * const stored = await store.put(key, createReadStream(stagedPath));
 * const checked = await store.verify(key);
 * if (checked?.sha256 !== stored.sha256) throw new Error('store lost the instance');
 */
export interface DicomStore {
  /** Which implementation this is, for logs and suite names. */
  readonly kind: 'file-system' | 'dicomweb';
  /**
   * Stores an instance atomically: readers see the old bytes or the new ones, never a part; a
   * source that fails leaves the store unchanged. Storing a SOP Instance UID again replaces it
   * (the same bytes again is therefore a no-op).
   */
  put(key: InstanceKey, source: InstanceSource): Promise<StoredInstance>;
  /** Size and hash as recorded at storage time, or null when absent (cheap). */
  stat(key: InstanceKey): Promise<StoredInstance | null>;
  /** Size and hash recomputed from the stored bytes, or null when absent (reads everything). */
  verify(key: InstanceKey): Promise<StoredInstance | null>;
  /** The stored bytes, streamed; null when absent. */
  read(key: InstanceKey): Promise<InstanceSource | null>;
  /** Every instance of a study, by series then SOP Instance UID. */
  listStudy(studyInstanceUid: string): Promise<StoredInstance[]>;
}

/** PS3.5 9.1: digits in dot-separated components, no leading zeros, at most 64 characters. */
const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

/**
 * Throws unless every UID of the key is a well-formed DICOM UID. Stores use UIDs as path and URL
 * segments, so this check is also what keeps `..` and `/` out of them.
 *
 * @example
 * assertInstanceKey({ studyInstanceUid: '1.2', seriesInstanceUid: '1.2.3', sopInstanceUid: '1.2.3.4' });
 */
export function assertInstanceKey(key: InstanceKey): void {
  for (const uid of [key.studyInstanceUid, key.seriesInstanceUid, key.sopInstanceUid]) {
    if (uid.length > 64 || !UID_PATTERN.test(uid)) throw new RangeError(`not a DICOM UID: ${JSON.stringify(uid)}`);
  }
}
