/**
 * Read side of the Portal's DICOMweb service: a synthetic CT series (default 2,000 slices of
 * 512 × 512, ~1 GB, written once to a temp folder and kept for later runs) is put into the
 * file-system store of a real Portal (buildApp on loopback, SQLite) and assigned to a slot; then,
 * in one run, with baselines measured in the same run:
 *   (a) reading one header from disk (open + 64 KiB read + readHeader) — the unit cost;
 *   (b) QIDO-RS instances of the study, cold (every header read once) and warm (cached index:
 *       listStudy + matching), as multiples of (a);
 *   (c) WADO-RS RetrieveStudy (multipart/related, streamed) and the zip download, in MB/s, against
 *       (d) two floors: the same files read from disk with createReadStream, and the same files
 *       streamed back to back by a bare node:http server to the same fetch client (HTTP floor);
 *   plus the Portal process's peak RSS (client and Portal share the process: a buffered answer
 *   would add the study's size).
 *
 * npm run bench:dicomweb -- --slices 2000 --rows 512
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readHeader } from '@courier/dicom';
import { buildApp, DEFAULT_CONFIG, seedDemoIfEmpty } from '@courier/server';
import { seriesUIDs, writeCtSeries } from './synthetic/ct-series.js';

const { values: args } = parseArgs({
  options: {
    slices: { type: 'string', default: '2000' },
    rows: { type: 'string', default: '512' },
    rounds: { type: 'string', default: '3' },
  },
});
const slices = Number(args.slices);
const rows = Number(args.rows);
const rounds = Number(args.rounds);
const seed = 4242;

const sourceDir = join(tmpdir(), `courier-bench-dicomweb-${slices}x${rows}`);
const marker = join(sourceDir, '.complete');
if (!existsSync(marker) || readFileSync(marker, 'utf8') !== `${slices} ${rows}`) {
  writeCtSeries(sourceDir, { slices, rows, columns: rows, seed });
  writeFileSync(marker, `${slices} ${rows}`);
}
const files = (await readdir(sourceDir)).filter((f) => f.endsWith('.dcm')).sort();
const uids = seriesUIDs({ slices, rows, columns: rows, seed });

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

async function time(run: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const dataDir = await mkdtemp(join(tmpdir(), 'courier-bench-dicomweb-portal-'));
const portal = await buildApp({ ...DEFAULT_CONFIG, port: 0, dataDir, databaseUrl: undefined, logLevel: 'silent' });
try {
  const demo = (await seedDemoIfEmpty(portal.context))!;
  const { db, store } = portal.context;
  // The series goes into the store as a commit would put it, then into a slot of a demo subject.
  let bytes = 0;
  let sopUids: string[] = [];
  for (const name of files) {
    const path = join(sourceDir, name);
    const prefix = readFileSync(path).subarray(0, 64 * 1024);
    const header = readHeader(prefix, Number.MAX_SAFE_INTEGER);
    if (!('file' in header)) throw new Error(`${name}: header beyond 64 KiB`);
    const sop = new TextDecoder()
      .decode(
        header.file.source.subarray(
          header.file.dataSet.elements.get(0x00080018)!.offset,
          header.file.dataSet.elements.get(0x00080018)!.offset + header.file.dataSet.elements.get(0x00080018)!.length,
        ),
      )
      .replace(/\0+$/, '');
    sopUids = [...sopUids, sop];
    const stored = await store.put(
      { studyInstanceUid: uids.study, seriesInstanceUid: uids.series, sopInstanceUid: sop },
      createReadStream(path),
    );
    bytes += stored.size;
  }
  const target = await db
    .selectFrom('scheduledEvents as e')
    .innerJoin('slotDefinitions as d', 'd.eventDefinitionId', 'e.eventDefinitionId')
    .select(['e.id as eventId', 'd.id as slotId'])
    .executeTakeFirstOrThrow();
  const admin = demo.credentials.find((c) => c.username === 'admin')!;
  await db
    .insertInto('slotValues')
    .values({
      scheduledEventId: target.eventId,
      slotDefinitionId: target.slotId,
      studyInstanceUid: uids.study,
      assignedAt: new Date().toISOString(),
      assignedBy: (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow())
        .id,
      uploadId: null,
    })
    .execute();
  await portal.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(portal.app.server.address() as AddressInfo).port}`;
  const loginResponse = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: admin.username, password: admin.password }),
  });
  const cookie = loginResponse.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const get = async (path: string): Promise<number> => {
    const response = await fetch(baseUrl + path, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    let n = 0;
    for await (const chunk of response.body!) n += chunk.length;
    return n;
  };
  const mb = bytes / 1e6;
  const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(0)} MB/s`;

  // (a) one header: open, read 64 KiB, parse, close.
  const oneHeader = await time(async () => {
    for (let i = 0; i < 100; i++) {
      const handle = await open(join(sourceDir, files[i % files.length]!));
      const buffer = new Uint8Array(64 * 1024);
      await handle.read(buffer, 0, buffer.length, 0);
      await handle.close();
      readHeader(buffer, Number.MAX_SAFE_INTEGER);
    }
  });
  const headerMs = oneHeader / 100;

  // (b) QIDO: the first request builds the study index (reads every header), the next ones reuse it.
  const instancesPath = `/dicomweb/studies/${uids.study}/instances`;
  const coldStart = performance.now();
  await get(instancesPath);
  const cold = performance.now() - coldStart;
  const warm = await time(() => get(instancesPath));
  const oneInstance = await time(() => get(`${instancesPath}?SOPInstanceUID=${sopUids[slices >> 1]}`));
  const studies = await time(() => get('/dicomweb/studies'));

  // (c) + (d): streamed answers against the floors, all reading the store's own files (the same
  // bytes from the same place, so the page cache favours none of them).
  const storedPaths = sopUids.map((sop) => join(dataDir, 'dicom', uids.study, uids.series, `${sop}.dcm`));
  const raw = await time(async () => {
    for (const path of storedPaths) for await (const _ of createReadStream(path)) void _;
  });
  const floorServer = createServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (const path of storedPaths) {
      for await (const chunk of createReadStream(path)) {
        if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      }
    }
    response.end();
  });
  await new Promise<void>((resolve) => floorServer.listen(0, '127.0.0.1', resolve));
  const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}`;
  const httpFloor = await time(async () => {
    const response = await fetch(floorUrl);
    for await (const _ of response.body!) void _;
  });
  floorServer.close();
  const rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  const wado = await time(() => get(`/dicomweb/studies/${uids.study}`));
  const wadoPeak = peakRss - rssBefore;
  peakRss = process.memoryUsage().rss;
  const zipBase = peakRss;
  const zip = await time(() => get(`/api/studies/${demo.studyId}/dicom/${uids.study}/zip`));
  const zipPeak = peakRss - zipBase;
  const metadata = await time(() => get(`/dicomweb/studies/${uids.study}/metadata`));

  console.log(`${slices} instances of ${rows}×${rows}, ${mb.toFixed(0)} MB, best of ${rounds}`);
  console.log(`(a) one header from disk            ${headerMs.toFixed(3)} ms`);
  console.log(
    `(b) QIDO instances, cold            ${cold.toFixed(0)} ms  (${(cold / headerMs).toFixed(0)}× one header, ${(cold / slices).toFixed(3)} ms per instance)`,
  );
  console.log(
    `    QIDO instances, warm            ${warm.toFixed(0)} ms  (${(warm / headerMs).toFixed(0)}× one header)`,
  );
  console.log(`    QIDO one SOPInstanceUID, warm   ${oneInstance.toFixed(0)} ms`);
  console.log(`    QIDO studies, warm              ${studies.toFixed(0)} ms`);
  console.log(`    WADO-RS study metadata          ${metadata.toFixed(0)} ms`);
  console.log(`(d) raw read of the files           ${raw.toFixed(0)} ms  ${rate(raw)}`);
  console.log(`    HTTP floor (bare node:http)     ${httpFloor.toFixed(0)} ms  ${rate(httpFloor)}`);
  const vs = (ms: number) =>
    `${((raw / ms) * 100).toFixed(0)}% of raw, ${((httpFloor / ms) * 100).toFixed(0)}% of HTTP floor`;
  console.log(
    `(c) WADO-RS RetrieveStudy           ${wado.toFixed(0)} ms  ${rate(wado)}  (${vs(wado)}), RSS growth ${(wadoPeak / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(
    `    zip download                    ${zip.toFixed(0)} ms  ${rate(zip)}  (${vs(zip)}), RSS growth ${(zipPeak / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  clearInterval(sampler);
  await portal.app.close();
  await rm(dataDir, { recursive: true, force: true });
}
