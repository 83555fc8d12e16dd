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
 * The Portal's batch endpoint (STOW-RS store + re-check) is not part of this run yet; when it
 * exists the end-to-end line against buildApp belongs here too.
 *
 *   npm run bench:upload                     # 2,000 CT slices of 512×512 (≈ 1 GB, generated once in $TMPDIR)
 *   npm run bench:upload -- --slices 300
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRIAL_OPTIONS, type DeidConfig, UidMapper } from '@courier/deid';
import { sopClassName } from '@courier/dicom';
import {
  deidentifySource,
  type FileSource,
  type IncrementalHash,
  instanceChunks,
  planBatches,
  type StowInstance,
  scanFiles,
  stowBodyStream,
  stowBoundary,
  stowContentType,
  stowOverhead,
} from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { writeCtSeries } from './synthetic/ct-series.js';

const { values } = parseArgs({
  options: {
    slices: { type: 'string', default: process.env.BENCH_SLICES ?? '2000' },
    concurrency: { type: 'string', default: '3' },
    'batch-files': { type: 'string', default: '50' },
    'batch-mb': { type: 'string', default: '16' },
  },
});
const slices = Number(values.slices);
const concurrency = Number(values.concurrency);
const limits = { maxInstances: Number(values['batch-files']), maxBytes: Number(values['batch-mb']) * 1024 * 1024 };

const dir = join(tmpdir(), `courier-bench-upload-${slices}`);
if (!existsSync(join(dir, 'done'))) {
  console.log(`generating ${slices} CT slices (512×512) in ${dir} ...`);
  for (let s = 0, left = slices; left > 0; s++, left -= 500) {
    writeCtSeries(join(dir, `series${s}`), { slices: Math.min(500, left), seed: s + 1 });
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

async function measure(task: () => Promise<unknown>): Promise<{ seconds: number; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  await task();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  return { seconds, peakMiB: Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024 };
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

const mb = totalBytes / 1e6;
const rows: { floor: number; ours: number; floorPeak: number; oursPeak: number }[] = [];
for (let round = 0; round < 2; round++) {
  const floor = await measure(rawFloor);
  const ours = await measure(courier);
  rows.push({ floor: floor.seconds, ours: ours.seconds, floorPeak: floor.peakMiB, oursPeak: ours.peakMiB });
}
sink.close();
const best = (k: 'floor' | 'ours') => Math.min(...rows.map((r) => r[k]));
const peak = (k: 'floorPeak' | 'oursPeak') => Math.max(...rows.map((r) => r[k]));
console.log(
  `${sources.length} files, ${mb.toFixed(0)} MB, batches of ${limits.maxInstances} / ${values['batch-mb']} MiB, ${concurrency} in flight (best of 2)`,
);
console.log(
  `(a) raw floor      ${best('floor').toFixed(2)} s  ${(sources.length / best('floor')).toFixed(0)} files/s  ${(mb / best('floor')).toFixed(0)} MB/s  peak RSS ${peak('floorPeak').toFixed(0)} MiB`,
);
console.log(
  `(b) courier client ${best('ours').toFixed(2)} s  ${(sources.length / best('ours')).toFixed(0)} files/s  ${(mb / best('ours')).toFixed(0)} MB/s  peak RSS ${peak('oursPeak').toFixed(0)} MiB`,
);
console.log(
  `(c) courier / floor throughput: ${((best('floor') / best('ours')) * 100).toFixed(0)}% (goal ≥ 70%); bytes through the sink: ${(sunk / 1e6).toFixed(0)} MB`,
);
