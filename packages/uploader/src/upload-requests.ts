import { commitUpload, endpointPath, storeUploadBatch, type UploadSession } from '@courier/api';
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
 * Commits an upload session (`commitUpload` of @courier/api): the server checks the manifest is
 * complete, stores the study, verifies it and assigns it to the slot. Returns the session as it
 * is afterwards.
 *
 * @example
 * const session = await commitUploadSession(client, uploadId, { overwrite: false });
 */
export function commitUploadSession(
  client: PortalClient,
  uploadId: string,
  options: { overwrite: boolean; signal?: AbortSignal },
): Promise<UploadSession> {
  return client.call(commitUpload, {
    params: { uploadId },
    body: { overwrite: options.overwrite },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
