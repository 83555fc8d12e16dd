import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRtSet } from '../../test/rt-set.js';
import { scanFiles } from '../scan.js';
import { blobFileSource } from './file-source.js';
import { type MessageTarget, serveScanRequests, workerPoolScanFile } from './scan-worker-pool.js';

// Real structured cloning through MessageChannel ports stands in for Web Workers: the Blob crosses
// as a Blob, the outcome as cloned plain data, exactly as with `new Worker(...)`.
const open: { close(): void }[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function channelWorker(served: { count: number }): MessageTarget {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const scope: MessageTarget = {
    postMessage: (m) => port2.postMessage(m),
    addEventListener: (type, listener) =>
      port2.addEventListener(type, (e) => {
        served.count++;
        listener(e as unknown as { data: unknown });
      }),
  };
  serveScanRequests(scope);
  port1.start();
  port2.start();
  return {
    postMessage: (m) => port1.postMessage(m),
    addEventListener: (t, l) => port1.addEventListener(t, (e) => l(e as unknown as { data: unknown })),
  };
}

const blobs = (files: ReturnType<typeof generateRtSet>['files']) =>
  files.map((f) => blobFileSource(new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.path));

describe('workerPoolScanFile', () => {
  it('scans Blob sources in the workers, spread over all of them, with the same result as in-thread', async () => {
    const { files } = generateRtSet({ ctSlices: 6 });
    const counts = [{ count: 0 }, { count: 0 }];
    const pool = workerPoolScanFile(counts.map(channelWorker));
    const viaWorkers = await scanFiles(blobs(files), { concurrency: 4, scanFile: pool });
    const direct = await scanFiles(blobs(files));
    expect(viaWorkers.studies).toEqual(direct.studies);
    expect(counts[0]!.count + counts[1]!.count).toBe(files.length);
    expect(counts[0]!.count).toBeGreaterThan(0);
    expect(counts[1]!.count).toBeGreaterThan(0);
  });

  it('scans zip members, which cannot be posted, in this thread', async () => {
    const { files } = generateRtSet();
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.path, f.bytes])));
    const served = { count: 0 };
    const pool = workerPoolScanFile([channelWorker(served)]);
    const result = await scanFiles([blobFileSource(new Blob([zip]), 'set.zip')], { scanFile: pool });
    expect(result.instances).toHaveLength(files.length);
    expect(served.count).toBe(1); // the archive itself; its members stayed here
  });

  it('turns an error reported by a worker into an ignored file', async () => {
    const failing: MessageTarget = {
      postMessage(m) {
        const { id } = m as { id: number };
        queueMicrotask(() => {
          for (const l of listeners) l({ data: { id, error: 'out of memory' } });
        });
      },
      addEventListener: (_t, l) => listeners.push(l),
    };
    const listeners: ((e: { data: unknown }) => void)[] = [];
    const { files } = generateRtSet({ omit: ['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE'], ctSlices: 1 });
    const result = await scanFiles(blobs(files), { scanFile: workerPoolScanFile([failing]) });
    expect(result.ignored).toEqual([
      expect.objectContaining({
        reason: 'IGNORED_UNREADABLE',
        detail: 'the scanner failed on this file: out of memory',
      }),
    ]);
  });
});
