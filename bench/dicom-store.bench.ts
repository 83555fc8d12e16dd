/**
 * DICOM store throughput: the same synthetic CT series (default 300 slices of 512 × 512, ~512 KiB
 * each, written once to a temp folder and streamed from disk as the Portal streams staged files)
 * stored into the file-system store (baseline) and into a throw-away Orthanc over DICOMweb:
 * STOW-RS one instance per request and in batches, then verify of every instance (Orthanc REST
 * checksums). Prints instances/s, MB/s and the ratio to the file-system store.
 *
 * npm run bench:store -- --slices 300 --batch 20 --concurrency 2
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DicomStore, InstanceKey, StagedInstance } from '../apps/server/src/storage/dicom-store.js';
import { dicomwebStore } from '../apps/server/src/storage/dicomweb/dicomweb-store.js';
import { orthancChecksums } from '../apps/server/src/storage/dicomweb/orthanc-checksum.js';
import { randomUid, syntheticCtInstance } from '../apps/server/src/storage/dicomweb/synthetic-instance.js';
import { fileSystemStore } from '../apps/server/src/storage/file-system/file-system-store.js';
import { mapLimit } from '../apps/server/src/storage/map-limit.js';
import { startOrthanc } from '../apps/server/test/orthanc/orthanc-harness.js';

function readBytes(path: string): Uint8Array {
  return readFileSync(path);
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}
const slices = option('slices', 300);
const batchSize = option('batch', 20);
const concurrency = option('concurrency', 2);

const dir = mkdtempSync(join(tmpdir(), 'courier-bench-store-'));
const series = (study: string) => {
  const seriesUid = randomUid();
  return Array.from({ length: slices }, () => ({
    studyInstanceUid: study,
    seriesInstanceUid: seriesUid,
    sopInstanceUid: randomUid(),
  }));
};
// The bytes carry the UIDs, so each line gets its own series, written to disk before its timing.
function writeSeries(name: string): { keys: InstanceKey[]; paths: string[]; bytes: number; staged: StagedInstance[] } {
  const keys = series(randomUid());
  mkdirSync(join(dir, name));
  let bytes = 0;
  const staged: StagedInstance[] = [];
  const paths = keys.map((key, i) => {
    const data = syntheticCtInstance(key, { rows: 512, columns: 512, instanceNumber: i + 1 });
    bytes += data.length;
    const path = join(dir, name, `${i}.dcm`);
    writeFileSync(path, data);
    // The Portal has size and SHA-256 from the batch receipt; here they are taken before the timing.
    staged.push({ key, path, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    return path;
  });
  return { keys, paths, bytes, staged };
}

async function putManyAll(store: DicomStore, staged: StagedInstance[]): Promise<void> {
  const results = await store.putMany(staged);
  const refused = results.find((result) => !result.ok);
  if (refused !== undefined && !refused.ok)
    throw new Error(`putMany refused ${refused.key.sopInstanceUid}: ${refused.reason}`);
}

interface Line {
  name: string;
  seconds: number;
  bytes: number;
}
const lines: Line[] = [];
async function timed(name: string, bytes: number, run: () => Promise<void>): Promise<void> {
  const start = process.hrtime.bigint();
  await run();
  lines.push({ name, seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes });
}

async function putEach(store: DicomStore, set: { keys: InstanceKey[]; paths: string[] }): Promise<void> {
  await mapLimit(
    set.keys.map((key, i) => ({ key, path: set.paths[i] as string })),
    4,
    (item) => store.put(item.key, createReadStream(item.path)),
  );
}

async function verifyAll(store: DicomStore, keys: InstanceKey[]): Promise<void> {
  const results = await mapLimit(keys, 4, (key) => store.verify(key));
  if (results.some((result) => result === null)) throw new Error('an instance is missing after put');
}

const orthanc = await startOrthanc();
try {
  const http = { fetch, headers: { authorization: orthanc.authorization } };
  const pacs = dicomwebStore({
    baseUrl: orthanc.dicomweb,
    http,
    checksums: orthancChecksums(http, orthanc.url),
    concurrency: 4,
  });
  const fs = fileSystemStore(join(dir, 'fs-store'));
  const pacsMany = dicomwebStore({
    baseUrl: orthanc.dicomweb,
    http,
    checksums: orthancChecksums(http, orthanc.url),
    concurrency: 4,
    batchInstances: 25,
    stowConcurrency: 2,
  });

  const fsSet = writeSeries('fs');
  await timed('file-system put (4 in flight)', fsSet.bytes, () => putEach(fs, fsSet));
  await timed('file-system verify', fsSet.bytes, () => verifyAll(fs, fsSet.keys));
  const linkSet = writeSeries('link');
  await timed('file-system putMany (commit: hard link + proof)', linkSet.bytes, () => putManyAll(fs, linkSet.staged));
  const otherFs = '/dev/shm';
  let copySet: ReturnType<typeof writeSeries> | undefined;
  try {
    const shm = mkdtempSync(join(otherFs, 'courier-bench-'));
    copySet = writeSeries('copy');
    copySet.staged = copySet.staged.map((item, i) => {
      const path = join(shm, `${i}.dcm`);
      writeFileSync(path, readBytes(item.path));
      return { ...item, path };
    });
    const set = copySet;
    await timed('file-system putMany from another fs (copy + hash)', set.bytes, () => putManyAll(fs, set.staged));
    rmSync(shm, { recursive: true, force: true });
  } catch (error) {
    console.warn(`skipping the cross-file-system putMany line: ${(error as Error).message}`);
  }

  const serialSet = writeSeries('serial');
  await timed('Orthanc put then verify, one at a time (commit today)', serialSet.bytes, async () => {
    for (const [i, key] of serialSet.keys.entries()) {
      await pacs.put(key, createReadStream(serialSet.paths[i] as string));
      await pacs.verify(key);
    }
  });

  const manySet = writeSeries('many');
  await timed('Orthanc putMany (commit: 25 per STOW-RS, 2 in flight)', manySet.bytes, () =>
    putManyAll(pacsMany, manySet.staged),
  );

  const oneSet = writeSeries('one');
  await timed('Orthanc STOW-RS 1 per request (4 in flight)', oneSet.bytes, () => putEach(pacs, oneSet));

  const batchSet = writeSeries('batch');
  await timed(`Orthanc STOW-RS batches of ${batchSize} (${concurrency} in flight)`, batchSet.bytes, async () => {
    const batches: number[][] = [];
    for (let i = 0; i < slices; i += batchSize) {
      batches.push(Array.from({ length: Math.min(batchSize, slices - i) }, (_, j) => i + j));
    }
    await mapLimit(batches, concurrency, async (batch) => {
      const results = await pacs.putBatch(
        batch.map((i) => ({
          key: batchSet.keys[i] as InstanceKey,
          source: createReadStream(batchSet.paths[i] as string),
        })),
      );
      const failed = results.find((result) => !result.ok);
      if (failed !== undefined && !failed.ok) throw failed.error;
    });
  });
  // For scale only: the same batches without the per-instance proof (lookup, MD5, size, metadata).
  const unproven = dicomwebStore({
    baseUrl: orthanc.dicomweb,
    http,
    checksums: { name: 'none', afterStore: async () => {}, recorded: async () => null, recompute: async () => null },
  });
  const rawSet = writeSeries('raw');
  await timed(`  same, without the checksum proof (comparison)`, rawSet.bytes, async () => {
    for (let i = 0; i < slices; i += batchSize * concurrency) {
      await Promise.all(
        Array.from({ length: concurrency }, (_, c) => {
          const start = i + c * batchSize;
          const indices = Array.from({ length: Math.max(0, Math.min(batchSize, slices - start)) }, (_, j) => start + j);
          return unproven.putBatch(
            indices.map((n) => ({
              key: rawSet.keys[n] as InstanceKey,
              source: createReadStream(rawSet.paths[n] as string),
            })),
          );
        }),
      );
    }
  });
  await timed('Orthanc verify (QIDO-RS + /file SHA-256)', batchSet.bytes, () => verifyAll(pacs, batchSet.keys));
  await timed('Orthanc listStudy (QIDO-RS + recorded SHA-256)', 0, async () => {
    const listed = await pacs.listStudy(batchSet.keys[0]?.studyInstanceUid as string);
    if (listed.length !== slices) throw new Error(`listStudy gave ${listed.length}`);
  });

  const baseline = lines[0] as Line;
  console.log(
    `${slices} CT slices of 512 × 512 (${(fsSet.bytes / slices / 1024).toFixed(0)} KiB each), Node ${process.version}`,
  );
  for (const line of lines) {
    const perSecond = slices / line.seconds;
    const mbs = line.bytes / 1e6 / line.seconds;
    const ratio = /^(Orthanc STOW|Orthanc putMany|file-system putMany)/.test(line.name)
      ? `  ×${(baseline.seconds / line.seconds).toFixed(2)} of file-system put`
      : '';
    console.log(
      `${line.name.padEnd(56)} ${line.seconds.toFixed(2).padStart(7)} s ${perSecond.toFixed(0).padStart(6)} inst/s ${line.bytes ? `${mbs.toFixed(1).padStart(7)} MB/s` : ''}${ratio}`,
    );
  }
} finally {
  await orthanc.stop();
  rmSync(dir, { recursive: true, force: true });
}
