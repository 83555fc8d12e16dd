import {
  ApiError,
  type CreateUploadRequest,
  createUpload,
  getUpload,
  type ManifestInstance,
  putUploadManifest,
  type UploadCommitStatus,
  type UploadInstanceStatus,
  type UploadSession,
} from '@courier/api';
import { checkConfig, DEID_ENGINE_VERSION, type DeidConfig, deidConfigOfSlot, UidMapper } from '@courier/deid';
import { isByteRange, type OutputPart, sopClassName } from '@courier/dicom';
import { type Batch, type BatchLimits, DEFAULT_BATCH_LIMITS, effectiveLimits, planBatches } from './batch-plan.js';
import type { BlobFileSource } from './browser/file-source.js';
import { deidentifySource } from './deidentify-source.js';
import type { FileSource } from './file-source.js';
import type { InstanceRecord } from './instance-record.js';
import { createSha256, type IncrementalHash } from './part-hash.js';
import type { PortalClient } from './portal-client.js';
import { DEFAULT_RETRY_POLICY, httpStatusOf, type RetryPolicy, sleep, withRetry } from './retry.js';
import {
  hashInstance,
  instanceChunks,
  type SentInstance,
  type StowInstance,
  stowBodyBlob,
  stowBodyStream,
  stowBoundary,
  stowContentType,
  stowOverhead,
} from './stow-body.js';
import { UploadLog } from './upload-log.js';
import {
  batchPath,
  type CommitAnswer,
  commitUploadSession,
  forEachReceiptPage,
  getCommitStatus,
  parseBatchResponse,
} from './upload-requests.js';

/**
 * The four steps the Uploader shows, each with a file count: Evaluate (configuration), De-identify
 * ("Analysed"), Upload ("Uploaded"), Verify ("Verified").
 *
 * @example
 * const step: UploadStep = 'deidentify';
 */
export type UploadStep = 'evaluate' | 'deidentify' | 'upload' | 'verify';

/** The steps in order. */
export const UPLOAD_STEPS: readonly UploadStep[] = ['evaluate', 'deidentify', 'upload', 'verify'];

/**
 * One file to upload: what the scanner recorded and how to read it.
 *
 * @example
 * const item: UploadItem = { record, source: sourcesByPath.get(record.path)! };
 */
export interface UploadItem {
  readonly record: InstanceRecord;
  readonly source: FileSource;
}

/**
 * A row of the error table: the file (by its index in the upload and, once known, its
 * de-identified SOP Instance UID), the step and the reason. `path` is for the local display only
 * and never goes into the log.
 *
 * @example
 * const row: UploadErrorRow = { index: 4, path: 'CT/IM5', step: 'upload', reason: 'rejected: DEID_LEFTOVER' };
 */
export interface UploadErrorRow {
  readonly index: number | null;
  readonly path: string | null;
  readonly sopInstanceUid?: string;
  readonly step: UploadStep;
  readonly reason: string;
}

/**
 * What the engine reports while it runs: the UI's step counters and progress bars, and the CLI's
 * lines, come from these.
 *
 * @example
 * engine options: { onEvent: (e) => { if (e.type === 'progress') bar.update(e.files / e.totalFiles) } }
 */
export type UploadEvent =
  | { readonly type: 'step'; readonly step: UploadStep; readonly state: 'running' | 'done' | 'failed' }
  | {
      readonly type: 'progress';
      readonly step: UploadStep;
      readonly files: number;
      readonly totalFiles: number;
      readonly bytes: number;
      readonly totalBytes: number;
    }
  | {
      readonly type: 'batch';
      readonly batch: number;
      readonly instances: number;
      readonly bytes: number;
      readonly ms: number;
      readonly stored: number;
      readonly rejected: number;
    }
  | {
      readonly type: 'retry';
      readonly batch: number;
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly type: 'login-required'; readonly reason: string }
  | { readonly type: 'resumed'; readonly alreadyStored: number }
  | { readonly type: 'error'; readonly row: UploadErrorRow };

/**
 * Options of {@link runUpload}.
 *
 * @example
 * await runUpload({ client, slot: ids, items, onLoginRequired: () => promptLogin(client) });
 */
export interface UploadEngineOptions {
  readonly client: PortalClient;
  /** The slot to upload to (a new session is opened) … */
  readonly slot?: CreateUploadRequest;
  /** … or an existing session to resume. */
  readonly uploadId?: string;
  readonly items: readonly UploadItem[];
  /** Replace the study the slot holds (the Portal keeps the previous one in its history). */
  readonly overwrite?: boolean;
  /** Requests in flight at once (default 3). */
  readonly concurrency?: number;
  /** Batch limits before lowering to the server's (default 16 MiB / 50 instances). */
  readonly limits?: BatchLimits;
  readonly retry?: RetryPolicy;
  /** SHA-256 factory; the CLI passes node:crypto's. */
  readonly createHash?: () => IncrementalHash;
  /** Body type: a stream of file reads (Node) or a Blob of slices (browser; needs BlobFileSources). */
  readonly body?: 'stream' | 'blob';
  readonly onEvent?: (event: UploadEvent) => void;
  /**
   * Called once per lost authentication (401): resolve after the user logged in again (update
   * `client.auth` if the credentials changed); the upload resumes from where it stopped. Without
   * it a 401 ends the run.
   */
  readonly onLoginRequired?: (reason: string) => Promise<void>;
  readonly signal?: AbortSignal;
  /** The log to append to (the caller may have logged the scan and sanity checks into it). */
  readonly log?: UploadLog;
}

/**
 * How a run ended. `ok` only when every instance is stored, the receipts match what was sent and
 * the session is committed (the study assigned to the slot).
 *
 * @example
 * const outcome = await runUpload(options); if (!outcome.ok) console.table(outcome.errors);
 */
export interface UploadOutcome {
  readonly ok: boolean;
  readonly uploadId: string | null;
  /** De-identified Study Instance UID assigned to the slot. */
  readonly studyInstanceUid: string | null;
  /** Files per step that finished it (Analysed, Uploaded, Verified…). */
  readonly counts: Readonly<Record<UploadStep, number>>;
  /** Instances found already stored when the upload started (resume). */
  readonly alreadyStored: number;
  /** Batches sent (successful requests). */
  readonly batchesSent: number;
  readonly errors: readonly UploadErrorRow[];
  /** The reason of a fatal error, else null. */
  readonly fatal: string | null;
  readonly log: UploadLog;
}

/**
 * Where one instance stands during the run. What the run learns per instance lives here, not in
 * maps keyed by UID, so that 100,000 files cost one small object each.
 */
interface Planned {
  readonly index: number;
  readonly item: UploadItem;
  readonly manifest: ManifestInstance;
  /**
   * The de-identified output kept from the De-identify step so the send does not de-identify the
   * file a second time (dropped once the batch is answered); absent beyond KEPT_HEADER_BYTES.
   */
  parts?: readonly OutputPart[] | undefined;
  /** Size and SHA-256 of what this run sent (set when the batch was answered). */
  sent?: SentInstance;
  /** The batch receipt compared with `sent` on arrival: null when it matches, else the problem. */
  receiptProblem?: string | null;
  /** Set when the session's receipts listed the instance (Verify, before the commit). */
  listed?: boolean;
}

/** Planned instances sorted by SOP Instance UID (code-unit order), for {@link findPlanned}. */
function byUidOrder(planned: readonly Planned[]): Planned[] {
  return [...planned].sort((a, b) => compareUid(a.manifest.sopInstanceUid, b.manifest.sopInstanceUid));
}

function compareUid(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The planned instance with this UID, by binary search: a sorted array of references costs 8 bytes
 * per instance where a Map would cost several times that (100,000 files). The server's receipt
 * order is not relied on (a PostgreSQL collation may sort UIDs differently).
 */
function findPlanned(sorted: readonly Planned[], uid: string): Planned | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = sorted[mid]!;
    const order = compareUid(p.manifest.sopInstanceUid, uid);
    if (order === 0) return p;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

class Fatal extends Error {}

const DEFAULT_CONCURRENCY = 3;

/**
 * New header bytes of de-identified instances kept between De-identify and Upload (a CT slice has
 * ~2 KB): the first ~15,000 CT instances are sent without a second de-identification, and memory
 * stays bounded however many files there are (the rest are de-identified again when sent).
 */
const KEPT_HEADER_BYTES = 32 * 1024 * 1024;

/** Files de-identified at once in the De-identify step. */
const DEIDENTIFY_CONCURRENCY = 4;

/**
 * Runs an upload (issue 7): Evaluate (open or resume the session, check the de-identification
 * configuration from the slot) → De-identify every file (PS3.15, on this machine; manifest of the
 * new UIDs and sizes) → Upload the instances the session does not hold yet, in STOW-RS batches
 * limited by bytes and count, `concurrency` requests in flight, retried with backoff, paused on
 * 401 until `onLoginRequired` resolves → Verify: compare the server's size and SHA-256 of every
 * instance with what was sent, then commit. Never throws for a failed upload: the outcome holds
 * the error table; a fatal error stops the run with `fatal` set.
 *
 * @example
 * const outcome = await runUpload({ client, slot, items, concurrency: 3, onEvent: console.log });
 */
export async function runUpload(options: UploadEngineOptions): Promise<UploadOutcome> {
  return new UploadRun(options).run();
}

class UploadRun {
  readonly log: UploadLog;
  readonly errors: UploadErrorRow[] = [];
  readonly counts: Record<UploadStep, number> = { evaluate: 0, deidentify: 0, upload: 0, verify: 0 };
  readonly createHash: () => IncrementalHash;
  uploadId: string | null = null;
  studyInstanceUid: string | null = null;
  alreadyStored = 0;
  batchesSent = 0;
  #login: Promise<void> | null = null;
  /** Completed logins: tells a 401 of a request sent with the old credentials from a new one. */
  #logins = 0;

  constructor(readonly options: UploadEngineOptions) {
    this.log = options.log ?? new UploadLog();
    this.createHash = options.createHash ?? createSha256;
  }

  emit(event: UploadEvent): void {
    this.options.onEvent?.(event);
  }

  fail(row: UploadErrorRow): void {
    this.errors.push(row);
    const { path: _path, ...logged } = row;
    this.log.add('error', logged);
    this.emit({ type: 'error', row });
  }

  outcome(fatal: string | null): UploadOutcome {
    const ok = fatal === null && this.errors.length === 0;
    this.log.add('end', { ok, fatal, counts: this.counts, errors: this.errors.length, batches: this.batchesSent });
    return {
      ok,
      uploadId: this.uploadId,
      studyInstanceUid: this.studyInstanceUid,
      counts: { ...this.counts },
      alreadyStored: this.alreadyStored,
      batchesSent: this.batchesSent,
      errors: [...this.errors],
      fatal,
      log: this.log,
    };
  }

  async run(): Promise<UploadOutcome> {
    const { items } = this.options;
    const concurrency = this.options.concurrency ?? DEFAULT_CONCURRENCY;
    this.log.add('config', {
      files: items.length,
      concurrency,
      limits: this.options.limits ?? DEFAULT_BATCH_LIMITS,
      retry: { ...(this.options.retry ?? DEFAULT_RETRY_POLICY), random: undefined },
      overwrite: this.options.overwrite === true,
      body: this.bodyKind(),
      deidEngine: DEID_ENGINE_VERSION,
    });
    let step: UploadStep = 'evaluate';
    try {
      this.emit({ type: 'step', step, state: 'running' });
      const { session, config } = await this.evaluate();
      this.emit({ type: 'step', step, state: 'done' });

      step = 'deidentify';
      this.emit({ type: 'step', step, state: 'running' });
      const planned = await this.deidentifyAll(config);
      if (this.errors.length > 0) throw new Fatal(`${this.errors.length} file(s) could not be de-identified`);
      const withManifest = await this.registerManifest(session, planned);
      this.emit({ type: 'step', step, state: 'done' });

      step = 'upload';
      this.emit({ type: 'step', step, state: 'running' });
      await this.uploadAll(withManifest, planned, config, concurrency);
      if (this.errors.length > 0) throw new Fatal(`${this.errors.length} instance(s) were not stored`);
      this.emit({ type: 'step', step, state: 'done' });

      step = 'verify';
      this.emit({ type: 'step', step, state: 'running' });
      await this.verify(planned, config);
      this.emit({ type: 'step', step, state: 'done' });
      return this.outcome(null);
    } catch (error) {
      this.emit({ type: 'step', step, state: 'failed' });
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof Fatal)) this.fail({ index: null, path: null, step, reason });
      return this.outcome(reason);
    }
  }

  bodyKind(): 'stream' | 'blob' {
    return this.options.body ?? 'stream';
  }

  /** Calls the Portal, pausing for a login on 401 (once per lost session, shared by all workers). */
  async portal<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      const generation = this.#logins;
      try {
        return await call();
      } catch (error) {
        if (httpStatusOf(error) !== 401) throw error;
        // A request that left before another worker's login completed is simply sent again.
        if (generation !== this.#logins) continue;
        await this.relogin(error instanceof Error ? error.message : String(error));
      }
    }
  }

  async relogin(reason: string): Promise<void> {
    const onLogin = this.options.onLoginRequired;
    if (onLogin === undefined) throw new Fatal(`login required: ${reason}`);
    if (this.#login === null) {
      this.log.add('login-required', { reason });
      this.emit({ type: 'login-required', reason });
      this.#login = onLogin(reason).finally(() => {
        this.#login = null;
        this.#logins++;
        this.log.add('login-resumed');
      });
    }
    await this.#login;
  }

  async evaluate(): Promise<{ session: UploadSession; config: DeidConfig }> {
    const { client, signal } = this.options;
    const session = await this.portal(() =>
      this.options.uploadId !== undefined
        ? client.call(getUpload, { params: { uploadId: this.options.uploadId }, ...(signal ? { signal } : {}) })
        : client.call(createUpload, { body: this.requireSlot(), ...(signal ? { signal } : {}) }),
    );
    this.uploadId = session.id;
    if (session.status !== 'open') throw new Fatal(`the upload session is ${session.status}`);
    const { config, unknownOptions } = deidConfigOfSlot(session.slot);
    const problems = checkConfig(config).map((p) => `${p.code}: ${p.message}`);
    for (const name of unknownOptions) problems.push(`OPTION_UNKNOWN: the study names an unknown option "${name}"`);
    this.log.add('evaluate', {
      uploadId: session.id,
      options: config.options,
      dateHandling: session.slot.dateHandling,
      limits: session.slot.limits,
      slotHoldsStudy: session.slot.currentValue !== null,
      problems,
    });
    if (problems.length > 0) throw new Fatal(`the de-identification configuration has problems: ${problems.join(' ')}`);
    if (session.slot.currentValue !== null && this.options.overwrite !== true) {
      throw new Fatal('the slot already holds a study: confirm the overwrite to replace it');
    }
    if (this.options.items.length === 0) throw new Fatal('no file to upload');
    this.counts.evaluate = this.options.items.length;
    return { session, config };
  }

  requireSlot(): CreateUploadRequest {
    if (this.options.slot === undefined) throw new Fatal('neither a slot nor an upload session was given');
    return this.options.slot;
  }

  async deidentifyAll(config: DeidConfig): Promise<Planned[]> {
    const { items } = this.options;
    const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
    const totalBytes = items.reduce((n, i) => n + i.source.size, 0);
    const byIndex: (Planned | undefined)[] = new Array(items.length);
    let bytes = 0;
    let kept = 0;
    let next = 0;
    // A few files at a time: de-identification is CPU work on this one thread either way, but each
    // file's header read waits for a thread-pool round trip, and on a busy machine those waits
    // overlap instead of adding up. Planned instances keep the order of the items.
    const worker = async () => {
      while (next < items.length) {
        this.options.signal?.throwIfAborted();
        const index = next++;
        await this.deidentifyOne(index, config, uids, byIndex, (headerBytes) => {
          const keep = kept + headerBytes <= KEPT_HEADER_BYTES;
          if (keep) kept += headerBytes;
          return keep;
        });
        bytes += items[index]!.source.size;
        this.emit({
          type: 'progress',
          step: 'deidentify',
          files: this.counts.deidentify,
          totalFiles: items.length,
          bytes,
          totalBytes,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(DEIDENTIFY_CONCURRENCY, items.length) }, worker));
    this.log.add('deidentified', { files: this.counts.deidentify, studyInstanceUid: this.studyInstanceUid });
    return byIndex.filter((p): p is Planned => p !== undefined);
  }

  /** De-identifies item `index` into `byIndex[index]`, or records its error row. */
  async deidentifyOne(
    index: number,
    config: DeidConfig,
    uids: UidMapper,
    byIndex: (Planned | undefined)[],
    keepParts: (headerBytes: number) => boolean,
  ): Promise<void> {
    const item = this.options.items[index]!;
    try {
      const out = await deidentifySource(item.source, config, uids);
      const { sopInstanceUid, seriesInstanceUid, studyInstanceUid } = out.report;
      if (sopInstanceUid === undefined || seriesInstanceUid === undefined || studyInstanceUid === undefined) {
        throw new Error('the de-identified instance lacks a SOP Instance, Series or Study Instance UID');
      }
      const keep = keepParts(out.parts.reduce((n, part) => n + (isByteRange(part) ? 0 : part.length), 0));
      byIndex[index] = {
        index,
        item,
        parts: keep ? out.parts : undefined,
        manifest: {
          sopInstanceUid,
          seriesInstanceUid,
          sopClassUid: item.record.sopClassUID,
          ...(item.record.modality !== undefined && /^[A-Z0-9_ ]{1,16}$/.test(item.record.modality)
            ? { modality: item.record.modality }
            : {}),
          size: out.size,
        },
      };
      if (this.studyInstanceUid === null) this.studyInstanceUid = studyInstanceUid;
      else if (this.studyInstanceUid !== studyInstanceUid) {
        throw new Error('the selection holds more than one DICOM study; upload one study per slot');
      }
      this.counts.deidentify++;
    } catch (error) {
      byIndex[index] = undefined;
      this.fail({ index, path: item.source.path, step: 'deidentify', reason: messageOf(error) });
    }
  }

  async registerManifest(session: UploadSession, planned: readonly Planned[]): Promise<UploadSession> {
    const { client, signal } = this.options;
    const manifest = { studyInstanceUid: this.studyInstanceUid!, instances: planned.map((p) => p.manifest) };
    return this.portal(() =>
      withRetry(
        () =>
          client.call(putUploadManifest, {
            params: { uploadId: session.id },
            body: manifest,
            ...(signal ? { signal } : {}),
          }),
        this.options.retry ?? DEFAULT_RETRY_POLICY,
        {
          ...(signal ? { signal } : {}),
          onRetry: (attempt, delayMs, error) => {
            const reason = messageOf(error);
            this.log.add('retry', { request: 'manifest', attempt, delayMs, reason });
            this.emit({ type: 'retry', batch: -1, attempt, delayMs, reason });
          },
        },
      ),
    );
  }

  async uploadAll(session: UploadSession, planned: readonly Planned[], config: DeidConfig, concurrency: number) {
    const stored = new Set(session.instances.filter((i) => i.state === 'stored').map((i) => i.sopInstanceUid));
    const todo = planned.filter((p) => !stored.has(p.manifest.sopInstanceUid));
    this.alreadyStored = planned.length - todo.length;
    this.counts.upload = this.alreadyStored;
    if (this.alreadyStored > 0) {
      this.log.add('resume', { alreadyStored: this.alreadyStored, toSend: todo.length });
      this.emit({ type: 'resumed', alreadyStored: this.alreadyStored });
    }
    const boundary = stowBoundary();
    const limits = effectiveLimits(this.options.limits ?? DEFAULT_BATCH_LIMITS, session.slot.limits);
    const perPart = stowOverhead(boundary, 2) - stowOverhead(boundary, 1);
    // Each part costs its size plus one delimiter; the first delimiter and the closing one are
    // charged to the limit up front so that a full batch's body stays within maxBytes.
    const fixed = stowOverhead(boundary, 1) - perPart;
    const batches = planBatches(todo, (p) => p.manifest.size + perPart, {
      maxBytes: Math.max(1, limits.maxBytes - fixed),
      maxInstances: limits.maxInstances,
    });
    this.log.add('batches', { count: batches.length, limits, toSend: todo.length });
    const totalBytes = planned.reduce((n, p) => n + p.manifest.size, 0);
    let bytes = planned.filter((p) => stored.has(p.manifest.sopInstanceUid)).reduce((n, p) => n + p.manifest.size, 0);
    const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
    let next = 0;
    // After a batch fails for good, the other workers finish their request and take no new one.
    let stopped = false;
    const worker = async () => {
      while (next < batches.length && !stopped && this.options.signal?.aborted !== true) {
        const number = next++;
        const batch = batches[number]!;
        const members = batch.items.map((i) => todo[i]!);
        const results = await this.sendBatch(number, batch, members, config, uids, session.id, boundary).catch(
          (error: unknown) => {
            stopped = true;
            throw error;
          },
        );
        for (const p of members) {
          const result = results.get(p.manifest.sopInstanceUid);
          if (result?.state === 'stored') {
            this.counts.upload++;
            bytes += p.manifest.size;
          } else {
            this.fail({
              index: p.index,
              path: p.item.source.path,
              sopInstanceUid: p.manifest.sopInstanceUid,
              step: 'upload',
              reason:
                result === undefined ? 'the server did not answer for this instance' : `rejected: ${result.reason}`,
            });
          }
        }
        this.emit({
          type: 'progress',
          step: 'upload',
          files: this.counts.upload,
          totalFiles: planned.length,
          bytes,
          totalBytes,
        });
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(concurrency, batches.length)) }, worker);
    const settled = await Promise.allSettled(workers);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    this.options.signal?.throwIfAborted();
  }

  async sendBatch(
    number: number,
    batch: Batch,
    members: readonly Planned[],
    config: DeidConfig,
    uids: UidMapper,
    uploadId: string,
    boundary: string,
  ): Promise<Map<string, { state: 'stored' | 'rejected'; reason: string | null }>> {
    const { client, signal } = this.options;
    const started = Date.now();
    const send = async () => {
      // The output kept from the De-identify step, else de-identified again from the file: the
      // output is deterministic (same secret, same file), and memory stays bounded.
      const instances: StowInstance[] = [];
      for (const p of members) {
        const out =
          p.parts !== undefined
            ? { parts: p.parts, size: p.manifest.size }
            : await deidentifySource(p.item.source, config, uids);
        if (out.size !== p.manifest.size) {
          throw new Fatal(
            `file #${p.index} changed since it was de-identified (size ${out.size} ≠ ${p.manifest.size})`,
          );
        }
        instances.push({ parts: out.parts, source: p.item.source });
      }
      const length = instances.reduce((n, i) => n + i.parts.reduce((m, part) => m + part.length, 0), 0);
      const contentLength = length + stowOverhead(boundary, instances.length);
      const hashes = new Map<number, SentInstance>();
      let body: Blob | ReadableStream<Uint8Array>;
      if (this.bodyKind() === 'blob') {
        const withBlobs = [];
        for (const i of instances) {
          const blob = (i.source as Partial<BlobFileSource>).blob;
          if (blob instanceof Blob) withBlobs.push({ parts: i.parts, blob });
          else {
            // A zip member has no File to slice: its inflated bytes go into the Blob (one batch at most).
            const chunks: Uint8Array<ArrayBuffer>[] = [];
            for await (const chunk of instanceChunks(i)) chunks.push(chunk as Uint8Array<ArrayBuffer>);
            const whole = new Blob(chunks);
            withBlobs.push({ parts: [{ offset: 0, length: whole.size }], blob: whole });
          }
        }
        body = stowBodyBlob(withBlobs, boundary);
        for (const [i, instance] of instances.entries()) hashes.set(i, await hashInstance(instance, this.createHash));
      } else body = stowBodyStream(instances, boundary, (i, s) => hashes.set(i, s), this.createHash);
      const response = await client.send('POST', batchPath(uploadId), {
        headers: {
          'content-type': stowContentType(boundary),
          'content-length': String(contentLength),
          accept: 'application/json',
        },
        body,
        ...(body instanceof Blob ? {} : { duplex: 'half' as const }),
        ...(signal ? { signal } : {}),
      });
      const results = parseBatchResponse(await response.json());
      members.forEach((p, i) => {
        const sent = hashes.get(i);
        if (sent !== undefined) p.sent = sent;
      });
      return results;
    };
    const results = await this.portal(() =>
      withRetry(send, this.options.retry ?? DEFAULT_RETRY_POLICY, {
        ...(signal ? { signal } : {}),
        onRetry: (attempt, delayMs, error) => {
          const reason = messageOf(error);
          this.log.add('retry', { batch: number, attempt, delayMs, reason });
          this.emit({ type: 'retry', batch: number, attempt, delayMs, reason });
        },
      }),
    );
    for (const p of members) p.parts = undefined;
    const byUid = new Map(results.map((r) => [r.sopInstanceUid, r]));
    // The receipts of this batch are checked now and only the verdict is kept.
    for (const p of members) {
      const r = byUid.get(p.manifest.sopInstanceUid);
      if (r?.state === 'stored' && p.sent !== undefined)
        p.receiptProblem = compareReceipt({ size: r.size, sha256: r.sha256 }, p.sent, false);
    }
    const stored = results.filter((r) => r.state === 'stored').length;
    const ms = Date.now() - started;
    this.batchesSent++;
    this.log.add('batch', {
      batch: number,
      instances: members.length,
      bytes: batch.bytes,
      ms,
      stored,
      rejected: results.length - stored,
      files: members.map((p) => p.index),
    });
    this.emit({
      type: 'batch',
      batch: number,
      instances: members.length,
      bytes: batch.bytes,
      ms,
      stored,
      rejected: results.length - stored,
    });
    return byUid;
  }

  /**
   * Verify: (1) before committing, every instance's receipt — the batch answer of this run, or the
   * session's receipts (read page by page) for instances stored by an earlier run — must show the
   * size and SHA-256 of what was sent (hashes of resumed instances are recomputed from the files);
   * any mismatch stops here, uncommitted. (2) Commit: the Portal answers 202 and runs the commit
   * job (store, verify in the store, assign); it is polled with backoff (or after the server's
   * Retry-After) and its progress shown as "Verified" (instances stored and proven in the store);
   * a 401 while polling pauses for a login like every other call; a failed job is a fatal error
   * naming the server's code. (3) The stored SHA-256 of every instance, from the receipts of the
   * committed session, must again equal what was sent.
   */
  async verify(planned: readonly Planned[], config: DeidConfig): Promise<void> {
    const { client, signal } = this.options;
    const uploadId = this.uploadId!;
    const sorted = byUidOrder(planned);
    const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
    let mismatches = 0;
    const before: UploadInstanceStatus[] = [];
    await this.portal(async () => {
      before.length = 0;
      await forEachReceiptPage(client, uploadId, (items) => void before.push(...items), signal);
    });
    for (const entry of before) {
      const p = findPlanned(sorted, entry.sopInstanceUid);
      if (p === undefined) continue;
      p.listed = true;
      let sent = p.sent;
      if (sent === undefined) {
        // Stored by an earlier run: hash what we would send, from the file, to compare.
        const out = await deidentifySource(p.item.source, config, uids);
        sent = await hashInstance({ parts: out.parts, source: p.item.source }, this.createHash);
        p.sent = sent;
      }
      const storedReceipt = { size: entry.size, sha256: entry.storedSha256 };
      const problem =
        entry.state !== 'stored'
          ? `not stored (${entry.state}${entry.reason ? `: ${entry.reason}` : ''})`
          : (p.receiptProblem ?? compareReceipt(storedReceipt, sent, false));
      if (problem !== null) {
        mismatches++;
        this.fail({
          index: p.index,
          path: p.item.source.path,
          sopInstanceUid: p.manifest.sopInstanceUid,
          step: 'verify',
          reason: problem,
        });
      }
    }
    before.length = 0;
    for (const p of planned) {
      if (p.listed === true) continue;
      mismatches++;
      this.fail({
        index: p.index,
        path: p.item.source.path,
        sopInstanceUid: p.manifest.sopInstanceUid,
        step: 'verify',
        reason: 'not in the session',
      });
    }
    this.log.add('receipts', { checked: planned.length, mismatches });
    if (mismatches > 0) throw new Fatal(`${mismatches} instance(s) failed verification; the session was not committed`);

    const totalBytes = planned.reduce((n, p) => n + p.manifest.size, 0);
    const committed = await this.commitAndWait(uploadId, planned.length, totalBytes);
    this.log.add('commit', {
      status: committed.status,
      state: committed.commit?.state,
      stored: committed.commit?.stored,
    });
    let verified = 0;
    let answered = 0;
    await this.portal(async () => {
      verified = 0;
      answered = 0;
      await forEachReceiptPage(
        client,
        uploadId,
        (items) => {
          for (const entry of items) {
            const p = findPlanned(sorted, entry.sopInstanceUid);
            if (p === undefined) continue;
            answered++;
            const problem =
              entry.state !== 'stored'
                ? 'not stored in the committed study'
                : compareReceipt({ size: entry.size, sha256: entry.storedSha256 }, p.sent!, true);
            if (problem === null) verified++;
            else
              this.fail({
                index: p.index,
                path: p.item.source.path,
                sopInstanceUid: entry.sopInstanceUid,
                step: 'verify',
                reason: problem,
              });
          }
        },
        signal,
      );
    });
    if (answered < planned.length) {
      this.fail({
        index: null,
        path: null,
        step: 'verify',
        reason: `${planned.length - answered} instance(s) not in the committed study`,
      });
    }
    this.counts.verify = verified;
    this.log.add('verified', { verified, of: planned.length });
    this.emit({
      type: 'progress',
      step: 'verify',
      files: verified,
      totalFiles: planned.length,
      bytes: totalBytes,
      totalBytes,
    });
    if (verified < planned.length)
      throw new Fatal(`${planned.length - verified} instance(s) failed verification after the commit`);
  }

  /**
   * Asks for the commit and follows the job until it is done: the wait before each status request
   * is the server's Retry-After when it sends one, else a backoff from 250 ms doubling to 5 s. A
   * Portal that is briefly unreachable (a restart, a proxy's 502/503/504) is asked again with the
   * run's retry policy: the job itself survives in the database and any Portal instance finishes it.
   */
  async commitAndWait(uploadId: string, totalFiles: number, totalBytes: number): Promise<UploadCommitStatus> {
    const { client, signal } = this.options;
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const ask = (call: () => Promise<CommitAnswer>) =>
      withRetry(() => this.portal(call), policy, signal === undefined ? {} : { signal });
    let answer = await ask(() =>
      commitUploadSession(client, uploadId, {
        overwrite: this.options.overwrite === true,
        ...(signal ? { signal } : {}),
      }),
    );
    let backoff = COMMIT_POLL_FIRST_MS;
    let lastState: string | null = null;
    for (;;) {
      const { status, commit } = answer.status;
      if (commit !== null && commit.state !== lastState) {
        lastState = commit.state;
        this.log.add('commit-state', {
          state: commit.state,
          stored: commit.stored,
          total: commit.total,
          attempts: commit.attempts,
        });
      }
      if (commit !== null) {
        this.counts.verify = commit.stored;
        this.emit({
          type: 'progress',
          step: 'verify',
          files: commit.stored,
          totalFiles,
          bytes: commit.total > 0 ? Math.round((totalBytes * commit.stored) / commit.total) : 0,
          totalBytes,
        });
      }
      if (commit?.state === 'failed') {
        const error = commit.error;
        throw new Fatal(
          `the Portal could not commit the session${error === null ? '' : ` (${error.code}: ${error.message})`}; nothing was assigned, the upload can be committed again`,
        );
      }
      if (status === 'committed' || commit?.state === 'done') return answer.status;
      if (status !== 'open' || commit === null) throw new Fatal(`the Portal did not commit the session (${status})`);
      const wait = Math.min(COMMIT_POLL_MAX_WAIT_MS, answer.retryAfterMs ?? backoff);
      backoff = Math.min(COMMIT_POLL_MAX_MS, backoff * 2);
      await sleep(wait, signal);
      answer = await ask(() => getCommitStatus(client, uploadId, signal));
    }
  }
}

/** First wait before asking for the commit's state again, when the server sends no Retry-After. */
const COMMIT_POLL_FIRST_MS = 250;
/** Longest wait between status requests from the backoff. */
const COMMIT_POLL_MAX_MS = 5000;
/** Longest wait honoured from a Retry-After. */
const COMMIT_POLL_MAX_WAIT_MS = 60_000;

/** Why a receipt does not prove the sent bytes were stored, or null when it does. */
function compareReceipt(
  receipt: { size: number | null; sha256: string | null } | undefined,
  sent: SentInstance,
  requireHash: boolean,
): string | null {
  if (receipt === undefined) return 'no receipt from the server';
  if (receipt.size !== null && receipt.size !== sent.size) return `size ${receipt.size} stored, ${sent.size} sent`;
  if (receipt.sha256 === null) return requireHash ? 'the server gave no SHA-256 for the stored bytes' : null;
  return receipt.sha256 === sent.sha256 ? null : 'SHA-256 of the stored bytes differs from what was sent';
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
