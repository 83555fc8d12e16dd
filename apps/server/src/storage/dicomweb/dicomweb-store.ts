import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  assertInstanceKey,
  type DicomStore,
  type InstanceKey,
  type InstanceSource,
  type PutResult,
  type StagedInstance,
  type StoredInstance,
} from '../dicom-store.js';
import { mapLimit } from '../map-limit.js';
import { type ChecksumProvider, type Digests, wadoChecksums } from './checksum-provider.js';
import type { DicomJsonDataset } from './dicom-json.js';
import { multipartRelatedBody, newBoundary, stowContentType } from './multipart.js';
import { PacsError } from './pacs-error.js';
import { expectOk, type PacsHttp, pacsRequest } from './pacs-http.js';
import { qidoHasInstance, qidoStudyInstances } from './qido-rs.js';
import { judgeStowAnswer } from './stow-rs.js';
import { wadoRetrieveInstance } from './wado-rs.js';

/** Configuration of {@link dicomwebStore}. */
export interface DicomwebStoreOptions {
  /** The DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web` (no trailing slash needed). */
  baseUrl: string;
  /** The fetch to use and the headers (authentication) sent with every request. */
  http: PacsHttp;
  /** How stored bytes are proven; default {@link wadoChecksums} (WADO-RS retrieve and hash). */
  checksums?: ChecksumProvider;
  /** Requests in flight at once for checks and listings (default 4). */
  concurrency?: number;
  /** putMany: instances per STOW-RS request (default 25) and bytes per request (default 32 MiB). */
  batchInstances?: number;
  batchBytes?: number;
  /** putMany: STOW-RS requests in flight at once (default 2). */
  stowConcurrency?: number;
}

/** One instance of a STOW-RS batch: its key and its bytes, read once. */
export interface BatchItem {
  key: InstanceKey;
  source: InstanceSource;
}

/** The verdict on one instance of a batch: stored and proven, or refused with a PacsError. */
export type BatchResult =
  | { key: InstanceKey; ok: true; stored: StoredInstance }
  | { key: InstanceKey; ok: false; error: PacsError };

/** A DicomStore over DICOMweb that can also send several instances in one STOW-RS request. */
export interface DicomwebStore extends DicomStore {
  readonly kind: 'dicomweb';
  /**
   * Sends the instances in one STOW-RS request and judges each one: results are in input order.
   * A refused instance is a result, not a throw; the call throws only when the PACS cannot be
   * reached, refuses the credentials, answers with no per-instance verdict, or a source fails.
   */
  putBatch(items: readonly BatchItem[]): Promise<BatchResult[]>;
}

/** Digests the bytes while they flow into the request body; the digests are ready when the source ends. */
function tap(
  source: InstanceSource,
  done: (digests: Digests) => void,
  failed: (error: unknown) => void,
): InstanceSource {
  return (async function* () {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    let size = 0;
    try {
      for await (const chunk of source) {
        sha256.update(chunk);
        md5.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    } catch (error) {
      failed(error);
      throw error;
    }
    done({ size, sha256: sha256.digest('hex'), md5: md5.digest('hex') });
  })();
}

/** PS3.18 10.5.3: the statuses that carry a per-instance verdict (stored, partly stored, none stored, conflict). */
const VERDICT_STATUSES = new Set([200, 202, 400, 409]);

/**
 * The DICOM store of a PACS over DICOMweb: put is STOW-RS (PS3.18 10.5) with the bytes streamed
 * from the source into the request body, stat and verify confirm the instance with QIDO-RS
 * (PS3.18 10.6) and then ask the checksum provider, read is WADO-RS (PS3.18 10.4), listStudy is
 * QIDO-RS of the study. Every STOW-RS answer is judged per instance (never by its HTTP status) and
 * every instance reported stored is checked against the digests of the bytes sent before `put`
 * returns. Nothing is held whole in memory: bodies stream in both directions.
 *
 * @example
 * const http = { fetch, headers: { authorization: basicAuth('courier', secret) } };
 * const store = dicomwebStore({
 *   baseUrl: 'http://127.0.0.1:8042/dicom-web',
 *   http,
 *   checksums: orthancChecksums(http, 'http://127.0.0.1:8042'),
 * });
 * const results = await store.putBatch(items);
 */
export function dicomwebStore(options: DicomwebStoreOptions): DicomwebStore {
  const base = options.baseUrl.replace(/\/+$/, '');
  const http = options.http;
  const checksums = options.checksums ?? wadoChecksums(http, base);
  const concurrency = options.concurrency ?? 4;
  const batchInstances = options.batchInstances ?? 25;
  const batchBytes = options.batchBytes ?? 32 * 1024 * 1024;
  const stowConcurrency = options.stowConcurrency ?? 2;

  async function putBatch(items: readonly BatchItem[]): Promise<BatchResult[]> {
    if (items.length === 0) return [];
    const seen = new Set<string>();
    for (const { key } of items) {
      assertInstanceKey(key);
      if (seen.has(key.sopInstanceUid))
        throw new RangeError(`SOP Instance UID twice in one batch: ${key.sopInstanceUid}`);
      seen.add(key.sopInstanceUid);
    }
    const digests = new Map<string, Digests>();
    let sourceError: { error: unknown; key: InstanceKey } | undefined;
    const sources = items.map(({ key, source }) =>
      tap(
        source,
        (value) => digests.set(key.sopInstanceUid, value),
        (error) => {
          sourceError ??= { error, key };
        },
      ),
    );
    const studies = new Set(items.map((item) => item.key.studyInstanceUid));
    // PS3.18 10.5.1: storing into /studies/{study} lets the server refuse an instance of another study.
    const url = studies.size === 1 ? `${base}/studies/${items[0]?.key.studyInstanceUid}` : `${base}/studies`;
    const boundary = newBoundary();
    let response: Response;
    try {
      response = await pacsRequest(
        http,
        url,
        {
          method: 'POST',
          headers: { 'content-type': stowContentType(boundary), accept: 'application/dicom+json' },
          body: multipartRelatedBody(sources, boundary),
          duplex: 'half',
        },
        'STOW-RS',
      );
    } catch (error) {
      throw sourceFailure(sourceError) ?? error;
    }
    const failure = sourceFailure(sourceError);
    if (failure !== undefined) {
      await response.body?.cancel();
      throw failure;
    }
    if (!VERDICT_STATUSES.has(response.status)) await expectOk(response, 'STOW-RS');
    const answer = await readJson(response);
    if (answer === null && response.ok)
      throw new PacsError('PACS_BAD_RESPONSE', `STOW-RS ${url}: no DICOM JSON answer`);
    const outcomes = judgeStowAnswer(
      items.map((item) => item.key),
      answer,
    );
    return mapLimit(outcomes, concurrency, async (outcome): Promise<BatchResult> => {
      const { key } = outcome;
      if (!outcome.stored) {
        const code = outcome.uidMismatch === true ? 'PACS_UID_MISMATCH' : 'PACS_INSTANCE_REFUSED';
        return {
          key,
          ok: false,
          error: new PacsError(code, `${key.sopInstanceUid}: ${outcome.reason} (HTTP ${response.status})`, {
            status: response.status,
          }),
        };
      }
      const sent = digests.get(key.sopInstanceUid);
      if (sent === undefined)
        throw new PacsError('PACS_BAD_RESPONSE', `${key.sopInstanceUid} reported stored before it was sent`);
      try {
        await checksums.afterStore(key, sent);
      } catch (error) {
        if (
          error instanceof PacsError &&
          (error.code === 'PACS_CHECKSUM_MISMATCH' || error.code === 'PACS_INSTANCE_REFUSED')
        ) {
          return { key, ok: false, error };
        }
        throw error;
      }
      return { key, ok: true, stored: { ...key, size: sent.size, sha256: sent.sha256 } };
    });
  }

  /** One STOW-RS request per group; each instance proven by the checksum provider, and its bytes as read from staging checked against the receipt. */
  async function putMany(items: readonly StagedInstance[]): Promise<PutResult[]> {
    for (const item of items) assertInstanceKey(item.key);
    // A missing or resized staged file is that instance's refusal, not a failed request for its batch.
    const refused = new Map<StagedInstance, string>();
    await mapLimit(items, concurrency * 4, async (item) => {
      const size = await stat(item.path).then(
        (found) => found.size,
        () => null,
      );
      if (size === null) refused.set(item, 'the staged file is missing');
      else if (size !== item.size) refused.set(item, `the staged file holds ${size} bytes, ${item.size} were received`);
    });
    const groups: StagedInstance[][] = [];
    let group: StagedInstance[] = [];
    let bytes = 0;
    for (const item of items) {
      if (refused.has(item)) continue;
      if (group.length > 0 && (group.length >= batchInstances || bytes + item.size > batchBytes)) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(item);
      bytes += item.size;
    }
    if (group.length > 0) groups.push(group);
    const answered = await mapLimit(groups, stowConcurrency, async (members) => {
      const results = await putBatch(
        // Opened only when the body reaches the part: a request that fails early leaves no file open.
        members.map((item) => ({ key: item.key, source: readLazily(item.path) })),
      );
      return results.map((result, index): PutResult => {
        const item = members[index] as StagedInstance;
        if (!result.ok) return { key: item.key, ok: false, reason: result.error.message };
        // The digests are of the bytes read from staging and sent; they must be the bytes received.
        if (result.stored.size !== item.size || result.stored.sha256 !== item.sha256) {
          return {
            key: item.key,
            ok: false,
            reason: `the staged file held ${result.stored.size} bytes sha256 ${result.stored.sha256}, not what was received`,
          };
        }
        return { key: item.key, ok: true, stored: result.stored };
      });
    });
    const byKey = new Map(answered.flat().map((result) => [result.key.sopInstanceUid, result]));
    return items.map(
      (item): PutResult =>
        byKey.get(item.key.sopInstanceUid) ?? {
          key: item.key,
          ok: false,
          reason: refused.get(item) ?? 'not sent',
        },
    );
  }

  return {
    kind: 'dicomweb',
    putBatch,
    putMany,

    async put(key, source) {
      const [result] = await putBatch([{ key, source }]);
      if (result === undefined) throw new PacsError('PACS_BAD_RESPONSE', 'STOW-RS gave no result');
      if (!result.ok) throw result.error;
      return result.stored;
    },

    async stat(key) {
      assertInstanceKey(key);
      if (!(await qidoHasInstance(http, base, key))) return null;
      const found = await checksums.recorded(key);
      return found === null ? null : { ...key, ...found };
    },

    async verify(key) {
      assertInstanceKey(key);
      if (!(await qidoHasInstance(http, base, key))) return null;
      const found = await checksums.recompute(key);
      return found === null ? null : { ...key, ...found };
    },

    async read(key) {
      assertInstanceKey(key);
      return wadoRetrieveInstance(http, base, key);
    },

    async listKeys(studyInstanceUid) {
      assertInstanceKey({ studyInstanceUid, seriesInstanceUid: '1.1', sopInstanceUid: '1.1' });
      return qidoStudyInstances(http, base, studyInstanceUid);
    },

    async listStudy(studyInstanceUid) {
      assertInstanceKey({ studyInstanceUid, seriesInstanceUid: '1.1', sopInstanceUid: '1.1' });
      const keys = await qidoStudyInstances(http, base, studyInstanceUid);
      const found = await mapLimit(keys, concurrency, async (key) => {
        const value = await checksums.recorded(key);
        return value === null ? null : { ...key, ...value };
      });
      return found.filter((item): item is StoredInstance => item !== null);
    },
  };
}

async function* readLazily(path: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(path) as AsyncIterable<Buffer>;
}

function sourceFailure(failure: { error: unknown; key: InstanceKey } | undefined): PacsError | undefined {
  if (failure === undefined) return undefined;
  const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
  return new PacsError('PACS_SOURCE_FAILED', `${failure.key.sopInstanceUid}: ${message}`, { cause: failure.error });
}

async function readJson(response: Response): Promise<DicomJsonDataset | null> {
  // Orthanc's 400 answer to a partly bad batch carries the DICOM JSON verdict without a Content-Type.
  const text = await response.text();
  if (text.trim() === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as DicomJsonDataset) : null;
  } catch {
    return null;
  }
}
