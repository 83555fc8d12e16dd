/**
 * `npm run bench:deid [-- --slices 2000 --dcmjs-files 200 --rounds 3 --dir PATH]`
 *
 * De-identification throughput on a synthetic 2,000-slice CT series (bench/synthetic, 512×512×16
 * bit) plus an RTSTRUCT, RTPLAN and RTDOSE on it, generated once into a temp folder and reused.
 * Measured in one run, on the same files:
 *   ours (parts)     read a 16 KiB prefix → readHeader → planDeidentification + writeDicom → parts
 *                    (what the Uploader does: pixel bytes stay in the file, referenced by range)
 *   ours (bytes)     read the whole file → readDicom(headerOnly) → deidentify → concatParts
 *                    (materialises every output file in memory, like a pipeline that must)
 *   dcmjs            read the whole file → DicomMessage.readFile → anonymizer.cleanTags →
 *                    dict.write() (the RPB uploader's way), on the first --dcmjs-files files
 * Prints files/s and MB/s (of input files), the ratios ours/dcmjs (goal ≥ 20×), the peak RSS
 * after each phase and the heap after each quarter of "ours (parts)" (memory flat in the number
 * of files). Phases run interleaved, best of --rounds each. Also times the keyed UID hash:
 * @noble/hashes (sync) vs WebCrypto (async).
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { concatParts, readDicom, readHeader, writeDicom } from '@courier/dicom';
import { writeCtSeries } from '../../../bench/synthetic/ct-series.js';
import { deidentify } from '../src/deidentify.js';
import { DEFAULT_TRIAL_OPTIONS } from '../src/options.js';
import { planDeidentification } from '../src/plan-deidentification.js';
import { UidMapper } from '../src/uid-map.js';
import { buildInstance } from '../test/build-instance.js';
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
    rounds: { type: 'string', default: '3' },
    dir: { type: 'string' },
  },
});
const slices = Number(args.slices);
const rounds = Number(args.rounds);
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

interface Result {
  readonly name: string;
  readonly files: number;
  readonly bytes: number;
  readonly ms: number;
  readonly rssMB: number;
}

type Pass = () => { files: number; bytes: number };

/**
 * Best of `rounds` for every phase, the phases interleaved round by round (ours, ours, dcmjs, ours,
 * ours, dcmjs, …) so that on a shared machine each phase sees the same background load; a GC
 * (when exposed) before each pass.
 */
function interleaved(phases: readonly { name: string; pass: Pass }[], n: number): Result[] {
  const out = phases.map((p) => ({ name: p.name, files: 0, bytes: 0, ms: Number.POSITIVE_INFINITY, rssMB: 0 }));
  for (let i = 0; i < n; i++) {
    phases.forEach((phase, k) => {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      const r = phase.pass();
      const ms = performance.now() - t0;
      const o = out[k]!;
      o.files = r.files;
      o.bytes = r.bytes;
      o.ms = Math.min(o.ms, ms);
      o.rssMB = peakRssMB();
    });
  }
  return out;
}

const paths = ensureSet();
const sizes = paths.map((p) => statSync(p).size);
const totalBytes = sizes.reduce((a, b) => a + b, 0);

// ours (parts): what the Uploader does — a prefix read, header parse, plan, zero-copy parts.
const heapTrace: string[] = [];
const oursPartsPass: Pass = () => {
  const mapper = new UidMapper(config.uidSecret);
  let outBytes = 0;
  heapTrace.length = 0;
  paths.forEach((p, i) => {
    let prefix = new Uint8Array(Math.min(PREFIX, sizes[i]!));
    const fd = openSync(p, 'r');
    try {
      readSync(fd, prefix, 0, prefix.length, 0);
      let r = readHeader(prefix, sizes[i]!);
      while ('needBytes' in r) {
        prefix = new Uint8Array(Math.min(r.needBytes, sizes[i]!));
        readSync(fd, prefix, 0, prefix.length, 0);
        r = readHeader(prefix, sizes[i]!);
      }
      const { edit, metaEdit } = planDeidentification(r.file, config, { uids: mapper, fileSize: sizes[i]! });
      for (const part of writeDicom(r.file, edit, { metaEdit, fileSize: sizes[i]! })) outBytes += part.length;
    } finally {
      closeSync(fd);
    }
    if ((i + 1) % Math.ceil(paths.length / 4) === 0) heapTrace.push(`${i + 1}: ${heapMB().toFixed(0)} MB`);
  });
  return { files: paths.length, bytes: outBytes };
};

// ours (bytes): whole file in memory, output materialised.
const oursBytesPass: Pass = () => {
  const mapper = new UidMapper(config.uidSecret);
  let outBytes = 0;
  for (const p of paths) {
    const input = new Uint8Array(readFileSync(p));
    const file = readDicom(input, { headerOnly: true });
    outBytes += concatParts(deidentify(file, config, { uids: mapper }), input).length;
  }
  return { files: paths.length, bytes: outBytes };
};

// dcmjs: whole file parsed (pixels included), cleanTags, written back.
const dcmjsPaths = paths.slice(0, Math.min(Number(args['dcmjs-files']), paths.length));
const dcmjsBytes = dcmjsPaths.reduce((n, p) => n + statSync(p).size, 0);
const dcmjsPass: Pass = () => {
  let outBytes = 0;
  for (const p of dcmjsPaths) {
    const b = readFileSync(p);
    const dict = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
    dcmjs.anonymizer.cleanTags(dict.dict);
    outBytes += dict.write().byteLength;
  }
  return { files: dcmjsPaths.length, bytes: outBytes };
};
const [oursParts, oursBytes, dcmjsResult] = interleaved(
  [
    { name: 'ours (parts)', pass: oursPartsPass },
    { name: 'ours (bytes)', pass: oursBytesPass },
    { name: 'dcmjs read→cleanTags→write', pass: dcmjsPass },
  ],
  rounds,
) as [Result, Result, Result];

const perFile = (r: Result): number => r.ms / r.files;
const row = (r: Result, inputBytes: number): string =>
  `${r.name.padEnd(28)} ${String(r.files).padStart(6)} files ${(r.ms / 1000).toFixed(2).padStart(7)} s ` +
  `${((r.files / r.ms) * 1000).toFixed(0).padStart(7)} files/s ${((inputBytes / 1024 / 1024 / r.ms) * 1000).toFixed(0).padStart(6)} MB/s  peak RSS ${r.rssMB.toFixed(0)} MB`;

// The keyed UID hash, sync (@noble/hashes) vs WebCrypto HMAC (async), on 20,000 distinct UIDs.
const uids = Array.from({ length: 20_000 }, (_, i) => `1.2.826.0.1.3680043.8.498.${i}.${i * 7919}`);
const syncMapper = new UidMapper(config.uidSecret);
let t0 = performance.now();
for (const u of uids) syncMapper.map(u);
const nobleMs = performance.now() - t0;
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
  `\n${paths.length} files (${slices} CT + RTSTRUCT + RTPLAN + RTDOSE), ${(totalBytes / 1024 / 1024).toFixed(0)} MB`,
);
console.log(row(oursParts, totalBytes));
console.log(row(oursBytes, totalBytes));
console.log(row(dcmjsResult, dcmjsBytes));
console.log(
  `ours (parts) vs dcmjs: ${(perFile(dcmjsResult) / perFile(oursParts)).toFixed(1)}× faster per file (goal ≥ 20×)`,
);
console.log(`ours (bytes) vs dcmjs: ${(perFile(dcmjsResult) / perFile(oursBytes)).toFixed(1)}× faster per file`);
console.log(`heap after each quarter of ours (parts): ${heapTrace.join(', ')}`);
console.log(
  `UID HMAC, 20,000 UIDs: @noble/hashes sync ${nobleMs.toFixed(0)} ms, WebCrypto async ${webCryptoMs.toFixed(0)} ms`,
);
