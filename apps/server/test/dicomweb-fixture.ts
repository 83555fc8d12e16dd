import { expect } from 'vitest';
import { commitAndWait } from './commit-upload.js';
import { deidentifiedSet, sendBatch, type UploadSet } from './dicom-upload.js';
import type { FixtureStudy } from './fixture-study.js';
import type { TestClient } from './portal-harness.js';

/** A study uploaded and committed to a slot through the real upload session API. */
export interface CommittedStudy extends UploadSet {
  pseudonym: string;
  subjectId: string;
}

/**
 * Opens an upload session for a subject's Planning slot, registers the manifest, sends the
 * de-identified RT set in one STOW-RS batch and commits: the study ends in the store and in the slot
 * exactly as an Uploader would put it there.
 *
 * @example
 * const study = await commitStudy(uploader, fixture, { site: 'A', slotDefinitionId: fixture.slotCt, seed: 1 });
 */
export async function commitStudy(
  client: TestClient,
  fixture: FixtureStudy,
  options: { site: 'A' | 'B'; slotDefinitionId: string; seed: number; slices?: number; rows?: number },
): Promise<CommittedStudy> {
  const subjectId = options.site === 'A' ? fixture.subjectA : fixture.subjectB;
  const created = await client.post('/api/uploads', {
    studyId: fixture.studyId,
    subjectId,
    eventId: options.site === 'A' ? fixture.eventA : fixture.eventB,
    slotDefinitionId: options.slotDefinitionId,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const set = deidentifiedSet(created.body.slot, {
    seed: options.seed,
    slices: options.slices ?? 3,
    rows: options.rows ?? 16,
  });
  const id = created.body.id as string;
  const manifest = await client.request('PUT', `/api/uploads/${id}/manifest`, {
    studyInstanceUid: set.studyInstanceUid,
    instances: set.files.map((f) => f.manifest),
  });
  expect(manifest.status, JSON.stringify(manifest.body)).toBe(200);
  const batch = await sendBatch(
    client,
    id,
    set.files.map((f) => f.bytes),
  );
  expect(batch.status, JSON.stringify(batch.body)).toBe(200);
  const commit = await commitAndWait(client, id, { overwrite: true });
  expect(commit.status, JSON.stringify(commit.body)).toBe(200);
  return { ...set, pseudonym: created.body.slot.pseudonym as string, subjectId };
}

/** A fetch with the client's credentials (cookie or bearer token) that keeps the body as bytes. */
export async function fetchBytes(
  client: TestClient,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const all: Record<string, string> = { ...headers };
  if (client.cookies.size > 0) all.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (client.bearer !== undefined) all.authorization = `Bearer ${client.bearer}`;
  const response = await fetch(client.baseUrl + path, { headers: all });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/**
 * Splits a multipart/related body (RFC 2046 5.1) into its parts' headers and bytes, independently
 * of the server's writer: finds each `--boundary` delimiter line by byte search.
 *
 * @example
 * const parts = parseMultipart(bytes, response.headers.get('content-type')!);
 */
export function parseMultipart(
  body: Uint8Array,
  contentType: string,
): { headers: Record<string, string>; bytes: Uint8Array }[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (boundary === undefined) throw new Error(`no boundary in ${contentType}`);
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.length);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { headers: Record<string, string>; bytes: Uint8Array }[] = [];
  let at = buffer.indexOf(delimiter);
  while (at >= 0) {
    const afterDelimiter = at + delimiter.length;
    if (buffer.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = buffer.indexOf('\r\n\r\n', afterDelimiter);
    const headers: Record<string, string> = {};
    for (const line of buffer
      .subarray(afterDelimiter + 2, headerEnd)
      .toString('latin1')
      .split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = buffer.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error('multipart body not closed');
    parts.push({ headers, bytes: new Uint8Array(buffer.subarray(headerEnd + 4, next)) });
    at = next + 2;
  }
  return parts;
}
