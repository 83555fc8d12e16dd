import { type FileHandle, open } from 'node:fs/promises';
import type { InstanceRejection, SlotParameters } from '@courier/api';
import { type DeidConfig, deidConfigOfSlot, headerOnlyGap, residualIdentity } from '@courier/deid';
import { type DicomFile, getString, readDicom, readHeader, tag } from '@courier/dicom';

/** What the re-check read from a received instance (UIDs, and what a slot value shows). */
export interface InstanceFacts {
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string | null;
  /** Study Date (0008,0020) as YYYYMMDD, or null. */
  studyDate: string | null;
}

/** The outcome of re-checking one received file. */
export type InstanceCheck =
  | { ok: true; facts: InstanceFacts }
  | { ok: false; facts: InstanceFacts | null; reason: InstanceRejection; detail: string };

const TAGS = {
  sopClassUid: tag(0x0008, 0x0016),
  sopInstanceUid: tag(0x0008, 0x0018),
  studyDate: tag(0x0008, 0x0020),
  modality: tag(0x0008, 0x0060),
  patientName: tag(0x0010, 0x0010),
  patientId: tag(0x0010, 0x0020),
  patientIdentityRemoved: tag(0x0012, 0x0062),
  studyInstanceUid: tag(0x0020, 0x000d),
  seriesInstanceUid: tag(0x0020, 0x000e),
};

const FIRST_READ_BYTES = 64 * 1024;

/**
 * The de-identification configuration of a slot, derived once per SlotParameters object (one per
 * batch): @courier/deid prepares what a configuration shares (option set, identity elements) once
 * per configuration object, so a fresh object per instance would redo that work every time.
 */
const configBySlot = new WeakMap<SlotParameters, DeidConfig>();
function slotConfig(slot: SlotParameters): DeidConfig {
  let config = configBySlot.get(slot);
  if (config === undefined) {
    config = deidConfigOfSlot(slot).config;
    configBySlot.set(slot, config);
  }
  return config;
}

async function readStaged(path: string, size: number, known?: Uint8Array): Promise<DicomFile> {
  // Opened only when the known prefix is not enough.
  let handle: FileHandle | undefined;
  const readBytes = async (length: number) => {
    handle ??= await open(path, 'r');
    const buffer = new Uint8Array(length);
    let at = 0;
    while (at < length) {
      const { bytesRead } = await handle.read(buffer, at, length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buffer.subarray(0, at);
  };
  try {
    // Header first: a CT slice is judged from its first 64 KiB, never the pixels; when the batch
    // kept those bytes while receiving the part, the file is not read at all.
    let prefix =
      known !== undefined && known.length >= Math.min(size, FIRST_READ_BYTES)
        ? known
        : await readBytes(Math.min(size, FIRST_READ_BYTES));
    for (;;) {
      const result = readHeader(prefix, size);
      if ('file' in result) {
        // Elements after Pixel Data (trailing padding, digital signatures, private groups above
        // 7FE0) are identity too: when the header read did not reach the end, read the whole file.
        if (headerOnlyGap(result.file, size) === undefined) return result.file;
        return readDicom(await readBytes(size));
      }
      prefix = await readBytes(result.needBytes);
    }
  } finally {
    await handle?.close();
  }
}

/**
 * Re-checks a received instance against its session, as issue 6 requires of the Portal: it must be
 * a DICOM Part 10 file of the manifest's study, carry the slot's pseudonym as Patient ID and
 * Patient Name with Patient Identity Removed YES (PS3.15 E.1.1), and a second de-identification
 * pass with the study's options would change nothing (`residualIdentity` of @courier/deid, with the
 * same configuration the Uploader derives from the slot). The manifest checks (UID known, same
 * series, class and size) are the caller's.
 *
 * `prefix` is the file's first bytes when the caller already holds them (the batch keeps the first
 * 64 KiB of each part while writing it); the file is then opened only when the header is longer.
 *
 * @example
 * const check = await checkInstance(path, size, session.slot, manifest.studyInstanceUid);
 * if (!check.ok) reject(check.reason, check.detail);
 */
export async function checkInstance(
  path: string,
  size: number,
  slot: SlotParameters,
  studyInstanceUid: string,
  prefix?: Uint8Array,
): Promise<InstanceCheck> {
  let file: DicomFile;
  try {
    file = await readStaged(path, size, prefix);
  } catch (error) {
    return { ok: false, facts: null, reason: 'NOT_DICOM', detail: `not a readable DICOM file (${codeOf(error)})` };
  }
  const ds = file.dataSet;
  const text = (t: number) => {
    try {
      return getString(file, ds, t) ?? '';
    } catch {
      return '';
    }
  };
  const facts: InstanceFacts = {
    sopInstanceUid: text(TAGS.sopInstanceUid),
    sopClassUid: text(TAGS.sopClassUid),
    studyInstanceUid: text(TAGS.studyInstanceUid),
    seriesInstanceUid: text(TAGS.seriesInstanceUid),
    modality: text(TAGS.modality) || null,
    studyDate: /^\d{8}$/.test(text(TAGS.studyDate)) ? text(TAGS.studyDate) : null,
  };
  if (facts.sopInstanceUid === '') {
    return { ok: false, facts: null, reason: 'NOT_DICOM', detail: 'no SOP Instance UID (0008,0018)' };
  }
  if (facts.studyInstanceUid !== studyInstanceUid) {
    return { ok: false, facts, reason: 'STUDY_MISMATCH', detail: 'Study Instance UID differs from the manifest' };
  }
  if (text(TAGS.patientId) !== slot.pseudonym || text(TAGS.patientName) !== slot.pseudonym) {
    return {
      ok: false,
      facts,
      reason: 'NOT_PSEUDONYMISED',
      detail: 'Patient ID (0010,0020) or Patient Name (0010,0010) is not the slot pseudonym',
    };
  }
  if (text(TAGS.patientIdentityRemoved) !== 'YES') {
    return {
      ok: false,
      facts,
      reason: 'IDENTITY_NOT_REMOVED',
      detail: 'Patient Identity Removed (0012,0062) is not YES',
    };
  }
  let residual: { path: string; reason: string }[];
  try {
    residual = residualIdentity(file, slotConfig(slot));
  } catch (error) {
    return { ok: false, facts, reason: 'NOT_DICOM', detail: `the re-check could not read the file (${codeOf(error)})` };
  }
  if (residual.length > 0) {
    // Paths and reasons only (e.g. "(0010,1000) would be removed"): never a value from the file.
    const shown = residual.slice(0, 5).map((r) => `${r.path} ${r.reason}`);
    const more = residual.length > 5 ? ` and ${residual.length - 5} more` : '';
    return { ok: false, facts, reason: 'RESIDUAL_IDENTITY', detail: `${shown.join('; ')}${more}` };
  }
  return { ok: true, facts };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unreadable';
}
