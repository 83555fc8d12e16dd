import type { SlotParameters } from '@courier/api';
import { deidConfigOfSlot, deidentify } from '@courier/deid';
import { concatParts, getString, readDicom, tag } from '@courier/dicom';
import { rtSet } from '../../../bench/synthetic/rt-set.js';
import type { TestClient, TestResponse } from './portal-harness.js';

/** One de-identified instance ready to send, with the manifest entry describing it. */
export interface UploadFile {
  bytes: Uint8Array;
  manifest: {
    sopInstanceUid: string;
    sopClassUid: string;
    seriesInstanceUid: string;
    modality: string;
    size: number;
  };
}

/** A de-identified study: its Study Instance UID and files. */
export interface UploadSet {
  studyInstanceUid: string;
  files: UploadFile[];
}

/**
 * A small CT + RTSTRUCT + RTPLAN + RTDOSE set from bench/synthetic, de-identified with
 * @courier/deid for the slot exactly as the Uploader does (deidConfigOfSlot of the session).
 *
 * @example
 * const set = deidentifiedSet(session.slot, { slices: 3, seed: 1 });
 */
export function deidentifiedSet(
  slot: SlotParameters,
  options: { slices?: number; seed?: number; patientName?: string; rows?: number } = {},
): UploadSet {
  const { config } = deidConfigOfSlot(slot);
  const source = rtSet({
    slices: options.slices ?? 3,
    rows: options.rows ?? 16,
    columns: options.rows ?? 16,
    seed: options.seed ?? 1,
    patientName: options.patientName ?? 'Doe^Jane',
    patientId: 'HOSP-4711',
  });
  const files = source.files.map(({ bytes }) => {
    const out = concatParts(deidentify(readDicom(bytes), config), bytes);
    return { bytes: out, manifest: manifestEntry(out) };
  });
  return { studyInstanceUid: studyUidOf(files[0]!.bytes), files };
}

const text = (bytes: Uint8Array, group: number, element: number) => {
  const file = readDicom(bytes, { headerOnly: true });
  return getString(file, file.dataSet, tag(group, element)) ?? '';
};

function studyUidOf(bytes: Uint8Array): string {
  return text(bytes, 0x0020, 0x000d);
}

/** The manifest entry of a Part 10 file. */
export function manifestEntry(bytes: Uint8Array): UploadFile['manifest'] {
  return {
    sopInstanceUid: text(bytes, 0x0008, 0x0018),
    sopClassUid: text(bytes, 0x0008, 0x0016),
    seriesInstanceUid: text(bytes, 0x0020, 0x000e),
    modality: text(bytes, 0x0008, 0x0060),
    size: bytes.length,
  };
}

/**
 * A STOW-RS body (PS3.18 10.5.1.1) of whole files.
 *
 * @example
 * const { body, contentType } = stowBody(files.map((f) => f.bytes));
 */
export function stowBody(
  parts: Uint8Array[],
  boundary: string = `b-${crypto.randomUUID()}`,
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  parts.forEach((bytes, i) => {
    chunks.push(Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
    chunks.push(Buffer.from(bytes));
  });
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

/**
 * Sends a batch as the Uploader does (session cookie and CSRF header of the test client).
 *
 * @example
 * const response = await sendBatch(client, uploadId, set.files.map((f) => f.bytes));
 */
export async function sendBatch(
  client: TestClient,
  uploadId: string,
  parts: Uint8Array[],
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const { body, contentType } = stowBody(parts);
  const response = await fetch(`${client.baseUrl}/api/uploads/${uploadId}/instances`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(client.csrfToken === undefined ? {} : { 'x-csrf-token': client.csrfToken }),
      ...headers,
    },
    body,
  });
  const textBody = await response.text();
  return {
    status: response.status,
    body: textBody === '' ? undefined : JSON.parse(textBody),
    headers: response.headers,
  };
}

/** Which slot an upload session is for. */
export interface UploadTarget {
  studyId: string;
  subjectId: string;
  eventId: string;
  slotDefinitionId: string;
}

/** An open upload session with its manifest registered, and the set it is for. */
export interface OpenedUpload {
  id: string;
  set: UploadSet;
  slot: SlotParameters;
}

/**
 * Opens an upload session for a slot, de-identifies a synthetic set for it and registers the
 * manifest (throws unless 201 and 200). `manifestClient` sends the manifest when another Portal
 * instance or user should (defaults to `client`).
 *
 * @example
 * const { id, set } = await openUpload(uploader, { studyId, subjectId, eventId, slotDefinitionId }, { seed: 3 });
 * await sendBatch(uploader, id, set.files.map((f) => f.bytes));
 */
export async function openUpload(
  client: TestClient,
  target: UploadTarget,
  options: Parameters<typeof deidentifiedSet>[1] = {},
  manifestClient: TestClient = client,
): Promise<OpenedUpload> {
  const created = await client.post('/api/uploads', target);
  if (created.status !== 201) throw new Error(`open upload: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const slot = created.body.slot as SlotParameters;
  const set = deidentifiedSet(slot, options);
  const manifest = await manifestClient.request('PUT', `/api/uploads/${id}/manifest`, {
    studyInstanceUid: set.studyInstanceUid,
    instances: set.files.map((f) => f.manifest),
  });
  if (manifest.status !== 200) throw new Error(`manifest: ${manifest.status} ${JSON.stringify(manifest.body)}`);
  return { id, set, slot };
}

/**
 * {@link openUpload}, then every instance sent in one batch (throws unless 200): a session ready
 * to commit.
 *
 * @example
 * const { id } = await stagedUpload(uploader, target, { seed: 7 });
 * await commitAndWait(uploader, id, { overwrite: true });
 */
export async function stagedUpload(
  client: TestClient,
  target: UploadTarget,
  options: Parameters<typeof deidentifiedSet>[1] = {},
): Promise<OpenedUpload> {
  const opened = await openUpload(client, target, options);
  const batch = await sendBatch(
    client,
    opened.id,
    opened.set.files.map((f) => f.bytes),
  );
  if (batch.status !== 200) throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.body)}`);
  return opened;
}
