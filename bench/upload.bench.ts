/**
 * bench:upload (issue 7) — the client half of an upload against its I/O floor, over loopback HTTP:
 *
 *   (a) raw floor: the same files' bytes POSTed as-is, in batches of the same size, 3 requests in
 *       flight, streamed from disk, to a sink server that only counts bytes;
 *   (b) courier: scan (headers) + de-identify (PS3.15, zero-copy writer) + STOW-RS multipart
 *       bodies streamed from the writer's parts with SHA-256 computed while streaming, same
 *       batches, same concurrency, same sink;
 *   (c) the ratio (a)/(b) as a share of the floor, files/s, MB/s and peak RSS of each phase
 *       (client and sink share the process, so RSS includes both).
 *
 *   (e) the Portal alone: the same de-identified batches, written to body files before the clock
 *       starts, streamed like (a) to the Portal's batch endpoint (a second session of the slot;
 *       no commit) — the client does no more than in (a), so (a)/(e) is the server's share.
 *
 *   (d) courier end to end against the real Portal (its own Node process by default, `--portal
 *       inline` for buildApp in this process; loopback, SQLite and the
 *       file-system store in a temp folder): scan + de-identify + upload (server re-check and
 *       staging) + verify + commit (store, verify, assign), through runUpload.
 *
 *   npm run bench:upload                     # 2,000 CT slices of 512×512 (≈ 1 GB, generated once in $TMPDIR)
 *   npm run bench:upload -- --slices 300
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import {
  createApiToken,
  createUpload,
  listEventSlots,
  listSubjectEvents,
  listSubjects,
  login,
  putUploadManifest,
} from '@courier/api';
import { DEFAULT_TRIAL_OPTIONS, type DeidConfig, deidConfigOfSlot, UidMapper } from '@courier/deid';
import { sopClassName } from '@courier/dicom';
import { buildApp, DEFAULT_CONFIG, seedDemoIfEmpty } from '@courier/server';
import {
  batchPath,
  deidentifySource,
  type FileSource,
  type IncrementalHash,
  instanceChunks,
  PortalClient,
  parseBatchResponse,
  planBatches,
  runUpload,
  type StowInstance,
  scanFiles,
  stowBodyStream,
  stowBoundary,
  stowContentType,
  stowOverhead,
} from '@courier/uploader';
import { listFileSources, nodeFileSource } from '@courier/uploader/node';
import { type PortalProcess, startPortalProcess } from '../apps/server/test/cluster/portal-cluster.js';
import { syntheticUID, writeCtSeries } from './synthetic/ct-series.js';

const { values } = parseArgs({
  options: {
    slices: { type: 'string', default: process.env.BENCH_SLICES ?? '2000' },
    concurrency: { type: 'string', default: '3' },
    'batch-files': { type: 'string', default: '50' },
    'batch-mb': { type: 'string', default: '16' },
    // process: the Portal in its own Node process (as deployed; client and server each get a core),
    // inline: buildApp in the bench's process (one thread for both, the earlier measurement).
    portal: { type: 'string', default: 'process' },
  },
});
const slices = Number(values.slices);
const concurrency = Number(values.concurrency);
const limits = { maxInstances: Number(values['batch-files']), maxBytes: Number(values['batch-mb']) * 1024 * 1024 };

// v2: every series of the set shares one Study Instance UID (a slot takes one study).
const dir = join(tmpdir(), `courier-bench-upload-v2-${slices}`);
if (!existsSync(join(dir, 'done'))) {
  console.log(`generating ${slices} CT slices (512×512) in ${dir} ...`);
  for (let s = 0, left = slices; left > 0; s++, left -= 500) {
    writeCtSeries(join(dir, `series${s}`), {
      slices: Math.min(500, left),
      seed: s + 1,
      studyInstanceUID: syntheticUID(1, 1),
    });
  }
  writeFileSync(join(dir, 'done'), 'complete\n');
}
const sources = (await listFileSources(dir)).filter((s) => s.path !== 'done');
const totalBytes = sources.reduce((n, s) => n + s.size, 0);

// The sink: reads every body to the end and answers 200, like a Portal that stores nothing.
let sunk = 0;
const sink = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => {
    sunk += chunk.length;
  });
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/sink`;

interface Measured {
  seconds: number;
  peakMiB: number;
  /** CPU seconds (user + system) of this process during the task: the client's, plus the sink's in (a)/(b). */
  cpu: number;
}

async function measure(task: () => Promise<unknown>): Promise<Measured> {
  let peak = process.memoryUsage.rss();
  // Every 50 ms: reading the RSS costs ~0.25 ms of CPU, which every 10 ms was ~2.5% of the client's time.
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await task();
  const seconds = (performance.now() - start) / 1000;
  const cpuUsed = process.cpuUsage(cpuStart);
  clearInterval(timer);
  return {
    seconds,
    peakMiB: Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024,
    cpu: (cpuUsed.user + cpuUsed.system) / 1e6,
  };
}

async function pool<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

async function post(body: ReadableStream<Uint8Array>, length: number, contentType: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { 'content-type': contentType, 'content-length': String(length) },
  } as RequestInit);
  await response.arrayBuffer();
}

const batchesOf = (list: readonly FileSource[]) => planBatches(list, (s) => s.size, limits);

/** (a) Raw file bytes, batch by batch, read from disk in the same 1 MiB chunks as (b), no hashing. */
async function rawFloor(): Promise<void> {
  await pool(batchesOf(sources), async (batch) => {
    const files = batch.items.map((i) => sources[i]!);
    async function* chunks() {
      for (const source of files) yield* instanceChunks({ parts: [{ offset: 0, length: source.size }], source });
    }
    const iterator = chunks();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
    await post(body, batch.bytes, 'application/octet-stream');
  });
}

const config: DeidConfig = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'BENCH-0001',
  patientName: '0001',
  uidSecret: 'bench-secret-0123456789abcdef',
};
const nodeSha256 = (): IncrementalHash => {
  const h = createHash('sha256');
  return { update: (b) => h.update(b), digestHex: () => h.digest('hex') };
};

/** (b) Scan, de-identify, STOW-RS bodies hashed while streaming. */
async function courier(): Promise<void> {
  const scan = await scanFiles(sources);
  if (scan.ignored.length > 0) throw new Error(`${scan.ignored.length} files ignored`);
  const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
  const boundary = stowBoundary();
  await pool(batchesOf(sources), async (batch) => {
    const instances: StowInstance[] = [];
    let length = 0;
    for (const i of batch.items) {
      const source = sources[i]!;
      const out = await deidentifySource(source, config, uids);
      instances.push({ parts: out.parts, source });
      length += out.size;
    }
    const body = stowBodyStream(instances, boundary, () => {}, nodeSha256);
    await post(body, length + stowOverhead(boundary, instances.length), stowContentType(boundary));
  });
}

/** (d) The whole upload through runUpload against buildApp. */
async function endToEnd(): Promise<void> {
  let child: PortalProcess | undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'courier-bench-portal-'));
  const portal = await buildApp({
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    databaseUrl: undefined,
    logLevel: 'silent',
    demo: false,
  });
  try {
    const seed = (await seedDemoIfEmpty(portal.context))!;
    let baseUrl: string;
    if (values.portal === 'inline') {
      await portal.app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(portal.app.server.address() as AddressInfo).port}`;
    } else {
      // The seeded database stays; a Portal process serves it (SQLite, the same data folder).
      await portal.app.close();
      child = await startPortalProcess({ COURIER_DATA_DIR: dataDir, DATABASE_URL: '', COURIER_STORE: 'file-system' });
      baseUrl = child.baseUrl;
    }
    const session = new PortalClient({ baseUrl, auth: { kind: 'cookies', jar: new Map() } });
    const password = seed.credentials.find((c) => c.username === 'uploader')!.password;
    const me = await session.call(login, { body: { username: 'uploader', password } });
    if (session.auth.kind === 'cookies') session.auth.csrfToken = me.csrfToken ?? undefined;
    const token = (await session.call(createApiToken, { body: { name: 'bench' } })).token;
    const client = new PortalClient({ baseUrl, auth: { kind: 'token', token } });
    const studyId = seed.studyId;
    const subject = (
      await client.call(listSubjects, { params: { studyId }, query: { q: 'S01-001', offset: 0, limit: 1 } })
    ).items[0]!;
    const event = (await client.call(listSubjectEvents, { params: { studyId, subjectId: subject.id } })).find(
      (e) => e.name === 'Planning',
    )!;
    const slots = await client.call(listEventSlots, { params: { studyId, subjectId: subject.id, eventId: event.id } });
    const slotDefinitionId = slots.find((s) => s.label === 'Planning CT')!.slotDefinitionId;
    const cpuBefore = child === undefined ? undefined : cpuSeconds(child.pid);
    const e2e = await measure(async () => {
      const scan = await scanFiles(sources);
      const byPath = new Map(sources.map((s) => [s.path, s]));
      const outcome = await runUpload({
        client,
        slot: { studyId, subjectId: subject.id, eventId: event.id, slotDefinitionId },
        items: scan.instances.map((record) => ({ record, source: byPath.get(record.path)! })),
        overwrite: true,
        concurrency,
        limits,
        createHash: nodeSha256,
        onEvent: (event) => {
          // The Portal's CPU up to the verify step is the batches' (receive, hash, re-check, stage).
          if (event.type === 'step' && event.step === 'verify' && event.state === 'running' && child !== undefined) {
            serverCpuUpload = cpuSeconds(child.pid);
          }
        },
      });
      if (!outcome.ok) throw new Error(`upload failed: ${outcome.fatal} ${JSON.stringify(outcome.errors.slice(0, 3))}`);
      // Where the time went, from the run's log (each entry is stamped).
      const at = (event: string) => Date.parse(outcome.log.entries.find((e) => e.event === event)?.at ?? '');
      const phases: [string, string, string][] = [
        ['evaluate', 'config', 'evaluate'],
        ['de-identify + manifest', 'evaluate', 'batches'],
        ['upload', 'batches', 'receipts'],
        ['commit', 'receipts', 'commit'],
      ];
      phaseLine = phases.map(([name, from, to]) => `${name} ${((at(to) - at(from)) / 1000).toFixed(2)} s`).join(', ');
    });
    endToEndResult = e2e;
    if (child !== undefined) {
      const slotIds = { studyId, subjectId: subject.id, eventId: event.id, slotDefinitionId };
      serverOnlyResult = await serverOnly(client, slotIds, child.pid);
    }
    if (child !== undefined) {
      serverPeakMiB = peakRssMiB(child.pid);
      const cpuAfter = cpuSeconds(child.pid);
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        serverCpu = cpuAfter - cpuBefore;
        if (serverCpuUpload !== undefined) serverCpuUpload -= cpuBefore;
      }
    }
  } finally {
    await child?.stop();
    await portal.app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
let endToEndResult: Measured | undefined;
let serverOnlyResult: { seconds: number; portalCpu: number | undefined } | undefined;

/** (e) The Portal alone: batch bodies prepared on disk first, then streamed as in (a). */
async function serverOnly(
  client: PortalClient,
  slot: { studyId: string; subjectId: string; eventId: string; slotDefinitionId: string },
  pid: number,
): Promise<{ seconds: number; portalCpu: number | undefined }> {
  const session = await client.call(createUpload, { body: slot });
  const { config: slotConfig } = deidConfigOfSlot(session.slot);
  const uids = new UidMapper(slotConfig.uidSecret, (uid) => sopClassName(uid) !== undefined);
  const scan = await scanFiles(sources);
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const outs: { instance: StowInstance; size: number; sop: string; series: string; study: string; cls: string }[] = [];
  for (const record of scan.instances) {
    const source = byPath.get(record.path)!;
    const out = await deidentifySource(source, slotConfig, uids);
    outs.push({
      instance: { parts: out.parts, source },
      size: out.size,
      sop: out.report.sopInstanceUid!,
      series: out.report.seriesInstanceUid!,
      study: out.report.studyInstanceUid!,
      cls: record.sopClassUID,
    });
  }
  await client.call(putUploadManifest, {
    params: { uploadId: session.id },
    body: {
      studyInstanceUid: outs[0]!.study,
      instances: outs.map((o) => ({
        sopInstanceUid: o.sop,
        seriesInstanceUid: o.series,
        sopClassUid: o.cls,
        size: o.size,
      })),
    },
  });
  const boundary = stowBoundary();
  const bodyDir = await mkdtemp(join(tmpdir(), 'courier-bench-bodies-'));
  try {
    const bodies: string[] = [];
    for (const [n, batch] of planBatches(outs, (o) => o.size, limits).entries()) {
      const path = join(bodyDir, `batch${n}`);
      const instances = batch.items.map((i) => outs[i]!.instance);
      await pipeline(Readable.fromWeb(stowBodyStream(instances, boundary) as never), createWriteStream(path));
      bodies.push(path);
    }
    const cpuBefore = cpuSeconds(pid);
    const timed = await measure(() =>
      pool(bodies, async (path) => {
        const file = await nodeFileSource(path);
        const iterator = instanceChunks({ parts: [{ offset: 0, length: file.size }], source: file });
        const stream = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const next = await iterator.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
        });
        const response = await client.send('POST', batchPath(session.id), {
          headers: { 'content-type': stowContentType(boundary), 'content-length': String(file.size) },
          body: stream,
          duplex: 'half',
        });
        const results = parseBatchResponse(await response.json());
        const rejected = results.filter((r) => r.state !== 'stored');
        if (rejected.length > 0) throw new Error(`(e): ${rejected.length} rejected, e.g. ${rejected[0]!.reason}`);
      }),
    );
    const cpuAfter = cpuSeconds(pid);
    return {
      seconds: timed.seconds,
      portalCpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    };
  } finally {
    await rm(bodyDir, { recursive: true, force: true });
  }
}
let serverCpuUpload: number | undefined;
let serverPeakMiB: number | undefined;

/** CPU seconds (user + system) a process has used so far (Linux /proc), or undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks, 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
let serverCpu: number | undefined;

/** A process's peak resident set (Linux /proc VmHWM), in MiB; undefined elsewhere. */
function peakRssMiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
let phaseLine = '';

const mb = totalBytes / 1e6;
const rows: { floor: number; ours: number; floorPeak: number; oursPeak: number; floorCpu: number; oursCpu: number }[] =
  [];
for (let round = 0; round < 2; round++) {
  const floor = await measure(rawFloor);
  const ours = await measure(courier);
  rows.push({
    floor: floor.seconds,
    ours: ours.seconds,
    floorPeak: floor.peakMiB,
    oursPeak: ours.peakMiB,
    floorCpu: floor.cpu,
    oursCpu: ours.cpu,
  });
}
sink.close();
await endToEnd();
const best = (k: 'floor' | 'ours' | 'floorCpu' | 'oursCpu') => Math.min(...rows.map((r) => r[k]));
const perInstance = (cpu: number) => `${((cpu * 1000) / sources.length).toFixed(1)} ms CPU per instance`;
const peak = (k: 'floorPeak' | 'oursPeak') => Math.max(...rows.map((r) => r[k]));
console.log(
  `${sources.length} files, ${mb.toFixed(0)} MB, batches of ${limits.maxInstances} / ${values['batch-mb']} MiB, ${concurrency} in flight (best of 2)`,
);
console.log(
  `(a) raw floor      ${best('floor').toFixed(2)} s  ${(sources.length / best('floor')).toFixed(0)} files/s  ${(mb / best('floor')).toFixed(0)} MB/s  peak RSS ${peak('floorPeak').toFixed(0)} MiB  ${perInstance(best('floorCpu'))} (client + sink)`,
);
console.log(
  `(b) courier client ${best('ours').toFixed(2)} s  ${(sources.length / best('ours')).toFixed(0)} files/s  ${(mb / best('ours')).toFixed(0)} MB/s  peak RSS ${peak('oursPeak').toFixed(0)} MiB  ${perInstance(best('oursCpu'))} (client + sink)`,
);
console.log(
  `(c) courier / floor throughput: ${((best('floor') / best('ours')) * 100).toFixed(0)}% (goal ≥ 70%); bytes through the sink: ${(sunk / 1e6).toFixed(0)} MB`,
);
const e2e = endToEndResult!;
const rss =
  values.portal === 'inline'
    ? `peak RSS ${e2e.peakMiB.toFixed(0)} MiB (client and Portal in one process)`
    : `peak RSS client ${e2e.peakMiB.toFixed(0)} MiB, Portal process ${serverPeakMiB?.toFixed(0) ?? '?'} MiB`;
console.log(
  `(d) courier e2e    ${e2e.seconds.toFixed(2)} s  ${(sources.length / e2e.seconds).toFixed(0)} files/s  ${(mb / e2e.seconds).toFixed(0)} MB/s  ${rss}`,
);
if (values.portal !== 'inline')
  console.log(`    client CPU during (d): ${e2e.cpu.toFixed(2)} s (${perInstance(e2e.cpu)})`);
if (serverCpu !== undefined) {
  console.log(
    `    Portal CPU during (d): ${serverCpu.toFixed(2)} s (${((serverCpu * 1000) / sources.length).toFixed(1)} ms per instance, ${((serverCpu * 1e9) / totalBytes).toFixed(2)} s per GB) — independent of other load`,
  );
  if (serverCpuUpload !== undefined) {
    console.log(
      `    of which batches (until verify): ${serverCpuUpload.toFixed(2)} s (${perInstance(serverCpuUpload)}), verify + commit: ${(serverCpu - serverCpuUpload).toFixed(2)} s`,
    );
  }
}
console.log(`(d)/(a) end to end vs raw floor: ${((best('floor') / e2e.seconds) * 100).toFixed(0)}% (goal ≥ 70%)`);
if (serverOnlyResult !== undefined) {
  const { seconds, portalCpu } = serverOnlyResult;
  console.log(
    `(e) Portal alone   ${seconds.toFixed(2)} s  ${(sources.length / seconds).toFixed(0)} files/s  ${(mb / seconds).toFixed(0)} MB/s  (a)/(e) ${((best('floor') / seconds) * 100).toFixed(0)}%${portalCpu === undefined ? '' : `  Portal ${perInstance(portalCpu)}`}`,
  );
}
console.log(`    e2e phases: ${phaseLine} (the verify step recomputes nothing: hashes were taken while streaming)`);
