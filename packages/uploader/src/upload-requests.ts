import {
  commitUpload,
  endpointPath,
  getUploadCommit,
  listUploadReceipts,
  storeUploadBatch,
  type UploadCommitStatus,
  UploadCommitStatusSchema,
  type UploadInstanceStatus,
} from '@courier/api';
import type { PortalClient } from './portal-client.js';

/**
 * The server's answer for one instance of a batch.
 *
 * @example
 * const r: BatchInstanceResult = { sopInstanceUid: '2.25.1', state: 'stored', reason: null, size: 1234, sha256: 'ab…' };
 */
export interface BatchInstanceResult {
  readonly sopInstanceUid: string;
  readonly state: 'stored' | 'rejected';
  readonly reason: string | null;
  readonly size: number | null;
  readonly sha256: string | null;
}

/**
 * Path of the STOW-RS batch endpoint of an upload session (`storeUploadBatch` of @courier/api).
 *
 * @example
 * batchPath('5d0…'); // '/api/uploads/5d0…/instances'
 */
export function batchPath(uploadId: string): string {
  return endpointPath(storeUploadBatch, { uploadId });
}

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;

function dicomJsonString(item: DicomJson, tag: string): string | undefined {
  const value = item[tag]?.Value?.[0];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * Reads a batch response: Courier's JSON (`{ instances: [{ sopInstanceUid, state, reason, size,
 * sha256 }] }`) or a plain STOW-RS Store Instances Response in DICOM JSON (PS3.18 10.5.3,
 * Referenced SOP Sequence (0008,1199) / Failed SOP Sequence (0008,1198), PS3.18 F.2), which has no
 * size or hash.
 *
 * @example
 * parseBatchResponse({ instances: [{ sopInstanceUid: '2.25.1', state: 'stored', size: 10, sha256: null }] });
 */
export function parseBatchResponse(body: unknown): BatchInstanceResult[] {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const list = Array.isArray(record.instances) ? record.instances : Array.isArray(body) ? body : undefined;
  if (list !== undefined) {
    return list.map((raw) => {
      const i = raw as Record<string, unknown>;
      const state = i.state === 'stored' || i.status === 'stored' ? 'stored' : 'rejected';
      return {
        sopInstanceUid: String(i.sopInstanceUid ?? ''),
        state,
        reason:
          typeof i.reason === 'string'
            ? typeof i.detail === 'string' && i.detail !== ''
              ? `${i.reason} (${i.detail})`
              : i.reason
            : null,
        size: typeof i.size === 'number' ? i.size : null,
        sha256: typeof i.sha256 === 'string' ? i.sha256 : null,
      };
    });
  }
  const json = record as DicomJson;
  const items = (tag: string) => (json[tag]?.Value ?? []) as DicomJson[];
  return [
    ...items(REFERENCED_SOP_SEQUENCE).map((item) => ({
      sopInstanceUid: dicomJsonString(item, REFERENCED_SOP_INSTANCE_UID) ?? '',
      state: 'stored' as const,
      reason: null,
      size: null,
      sha256: null,
    })),
    ...items(FAILED_SOP_SEQUENCE).map((item) => ({
      sopInstanceUid: dicomJsonString(item, REFERENCED_SOP_INSTANCE_UID) ?? '',
      state: 'rejected' as const,
      reason: `failure reason ${dicomJsonString(item, FAILURE_REASON) ?? 'unknown'}`,
      size: null,
      sha256: null,
    })),
  ];
}

/**
 * An answer of the commit endpoints with the server's `Retry-After` (RFC 9110 10.2.3) in
 * milliseconds, or null when it sent none.
 *
 * @example
 * const { status, retryAfterMs } = await commitUploadSession(client, uploadId, { overwrite: false });
 */
export interface CommitAnswer {
  readonly status: UploadCommitStatus;
  readonly retryAfterMs: number | null;
}

/** Retry-After as delay-seconds, or as an HTTP date; null when absent or unreadable. */
function retryAfterOf(response: Response, now: number): number | null {
  const value = response.headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function commitCall(
  client: PortalClient,
  method: 'GET' | 'POST',
  uploadId: string,
  init: { body?: string; signal?: AbortSignal | undefined },
): Promise<CommitAnswer> {
  const endpoint = method === 'POST' ? commitUpload : getUploadCommit;
  const response = await client.send(method, endpointPath(endpoint, { uploadId }), {
    headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
  const status = UploadCommitStatusSchema.parse(await response.json());
  return { status, retryAfterMs: retryAfterOf(response, Date.now()) };
}

/**
 * Asks the Portal to commit an upload session (`commitUpload` of @courier/api, answered 202): the
 * server checks the manifest is complete and queues the commit job that stores the study,
 * verifies it and assigns it to the slot. A repeated request answers the running (or finished)
 * job. Follow it with {@link getCommitStatus} until `done` or `failed`.
 *
 * @example
 * const { status } = await commitUploadSession(client, uploadId, { overwrite: false });
 */
export function commitUploadSession(
  client: PortalClient,
  uploadId: string,
  options: { overwrite: boolean; signal?: AbortSignal },
): Promise<CommitAnswer> {
  return commitCall(client, 'POST', uploadId, {
    body: JSON.stringify({ overwrite: options.overwrite }),
    signal: options.signal,
  });
}

/**
 * The commit job of a session (`getUploadCommit` of @courier/api), with the server's Retry-After.
 *
 * @example
 * const { status, retryAfterMs } = await getCommitStatus(client, uploadId);
 */
export function getCommitStatus(client: PortalClient, uploadId: string, signal?: AbortSignal): Promise<CommitAnswer> {
  return commitCall(client, 'GET', uploadId, { signal });
}

/** Receipts per page when reading a session's receipts back (the endpoint allows up to 10,000). */
const RECEIPT_PAGE = 5000;

/**
 * Reads every per-instance receipt of a session, page by page (`listUploadReceipts`), handing each
 * page to `onPage` so that a 100,000-instance session is never one response in memory.
 *
 * @example
 * await forEachReceiptPage(client, uploadId, async (items) => { for (const r of items) check(r); });
 */
export async function forEachReceiptPage(
  client: PortalClient,
  uploadId: string,
  onPage: (items: readonly UploadInstanceStatus[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  let offset = 0;
  for (;;) {
    const page = await client.call(listUploadReceipts, {
      params: { uploadId },
      query: { offset, limit: RECEIPT_PAGE },
      ...(signal === undefined ? {} : { signal }),
    });
    await onPage(page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return page.total;
  }
}
