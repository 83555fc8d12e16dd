/**
 * bench:scan — scanning a folder of synthetic CT files from disk (packages/uploader scanFiles) against
 * the I/O floor: plain reading of the same 64 KiB prefixes with the same FileSource and the same
 * concurrency. Prints files/s of both, their ratio, and the peak RSS of each phase.
 *
 *   npm run bench:scan                 # 5,000 files of 256×256 (≈ 650 MB, generated once, kept in the tmp dir)
 *   npm run bench:scan -- --files 500 --concurrency 8
 *
 * The data set is cached in $TMPDIR/courier-bench-scan-<files>; delete it to regenerate. Both
 * phases run twice, alternating, so that neither profits alone from a warm page cache.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type FileSource, scanFiles } from '@courier/uploader';
import { listFileSources } from '@courier/uploader/node';
import { writeCtSeries } from './synthetic/ct-series.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '4' },
    'per-series': { type: 'string', default: '500' },
  },
});
const files = Number(values.files);
const concurrency = Number(values.concurrency);
const perSeries = Number(values['per-series']);
const PREFIX = 64 * 1024;

const dir = join(tmpdir(), `courier-bench-scan-${files}`);
if (!existsSync(join(dir, 'done'))) {
  console.log(`generating ${files} CT files (256×256) in ${dir} ...`);
  for (let s = 0, left = files; left > 0; s++, left -= perSeries) {
    writeCtSeries(join(dir, `series${s}`), { slices: Math.min(perSeries, left), rows: 256, columns: 256, seed: s + 1 });
  }
  writeFileSync(join(dir, 'done'), 'complete\n');
}
const sources = (await listFileSources(dir)).filter((s) => s.path !== 'done');

/** Runs `task` while sampling RSS every 10 ms; returns seconds and the peak RSS in MiB. */
async function measure(task: () => Promise<unknown>): Promise<{ seconds: number; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  await task();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, peakMiB: peak / 1024 / 1024 };
}

/** The I/O floor: read each prefix with the same pool size, and drop it. */
async function readPrefixes(list: readonly FileSource[]): Promise<number> {
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < list.length) {
        const s = list[next++]!;
        bytes += (await s.read(0, Math.min(s.size, PREFIX))).length;
      }
    }),
  );
  return bytes;
}

let instances = 0;
const rounds: { floor: number; scan: number; floorPeak: number; scanPeak: number }[] = [];
for (let round = 0; round < 2; round++) {
  const floor = await measure(() => readPrefixes(sources));
  const scan = await measure(async () => {
    const result = await scanFiles(sources, { concurrency, prefixBytes: PREFIX });
    instances = result.instances.length;
    if (result.ignored.length > 0)
      throw new Error(`${result.ignored.length} files ignored: ${result.ignored[0]?.detail}`);
  });
  rounds.push({ floor: floor.seconds, scan: scan.seconds, floorPeak: floor.peakMiB, scanPeak: scan.peakMiB });
}

const best = (pick: (r: (typeof rounds)[number]) => number): number => Math.min(...rounds.map(pick));
const floorRate = sources.length / best((r) => r.floor);
const scanRate = sources.length / best((r) => r.scan);
console.log(
  `files: ${sources.length} (${instances} instances), concurrency ${concurrency}, prefix ${PREFIX / 1024} KiB`,
);
console.log(
  `plain prefix reads : ${floorRate.toFixed(0)} files/s, peak RSS ${Math.max(...rounds.map((r) => r.floorPeak)).toFixed(0)} MiB`,
);
console.log(
  `scanFiles          : ${scanRate.toFixed(0)} files/s, peak RSS ${Math.max(...rounds.map((r) => r.scanPeak)).toFixed(0)} MiB`,
);
console.log(`ratio scan / floor : ${(scanRate / floorRate).toFixed(2)}`);
