/**
 * bench:many-files (issue 7: "works on a folder of 100,000 files without running out of memory") —
 * the client pipeline of `courier upload` on a folder of many small files, measuring the client's
 * peak RSS per quarter of each step, so that anything that grows with the number of files shows
 * as a rising row:
 *
 *   list (readdir + stat) → scan (headers) → checks (RT graph, RT tree, series details, sanity
 *   checks, as `courier upload` runs them) → Analysed (de-identify) → Uploaded → Verified (commit)
 *
 * It also prints what the list and the scan result hold per file (heap after GC), now and in the
 * previous layout — one plain 17-field object per record with a fingerprint string, and a closure
 * per file source (before the compact records of record-interner.ts) — rebuilt from the same scan
 * in the same run, so the two numbers compare on the same machine state.
 *
 * The files are 32×32 CT slices (≈ 3 KB each, one study, series of `--per-series`), generated
 * into a temp folder and deleted afterwards. The Portal (buildApp, SQLite, file-system store) runs
 * in a child process (bench/support/portal-child.ts), so the RSS measured here is the client's.
 *
 *   npm run bench:many-files                    # 100,000 files
 *   npm run bench:many-files -- --files 20000 --no-upload   # list + scan + de-identify only
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CreateUploadRequest, getUploadCommit } from '@courier/api';
import { DEFAULT_TRIAL_OPTIONS, type DeidConfig, UidMapper } from '@courier/deid';
import { sopClassName } from '@courier/dicom';
import {
  buildRtGraph,
  buildRtTree,
  deidentifySource,
  type FileSource,
  type IncrementalHash,
  type InstanceRecord,
  PortalClient,
  plainRecord,
  runSanityChecks,
  runUpload,
  scanFiles,
  seriesDetails,
} from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { syntheticUID, writeCtSeries } from './synthetic/ct-series.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: process.env.BENCH_FILES ?? '100000' },
    'per-series': { type: 'string', default: '1000' },
    upload: { type: 'boolean', default: true },
    'no-upload': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '3' },
  },
});
const files = Number(values.files);
const perSeries = Number(values['per-series']);
const upload = values.upload && !values['no-upload'];

const rows: Record<string, number[]> = {};
let phase = 'idle';
let quarter = 0;
const sample = () => {
  const row = rows[phase] ?? [0, 0, 0, 0];
  rows[phase] = row;
  row[quarter] = Math.max(row[quarter]!, process.memoryUsage.rss());
};
const sampler = setInterval(sample, 20);
const enter = (name: string) => {
  sample();
  phase = name;
  quarter = 0;
  sample();
};
const at = (done: number, total: number) => {
  const q = total === 0 ? 3 : Math.min(3, Math.floor((done / total) * 4));
  if (q !== quarter) {
    sample();
    quarter = q;
  }
};
const heapAfterGc = (): number => {
  // Twice: the first full GC leaves what only finalizers and weak references released.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0).padStart(5);
const timings: [string, number][] = [];
/** Records a finished step and prints its row at once (a run that fails later still shows it). */
const stepDone = (name: string, seconds: number): void => {
  sample();
  timings.push([name, seconds]);
  const row = rows[name] ?? [0, 0, 0, 0];
  console.log(
    `  ${name.padEnd(10)} ${row.map(mib).join(' ')}  ${seconds.toFixed(1).padStart(6)} s   (peak RSS MiB per quarter)`,
  );
};
const timed = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
  enter(name);
  const start = performance.now();
  const out = await task();
  stepDone(name, (performance.now() - start) / 1000);
  return out;
};

const dir = mkdtempSync(join(tmpdir(), 'courier-bench-many-'));
try {
  const start = performance.now();
  const study = syntheticUID(424242, 1);
  for (let s = 0, left = files; left > 0; s++, left -= perSeries) {
    writeCtSeries(join(dir, `series${String(s).padStart(4, '0')}`), {
      slices: Math.min(perSeries, left),
      rows: 32,
      columns: 32,
      seed: s + 1,
      studyInstanceUID: study,
      frameOfReferenceUID: syntheticUID(424242, 3),
    });
  }
  console.log(`generated ${files} files (32×32 CT) in ${((performance.now() - start) / 1000).toFixed(1)} s in ${dir}`);
  // A first small scan loads the code, the dictionary and the SOP class tables, which are paid
  // once: the per-file numbers below then hold only what grows with the files.
  const warmUp = join(dir, 'warm-up');
  writeCtSeries(warmUp, { slices: 20, rows: 8, columns: 8, seed: 999_999 });
  await scanFiles(await listFileSources(warmUp));
  rmSync(warmUp, { recursive: true, force: true });
  const baseline = heapAfterGc();
  const rssBefore = process.memoryUsage.rss();

  const sources = await timed('list', () => listFileSources(dir));
  const totalBytes = sources.reduce((n, s) => n + s.size, 0);
  const heapListed = heapAfterGc();
  const scan = await timed('scan', () => scanFiles(sources, { onProgress: (p) => at(p.filesRead, p.total) }));
  if (scan.instances.length !== files) throw new Error(`scan found ${scan.instances.length} instances of ${files}`);
  const heapScanned = heapAfterGc();
  const checks = await timed('checks', async () => {
    const series = scan.studies.flatMap((study) => study.series);
    const graph = buildRtGraph(series);
    const tree = buildRtTree(graph);
    const details = series.map(seriesDetails);
    const findings = runSanityChecks({
      series,
      graph,
      subject: { sex: 'O' },
      slot: { expectedModalities: ['CT'] },
      deidProblems: [],
    });
    return { graph, tree, details, findings };
  });
  const heapChecked = heapAfterGc();
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const items = scan.instances.map((record) => ({ record, source: byPath.get(record.path)! }));
  byPath.clear();

  let portalPeak = 0;
  let failure: string | undefined;
  if (upload) {
    const child = fork(join(import.meta.dirname, 'support', 'portal-child.ts'), [], {
      execArgv: ['--import', 'tsx', '--conditions=source'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ baseUrl: string; token: string; slot: CreateUploadRequest }>(
      (resolve, reject) => {
        child.once('message', (m) => resolve(m as never));
        child.once('exit', (code) => reject(new Error(`the Portal exited (${code})`)));
      },
    );
    try {
      const client = new PortalClient({ baseUrl: ready.baseUrl, auth: { kind: 'token', token: ready.token } });
      const nodeSha256 = (): IncrementalHash => {
        const h = createHash('sha256');
        return { update: (b) => h.update(b), digestHex: () => h.digest('hex') };
      };
      const stepStart = new Map<string, number>();
      const outcome = await runUpload({
        client,
        slot: ready.slot,
        items,
        overwrite: true,
        concurrency: Number(values.concurrency),
        createHash: nodeSha256,
        onEvent: (e) => {
          if (e.type === 'step' && e.state === 'running') {
            enter(e.step);
            stepStart.set(e.step, performance.now());
          } else if (e.type === 'step' && e.state !== 'running')
            stepDone(e.step, (performance.now() - stepStart.get(e.step)!) / 1000);
          else if (e.type === 'progress') at(e.files, e.totalFiles);
        },
      });
      if (outcome.ok)
        console.log(
          `uploaded, verified and committed ${outcome.counts.verify} instances in ${outcome.batchesSent} batches`,
        );
      if (outcome.uploadId !== null) {
        // The commit job as the Portal recorded it (server clock): request to done, and its states
        // as the engine saw them while polling (client clock, at poll granularity).
        const job = await client.call(getUploadCommit, { params: { uploadId: outcome.uploadId } });
        const c = job.commit;
        if (c !== null) {
          const seconds = c.finishedAt === null ? NaN : (Date.parse(c.finishedAt) - Date.parse(c.requestedAt)) / 1000;
          const seen = outcome.log.entries
            .filter((e) => e.event === 'commit-state')
            .map(
              (e) => `${String(e.state)} at ${((Date.parse(e.at) - Date.parse(c.requestedAt)) / 1000).toFixed(1)} s`,
            );
          console.log(
            `commit job: ${c.state}, ${c.stored}/${c.total} stored, ${seconds.toFixed(1)} s from request to ${c.state} (attempts ${c.attempts}); seen: ${seen.join(', ')}`,
          );
        }
      } else {
        failure = `upload failed: ${outcome.fatal} ${JSON.stringify(outcome.errors.slice(0, 3))}; counts ${JSON.stringify(outcome.counts)}`;
        console.log(failure);
      }
    } finally {
      const stopped = new Promise<{ peakRss: number }>((resolve) => child.once('message', (m) => resolve(m as never)));
      child.send('stop');
      const timeout = new Promise<{ peakRss: number }>((resolve) =>
        setTimeout(() => resolve({ peakRss: 0 }), 60_000).unref(),
      );
      portalPeak = (await Promise.race([stopped, timeout])).peakRss;
      child.kill();
    }
  } else {
    // De-identify only, as the engine's Analysed step does (one UidMapper, output dropped).
    const config: DeidConfig = {
      options: DEFAULT_TRIAL_OPTIONS,
      patientId: 'BENCH-0001',
      patientName: '0001',
      uidSecret: 'bench-secret-0123456789abcdef',
    };
    const uids = new UidMapper(config.uidSecret, (uid) => sopClassName(uid) !== undefined);
    await timed('deidentify', async () => {
      for (const [i, item] of items.entries()) {
        await deidentifySource(item.source, config, uids);
        at(i + 1, items.length);
      }
    });
  }
  enter('end');
  clearInterval(sampler);
  const heapEnd = heapAfterGc();
  // After the steps, so that its ~60 MB (100,000 files) do not show in their RSS rows.
  const previous = previousLayoutBytes(sources, scan.instances);

  console.log(`\n${files} files, ${(totalBytes / 1e6).toFixed(0)} MB; client peak RSS (MiB) per quarter of each step:`);
  console.log(`  step        Q1    Q2    Q3    Q4   time`);
  for (const [name, seconds] of timings) {
    const row = rows[name] ?? [0, 0, 0, 0];
    console.log(`  ${name.padEnd(10)} ${row.map(mib).join(' ')}  ${seconds.toFixed(1).padStart(6)} s`);
  }
  if (failure !== undefined) console.log(`  (the run did not complete: ${failure})`);
  console.log(
    `  RSS before listing: ${mib(rssBefore)} MiB${upload ? `; Portal peak RSS (child): ${mib(portalPeak)} MiB` : ''}`,
  );
  console.log(
    `  heap after GC: before ${mib(baseline)} MiB, listed ${mib(heapListed)}, scanned ${mib(heapScanned)}, checked ${mib(heapChecked)}, end ${mib(heapEnd)} MiB`,
  );
  const now = {
    list: (heapListed - baseline) / files,
    scan: (heapScanned - heapListed) / files,
  };
  const perFile = (n: number) => `${n.toFixed(0).padStart(5)} B`;
  console.log('  held per file (heap after GC)   list    scan   list + scan');
  console.log(
    `    previous layout (same run)   ${perFile(previous.list)} ${perFile(previous.scan)} ${perFile(previous.list + previous.scan)}`,
  );
  console.log(
    `    now                          ${perFile(now.list)} ${perFile(now.scan)} ${perFile(now.list + now.scan)}` +
      `   (${((now.list + now.scan) / (previous.list + previous.scan)).toFixed(2)}× the previous)`,
  );
  console.log(
    `    RT graph, tree, series details and sanity checks kept: ${perFile((heapChecked - heapScanned) / files)} per file` +
      ` (${checks.findings.length} findings, ${checks.graph.edges.length} edges)`,
  );
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Heap bytes per file that the list and the scan result held in the previous layout, rebuilt from
 * this run's sources and records: a closure per file source (path, size, full path, `read`) and
 * a plain record per instance with its fingerprint string, its repeated strings and sub-objects
 * shared (what the previous RecordInterner did). Measured with the current structures alive, then
 * dropped.
 */
function previousLayoutBytes(
  sources: readonly FileSource[],
  records: readonly InstanceRecord[],
): { list: number; scan: number } {
  const start = heapAfterGc();
  const root = mkdtempSync(join(tmpdir(), 'courier-bench-layout-'));
  rmSync(root, { recursive: true, force: true });
  // Fresh flat strings, as path.join and relative() made per file (flattened by the first stat).
  const copy = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
  const oldSources = sources.map((s) => {
    const full = copy(join(root, s.path));
    return {
      path: copy(s.path),
      size: s.size,
      async read(offset: number, length: number) {
        return [full, offset, length];
      },
    };
  });
  const listed = heapAfterGc();
  const strings = new Map<string, string>();
  const objects = new Map<string, unknown>();
  const intern = <T>(v: T): T => {
    const key = JSON.stringify(v);
    const known = objects.get(key);
    if (known !== undefined) return known as T;
    objects.set(key, v);
    return v;
  };
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  // Every file is an instance here, and both lists are sorted by path: record i is file i.
  const oldRecords = records.map((record, i) => {
    const source = oldSources[i]!;
    const { path, size, sopInstanceUID, sopClassUID, studyInstanceUID, seriesInstanceUID, transferSyntaxUID, ...rest } =
      plainRecord(record);
    // As extractInstance built it: its own UID string (decoded from the file) and the fingerprint
    // string as scan-file.ts built it; then copied by the previous RecordInterner.
    const extracted = {
      path: source.path,
      size: source.size,
      sopClassUID,
      sopInstanceUID: copy(sopInstanceUID),
      studyInstanceUID,
      seriesInstanceUID,
      transferSyntaxUID,
      fingerprint: `${(size >> 4).toString(16)}-${hex(Math.imul(i, 2654435761))}${hex(Math.imul(i, 1597334677))}`,
      ...rest,
    };
    if (path !== source.path) throw new Error(`record ${i} is not file ${i}`);
    const out: Record<string, unknown> = { ...extracted };
    for (const key of ['sopClassUID', 'studyInstanceUID', 'seriesInstanceUID', 'transferSyntaxUID', 'modality']) {
      const v = out[key];
      if (typeof v === 'string') {
        const known = strings.get(v) ?? v;
        strings.set(v, known);
        out[key] = known;
      }
    }
    for (const key of ['patient', 'study', 'seriesAttributes', 'imageType', 'readerWarnings', 'rt', 'references'])
      if (out[key] !== undefined) out[key] = intern(out[key]);
    return out;
  });
  // The study tree held a second array of the records.
  const tree = [...oldRecords];
  const scanned = heapAfterGc();
  const n = records.length;
  const result = { list: (listed - start) / n, scan: (scanned - listed) / n };
  if (tree.length + oldSources.length < 0) console.log('unreachable');
  return result;
}
