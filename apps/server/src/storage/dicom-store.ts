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
 * A Part 10 file the Portal staged, with the size and SHA-256 it computed while receiving the
 * bytes (upload-batch.ts hashes every chunk on its way to the staged file, which is never changed
 * in place afterwards). The store reads the file or links it; it never changes or removes it.
 */
export interface StagedInstance {
  key: InstanceKey;
  /** Absolute path of the staged file. */
  path: string;
  size: number;
  sha256: string;
}

/**
 * The verdict on one instance of {@link DicomStore.putMany}: stored and proven to hold exactly the
 * staged size and SHA-256, or refused with a reason (one refused instance never fails the others).
 */
export type PutResult =
  | { key: InstanceKey; ok: true; stored: StoredInstance }
  | { key: InstanceKey; ok: false; reason: string };

/**
 * Where verified DICOM ends up. Two implementations are planned: the embedded file-system store
 * (file-system/, the default under COURIER_DATA_DIR) and a DICOMweb PACS (STOW-RS / QIDO-RS /
 * WADO-RS, PS3.18 10.5, 10.6, 10.4). Commit hands every staged instance to {@link DicomStore.putMany}
 * with the size and SHA-256 taken when the batch was received, requires each result to prove those
 * exact bytes, then lists the study's keys to see every SOP Instance UID present under its series
 * — all before any slot is assigned.
 *
 * What counts as proof (putMany) is the cheapest check that still observes the stored object, never
 * the input alone: the file-system store links the staged file and checks the stored entry is that
 * very file (same device, inode and size) — the bytes hashed on receipt — or, when it had to copy,
 * re-reads and hashes the copy; a PACS reports the MD5 and size of the file it stored (Orthanc) or
 * the instance is retrieved with WADO-RS and hashed (any other DICOMweb server). `verify` is the
 * expensive audit: it always re-reads everything.
 *
 * @example
 * const [result] = await store.putMany([{ key, path: stagedPath, size, sha256 }]);
 * if (!result?.ok) throw new Error(result?.reason);
 * const present = await store.listKeys(key.studyInstanceUid);
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
  /**
   * Stores staged files (each atomically, replacing an earlier copy like `put`) and proves each one
   * holds exactly the given size and SHA-256 (see the interface comment for what proof means per
   * store). Results are in input order; a refused instance is a result, not a throw. Throws only
   * when the store as a whole fails (unreachable, credentials refused). Bounded concurrency inside.
   */
  putMany(items: readonly StagedInstance[]): Promise<PutResult[]>;
  /** Size and hash as recorded at storage time, or null when absent (cheap). */
  stat(key: InstanceKey): Promise<StoredInstance | null>;
  /** Size and hash recomputed from the stored bytes, or null when absent (reads everything). */
  verify(key: InstanceKey): Promise<StoredInstance | null>;
  /** The stored bytes, streamed; null when absent. */
  read(key: InstanceKey): Promise<InstanceSource | null>;
  /** Every instance of a study, by series then SOP Instance UID. */
  listStudy(studyInstanceUid: string): Promise<StoredInstance[]>;
  /**
   * The keys of every instance of a study, by series then SOP Instance UID, without sizes or
   * hashes (cheap: a directory listing, or paged QIDO-RS PS3.18 10.6.1 on a PACS).
   */
  listKeys(studyInstanceUid: string): Promise<InstanceKey[]>;
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
