// Profiling helper (not a benchmark): runs the "ours (parts)" loop of deidentify.bench.ts N times.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readHeader, writeDicom } from '@courier/dicom';
import { DEFAULT_TRIAL_OPTIONS } from '../src/options.js';
import { planDeidentification } from '../src/plan-deidentification.js';
import { UidMapper } from '../src/uid-map.js';

const dir = process.argv[2]!;
const rounds = Number(process.argv[3] ?? '3');
const config = {
  options: DEFAULT_TRIAL_OPTIONS,
  patientId: 'BENCH-0001',
  patientName: '0001',
  uidSecret: 'bench-secret-0123456789abcdef',
  clinicalTrial: { sponsorName: 'ACME', protocolId: 'BENCH', subjectId: '0001' },
};
const paths = readdirSync(dir)
  .filter((n) => n.endsWith('.dcm'))
  .sort()
  .map((n) => join(dir, n));
const sizes = paths.map((p) => statSync(p).size);
for (let round = 0; round < rounds; round++) {
  const t0 = performance.now();
  const mapper = new UidMapper(config.uidSecret);
  let read = 0;
  let plan = 0;
  let write = 0;
  paths.forEach((p, i) => {
    const a = performance.now();
    let prefix = new Uint8Array(Math.min(16384, sizes[i]!));
    const fd = openSync(p, 'r');
    readSync(fd, prefix, 0, prefix.length, 0);
    let r = readHeader(prefix, sizes[i]!);
    while ('needBytes' in r) {
      prefix = new Uint8Array(Math.min(r.needBytes, sizes[i]!));
      readSync(fd, prefix, 0, prefix.length, 0);
      r = readHeader(prefix, sizes[i]!);
    }
    closeSync(fd);
    const b = performance.now();
    const { edit, metaEdit } = planDeidentification(r.file, config, { uids: mapper, fileSize: sizes[i]! });
    const c = performance.now();
    writeDicom(r.file, edit, { metaEdit, fileSize: sizes[i]! });
    const d = performance.now();
    read += b - a;
    plan += c - b;
    write += d - c;
  });
  const ms = performance.now() - t0;
  console.log(
    `${paths.length} files ${ms.toFixed(0)} ms (${((ms / paths.length) * 1000).toFixed(0)} µs/file): read+parse ${read.toFixed(0)}, plan ${plan.toFixed(0)}, write ${write.toFixed(0)}`,
  );
}
