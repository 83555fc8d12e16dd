import type { InstanceKey } from '../dicom-store.js';
import { type ChecksumProvider, digestStream, type SizedHash } from './checksum-provider.js';
import { PacsError } from './pacs-error.js';
import { expectOk, type PacsHttp, pacsRequest } from './pacs-http.js';

/**
 * The user metadata name under which the SHA-256 of each instance is recorded in Orthanc. Orthanc
 * only accepts metadata declared in its configuration: `"UserMetadata": { "CourierSha256": 1024 }`.
 */
export const ORTHANC_SHA256_METADATA = 'CourierSha256';

/**
 * Checksums from Orthanc's REST API (not DICOMweb): after STOW-RS the MD5 and size Orthanc computed
 * for the stored file (`/instances/{id}/attachments/dicom/info`) are compared with the
 * bytes sent, and the SHA-256 is recorded as user metadata so `stat` answers without reading the
 * instance; `recompute` hashes `/instances/{id}/file`, the stored file itself. The Orthanc
 * identifier is found with `/tools/lookup` from the SOP Instance UID.
 *
 * @example
 * const checksums = orthancChecksums(http, 'http://127.0.0.1:8042');
 * const store = dicomwebStore({ baseUrl: 'http://127.0.0.1:8042/dicom-web', http, checksums });
 */
export function orthancChecksums(http: PacsHttp, orthancUrl: string): ChecksumProvider {
  const root = orthancUrl.replace(/\/+$/, '');

  async function instanceId(key: InstanceKey): Promise<string | null> {
    const response = await pacsRequest(
      http,
      `${root}/tools/lookup`,
      { method: 'POST', body: key.sopInstanceUid },
      'Orthanc lookup',
    );
    await expectOk(response, 'Orthanc lookup');
    const found = (await response.json()) as { ID?: string; Type?: string }[];
    return found.find((item) => item.Type === 'Instance')?.ID ?? null;
  }

  async function getText(path: string, what: string): Promise<string | null> {
    const response = await pacsRequest(http, `${root}${path}`, {}, what);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    await expectOk(response, what);
    return (await response.text()).trim();
  }

  async function record(id: string, value: SizedHash): Promise<void> {
    const response = await pacsRequest(
      http,
      `${root}/instances/${id}/metadata/${ORTHANC_SHA256_METADATA}`,
      { method: 'PUT', body: `${value.size}:${value.sha256}` },
      'Orthanc metadata (is "UserMetadata": {"CourierSha256": 1024} configured?)',
    );
    await expectOk(response, 'Orthanc metadata (is "UserMetadata": {"CourierSha256": 1024} configured?)');
    await response.body?.cancel();
  }

  async function hashFile(id: string): Promise<SizedHash | null> {
    const response = await pacsRequest(http, `${root}/instances/${id}/file`, {}, 'Orthanc file');
    if (response.status === 404 || response.body === null) {
      await response.body?.cancel();
      return null;
    }
    await expectOk(response, 'Orthanc file');
    const { size, sha256 } = await digestStream(response.body as unknown as AsyncIterable<Uint8Array>);
    return { size, sha256 };
  }

  return {
    name: 'orthanc',

    async afterStore(key, sent) {
      const id = await instanceId(key);
      if (id === null)
        throw new PacsError('PACS_INSTANCE_REFUSED', `${key.sopInstanceUid} not found in Orthanc after STOW-RS`);
      // One request for both: UncompressedMD5/Size describe the DICOM file whether or not Orthanc compresses it on disk.
      const info = await getText(`/instances/${id}/attachments/dicom/info`, 'Orthanc attachment info');
      const parsed = (info === null ? {} : JSON.parse(info)) as { UncompressedMD5?: string; UncompressedSize?: number };
      if (parsed.UncompressedMD5 !== sent.md5 || parsed.UncompressedSize !== sent.size) {
        throw new PacsError(
          'PACS_CHECKSUM_MISMATCH',
          `${key.sopInstanceUid}: sent ${sent.size} bytes md5 ${sent.md5}, Orthanc holds ${parsed.UncompressedSize} bytes md5 ${parsed.UncompressedMD5}`,
        );
      }
      await record(id, sent);
    },

    async recorded(key) {
      const id = await instanceId(key);
      if (id === null) return null;
      const value = await getText(`/instances/${id}/metadata/${ORTHANC_SHA256_METADATA}`, 'Orthanc metadata');
      const match = value === null ? null : /^(\d+):([0-9a-f]{64})$/.exec(value);
      if (match?.[1] !== undefined && match[2] !== undefined) return { size: Number(match[1]), sha256: match[2] };
      // Stored by someone else (another client, a C-STORE): hash once and record it.
      const hashed = await hashFile(id);
      if (hashed !== null) await record(id, hashed);
      return hashed;
    },

    async recompute(key) {
      const id = await instanceId(key);
      return id === null ? null : hashFile(id);
    },
  };
}
