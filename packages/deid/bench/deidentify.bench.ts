/**
 * `npm run bench:deid [-- --slices 2000 --dcmjs-files 200 --rounds 5 --chunks 10 --dir PATH]`
 *
 * De-identification throughput on a synthetic 2,000-slice CT series (bench/synthetic, 512×512×16
 * bit) plus an RTSTRUCT, RTPLAN and RTDOSE on it, generated once into a temp folder and reused.
 * Measured in one run, on the same files:
 *   ours (parts)     read a 16 KiB prefix → readHeader → planDeidentification + writeDicom → parts
 *                    (what the Uploader does: pixel bytes stay in the file, referenced by range),
 *                    on every file (the RTSTRUCT with 2,000 references included)
 *   ours (bytes)     read the whole file → readDicom(headerOnly) → deidentify → concatParts
 *                    (materialises every output file in memory, like a pipeline that must), on
 *                    the same files as dcmjs
 *   dcmjs            read the whole file → DicomMessage.readFile → anonymizer.cleanTags →
 *                    dict.write() (the RPB uploader's way), on the first --dcmjs-files files
 *
 * Fair on a shared, noisy machine: one untimed warm-up pass of every phase (JIT); then --rounds
 * rounds, each cut into --chunks slices run in turn (ours, ours, dcmjs, ours, ours, dcmjs, …) so
 * that every phase sees the same background load within a round; a ratio per round from that
 * round's own times, and the median of the rounds reported (with min and max). Both wall time and
 * process CPU time (user + system, all threads, GC included) are measured: CPU time does not count
 * the time the process waited for a core, so its ratio is the steadier one under load.
 * Before timing, a sample of the outputs of both pipelines is checked: our reader reads them back
 * whole, Pixel Data is complete, and dcmdump parses them (when installed); ours must carry the
 * pseudonym and none of the original name, ID and instance UIDs (the run fails otherwise); what
 * dcmjs's cleanTags leaves is printed.
 * Also prints the peak RSS and the heap after a GC at each quarter of the warm-up "ours (parts)"
 * pass (memory flat in the number of files), and times the keyed UID hash: UidMapper (sync) vs WebCrypto (async).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { concatParts, type OutputPart, readDicom, readHeader, writeDicom } from '@courier/dicom';
import { writeCtSeries } from '../../../bench/synthetic/ct-series.js';
import { deidentify } from '../src/deidentify.js';
import { DEFAULT_TRIAL_OPTIONS } from '../src/options.js';
import { planDeidentification } from '../src/plan-deidentification.js';
import { UidMapper } from '../src/uid-map.js';
import { buildInstance } from '../test/build-instance.js';
import { DCMDUMP } from '../test/dcmdump.js';
import { RT_DOSE, RT_PLAN, RT_STRUCT } from '../test/rt-set.js';

interface DcmjsDict {
  dict: Record<string, unknown>;
  write(): ArrayBuffer;
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer): DcmjsDict } };
  anonymizer: { cleanTags(dict: Record<string, unknown>): void };
  log: { setLevel?(level: string): void };
};
dcmjs.log.setLevel?.('error');

const { values: args } = parseArgs({
  options: {
    slices: { type: 'string', default: process.env.BENCH_SLICES ?? '2000' },
    'dcmjs-files': { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    chunks: { type: 'string', default: '10' },
    dir: { type: 'string' },
  },
});
const slices = Number(args.slices);
const rounds = Number(args.rounds);
const chunks = Math.max(1, Number(args.chunks));
const dir = args.dir ?? join(tmpdir(), `courier-bench-deid-${slices}`);
const PREFIX = 16 * 1024;
const GENERATOR_VERSION = 1;

const config = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'BENCH-0001',
  patientName: '0001',
  uidSecret: 'bench-secret-0123456789abcdef',
  clinicalTrial: { sponsorName: 'ACME', protocolId: 'BENCH', subjectId: '0001' },
};

/** The CT series plus an RTSTRUCT / RTPLAN / RTDOSE referencing it (see test/rt-set.ts for the shape). */
function ensureSet(): string[] {
  const marker = join(dir, '.complete');
  const expected = `${GENERATOR_VERSION} ${slices}`;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== expected) {
    const t0 = performance.now();
    writeCtSeries(dir, { slices, patientName: 'Zanzibar^Quentin', patientId: 'QX778899' });
    const ct = readDicom(readFileSync(join(dir, 'CT000001.dcm')), { headerOnly: true });
    const uid = (g: number) => {
      const el = ct.dataSet.elements.get(g)!;
      return new TextDecoder().decode(ct.source.subarray(el.offset, el.offset + el.length)).replace(/\0+$/, '');
    };
    const [study, series, frame] = [uid(0x0020000d), uid(0x0020000e), uid(0x00200052)];
    const ref = (cls: string, sop: string) => [
      { tag: 0x00081150, vr: 'UI', value: cls },
      { tag: 0x00081155, vr: 'UI', value: sop },
    ];
    const common = (cls: string, sop: string, ser: string) => [
      { tag: 0x00080016, vr: 'UI', value: cls },
      { tag: 0x00080018, vr: 'UI', value: sop },
      { tag: 0x00100010, vr: 'PN', value: 'Zanzibar^Quentin' },
      { tag: 0x00100020, vr: 'LO', value: 'QX778899' },
      { tag: 0x0020000d, vr: 'UI', value: study },
      { tag: 0x0020000e, vr: 'UI', value: ser },
      { tag: 0x00200052, vr: 'UI', value: frame },
    ];
    const ctSops = readdirSync(dir)
      .filter((n) => n.endsWith('.dcm'))
      .map((_, i) => `${series}.${i + 1}`);
    const struct = buildInstance([
      ...common(RT_STRUCT, `${study}.91`, `${study}.90`),
      {
        tag: 0x30060010,
        vr: 'SQ',
        value: [
          [
            { tag: 0x00200052, vr: 'UI', value: frame },
            {
              tag: 0x30060012,
              vr: 'SQ',
              value: [
                [
                  ...ref('1.2.840.10008.3.1.2.3.1', study),
                  {
                    tag: 0x30060014,
                    vr: 'SQ',
                    value: [
                      [
                        { tag: 0x0020000e, vr: 'UI', value: series },
                        { tag: 0x30060016, vr: 'SQ', value: ctSops.map((s) => ref('1.2.840.10008.5.1.4.1.1.2', s)) },
                      ],
                    ],
                  },
                ],
              ],
            },
          ],
        ],
      },
    ]);
    const plan = buildInstance([
      ...common(RT_PLAN, `${study}.93`, `${study}.92`),
      { tag: 0x300c0060, vr: 'SQ', value: [ref(RT_STRUCT, `${study}.91`)] },
    ]);
    const dose = buildInstance([
      ...common(RT_DOSE, `${study}.95`, `${study}.94`),
      { tag: 0x300c0002, vr: 'SQ', value: [ref(RT_PLAN, `${study}.93`)] },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(2 * 1024 * 1024) },
    ]);
    writeFileSync(join(dir, 'RS.dcm'), struct);
    writeFileSync(join(dir, 'RP.dcm'), plan);
    writeFileSync(join(dir, 'RD.dcm'), dose);
    writeFileSync(marker, expected);
    console.log(`generated ${slices} slices + RT set in ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    console.log(`reusing ${dir}`);
  }
  return readdirSync(dir)
    .filter((n) => n.endsWith('.dcm'))
    .sort()
    .map((n) => join(dir, n));
}

const peakRssMB = (): number => process.resourceUsage().maxRSS / 1024;
const heapMB = (): number => process.memoryUsage().heapUsed / 1024 / 1024;

/** Reads the first `length` bytes of a file. */
function readPrefix(fd: number, length: number): Uint8Array {
  const prefix = new Uint8Array(length);
  readSync(fd, prefix, 0, length, 0);
  return prefix;
}

const paths = ensureSet();
const sizes = paths.map((p) => statSync(p).size);
const totalBytes = sizes.reduce((a, b) => a + b, 0);
const dcmjsCount = Math.min(Number(args['dcmjs-files']), paths.length);
const dcmjsBytes = sizes.slice(0, dcmjsCount).reduce((a, b) => a + b, 0);

// ours (parts): what the Uploader does — a prefix read, header parse, plan, zero-copy parts.
function oursParts(i: number, mapper: UidMapper): OutputPart[] {
  const fd = openSync(paths[i]!, 'r');
  try {
    const size = sizes[i]!;
    let r = readHeader(readPrefix(fd, Math.min(PREFIX, size)), size);
    while ('needBytes' in r) r = readHeader(readPrefix(fd, Math.min(r.needBytes, size)), size);
    const { edit, metaEdit } = planDeidentification(r.file, config, { uids: mapper, fileSize: size });
    return writeDicom(r.file, edit, { metaEdit, fileSize: size });
  } finally {
    closeSync(fd);
  }
}

// ours (bytes): whole file in memory, output materialised.
function oursBytes(i: number, mapper: UidMapper): Uint8Array {
  const input = readFileSync(paths[i]!); // a Buffer is a Uint8Array: no copy
  const file = readDicom(input, { headerOnly: true });
  return concatParts(deidentify(file, config, { uids: mapper }), input);
}

// dcmjs: whole file parsed (pixels included), cleanTags, written back.
function dcmjsFile(i: number): ArrayBuffer {
  const b = readFileSync(paths[i]!);
  const dict = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
  dcmjs.anonymizer.cleanTags(dict.dict);
  return dict.write();
}

// --- Both pipelines produce complete, de-identified files: checked on a sample before timing.
const latin1 = new TextDecoder('latin1');
const ORIGINAL_IDENTITY = ['Zanzibar', 'QX778899'];
function checkOutput(name: string, out: Uint8Array, input: Uint8Array, strict: boolean): string {
  const file = readDicom(out);
  const inFile = readDicom(input);
  const pixels = (f: typeof file) => f.dataSet.elements.get(0x7fe00010)?.length ?? 0;
  const problems: string[] = [];
  if (!file.complete) problems.push('not read whole');
  if (pixels(file) !== pixels(inFile)) problems.push(`Pixel Data ${pixels(file)} bytes, input ${pixels(inFile)}`);
  const text = latin1.decode(out);
  const sop = inFile.dataSet.elements.get(0x00080018)!;
  const originalSop = latin1.decode(input.subarray(sop.offset, sop.offset + sop.length)).replace(/\0+$/, '');
  const left = [...ORIGINAL_IDENTITY, originalSop].filter((s) => text.includes(s));
  if (left.length > 0) problems.push(`original values left: ${left.join(', ')}`);
  if (strict && !text.includes(config.patientId)) problems.push('pseudonym missing');
  if (existsSync(DCMDUMP)) {
    const tmp = join(tmpdir(), `courier-bench-deid-check-${process.pid}.dcm`);
    writeFileSync(tmp, out);
    const r = spawnSync(DCMDUMP, ['-M', tmp], { encoding: 'latin1' });
    rmSync(tmp, { force: true });
    if (r.status !== 0 || /^E:/m.test(`${r.stderr}`)) problems.push(`dcmdump: status ${r.status} ${r.stderr}`);
  }
  if (strict && problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
  return problems.length === 0 ? 'ok' : problems.join('; ');
}
{
  const sample = [
    0,
    Math.floor(dcmjsCount / 2),
    ...paths.map((_, i) => i).filter((i) => !/CT\d+\.dcm$/.test(paths[i]!)),
  ];
  const mapper = new UidMapper(config.uidSecret);
  const results: string[] = [];
  for (const i of sample) {
    const input = new Uint8Array(readFileSync(paths[i]!));
    const name = paths[i]!.split('/').at(-1)!;
    checkOutput(`ours (parts) ${name}`, concatParts(oursParts(i, mapper), input), input, true);
    checkOutput(`ours (bytes) ${name}`, oursBytes(i, mapper), input, true);
    if (i < dcmjsCount) results.push(`${name}: ${checkOutput('dcmjs', new Uint8Array(dcmjsFile(i)), input, false)}`);
  }
  console.log(
    `checked ${sample.length} outputs of ours (parts and bytes): complete, Pixel Data whole, pseudonym in, original name/ID/UID out${existsSync(DCMDUMP) ? ', dcmdump parses' : ''}`,
  );
  console.log(`dcmjs outputs checked the same way: ${results.join(' | ')}`);
}

/** Wall and CPU milliseconds and output bytes of one phase within one round. */
interface Tally {
  wallMs: number;
  cpuMs: number;
  files: number;
  outBytes: number;
}
const tally = (): Tally => ({ wallMs: 0, cpuMs: 0, files: 0, outBytes: 0 });

interface Phase {
  readonly name: string;
  /** Files of this phase (indexes into `paths`). */
  readonly files: readonly number[];
  /** Runs files [from, to) of the phase; returns the output bytes. */
  readonly run: (from: number, to: number, mapper: UidMapper) => number;
}

const allFiles = paths.map((_, i) => i);
const dcmjsFiles = allFiles.slice(0, dcmjsCount);
const heapTrace: string[] = [];
/** The heap is traced (after a GC) in the warm-up round only, which is not timed. */
let traceHeap = false;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;
const phases: Phase[] = [
  {
    name: 'ours (parts)',
    files: allFiles,
    run: (from, to, mapper) => {
      let n = 0;
      for (let i = from; i < to; i++) {
        for (const part of oursParts(i, mapper)) n += part.length;
        if (traceHeap && (i + 1) % Math.ceil(paths.length / 4) === 0) {
          gc?.();
          heapTrace.push(`${i + 1}: ${heapMB().toFixed(1)} MB`);
        }
      }
      return n;
    },
  },
  {
    name: 'ours (bytes)',
    files: dcmjsFiles,
    run: (from, to, mapper) => {
      let n = 0;
      for (let i = from; i < to; i++) n += oursBytes(i, mapper).length;
      return n;
    },
  },
  {
    name: 'dcmjs read→cleanTags→write',
    files: dcmjsFiles,
    run: (from, to) => {
      let n = 0;
      for (let i = from; i < to; i++) n += dcmjsFile(i).byteLength;
      return n;
    },
  },
];

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One round: every phase cut into `chunks` slices, run in turn, each slice timed (wall and CPU). */
function round(sliceCount: number): Tally[] {
  const tallies = phases.map(tally);
  // One mapper per phase per round, as one upload batch has: the memo starts cold every round.
  const mappers = phases.map(() => new UidMapper(config.uidSecret));
  for (let c = 0; c < sliceCount; c++) {
    phases.forEach((phase, k) => {
      const from = Math.floor((phase.files.length * c) / sliceCount);
      const to = Math.floor((phase.files.length * (c + 1)) / sliceCount);
      const t = tallies[k]!;
      const wall0 = performance.now();
      const cpu0 = cpuMs();
      t.outBytes += phase.run(from, to, mappers[k]!);
      t.cpuMs += cpuMs() - cpu0;
      t.wallMs += performance.now() - wall0;
      t.files += to - from;
    });
  }
  return tallies;
}

traceHeap = true;
round(1); // warm-up (JIT, page cache), not counted
traceHeap = false;
const rss = peakRssMB();
const results: Tally[][] = [];
for (let r = 0; r < rounds; r++) results.push(round(chunks));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const perFile = (t: Tally, key: 'wallMs' | 'cpuMs'): number => t[key] / t.files;
const ratios = (k: number, key: 'wallMs' | 'cpuMs'): number[] =>
  results.map((r) => perFile(r[2]!, key) / perFile(r[k]!, key));
const fmt = (xs: readonly number[]): string =>
  `${median(xs).toFixed(1)}× (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

console.log(
  `\n${paths.length} files (${slices} CT + RTSTRUCT + RTPLAN + RTDOSE), ${(totalBytes / 1024 / 1024).toFixed(0)} MB; ` +
    `${rounds} rounds of ${chunks} interleaved slices after a warm-up; medians over rounds; load ${loadavg()[0]!.toFixed(1)}`,
);
console.log(
  `${'phase'.padEnd(28)} ${'files'.padStart(6)} ${'µs/file wall'.padStart(13)} ${'µs/file CPU'.padStart(12)} ${'files/s'.padStart(8)} ${'MB/s'.padStart(6)}`,
);
phases.forEach((phase, k) => {
  const wall = median(results.map((r) => perFile(r[k]!, 'wallMs')));
  const cpu = median(results.map((r) => perFile(r[k]!, 'cpuMs')));
  const inputBytes = phase.files === allFiles ? totalBytes : dcmjsBytes;
  const mbps = (inputBytes / phase.files.length / 1024 / 1024 / wall) * 1000;
  console.log(
    `${phase.name.padEnd(28)} ${String(phase.files.length).padStart(6)} ${(wall * 1000).toFixed(0).padStart(13)} ${(cpu * 1000).toFixed(0).padStart(12)} ${(1000 / wall).toFixed(0).padStart(8)} ${mbps.toFixed(0).padStart(6)}`,
  );
});
console.log(
  `ours (parts) vs dcmjs, per file: ${fmt(ratios(0, 'cpuMs'))} by CPU time, ${fmt(ratios(0, 'wallMs'))} by wall time (goal ≥ 20×)`,
);
console.log(
  `ours (bytes) vs dcmjs, per file: ${fmt(ratios(1, 'cpuMs'))} by CPU time, ${fmt(ratios(1, 'wallMs'))} by wall time`,
);
console.log(`peak RSS ${rss.toFixed(0)} MB after the warm-up, ${peakRssMB().toFixed(0)} MB at the end`);
console.log(`heap after a GC at each quarter of ours (parts), warm-up round: ${heapTrace.join(', ')}`);

// The keyed UID hash, sync (UidMapper, hmac-sha256.ts) vs WebCrypto HMAC (async), on 20,000 distinct UIDs.
const uids = Array.from({ length: 20_000 }, (_, i) => `1.2.826.0.1.3680043.8.498.${i}.${i * 7919}`);
const syncMapper = new UidMapper(config.uidSecret);
let t0 = performance.now();
for (const u of uids) syncMapper.map(u);
const syncMs = performance.now() - t0;
const key = await globalThis.crypto.subtle.importKey(
  'raw',
  new TextEncoder().encode(config.uidSecret),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['sign'],
);
t0 = performance.now();
await Promise.all(uids.map((u) => globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode(u))));
const webCryptoMs = performance.now() - t0;
console.log(
  `UID HMAC, 20,000 UIDs: ours sync (hmac-sha256.ts) ${syncMs.toFixed(0)} ms, WebCrypto async ${webCryptoMs.toFixed(0)} ms`,
);
