import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobFileSource } from './browser/file-source.js';
import type { FileSource } from './file-source.js';
import { listFileSources, nodeFileSource } from './node/file-source.js';

const content = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-fs-'));
  await writeFile(join(dir, 'a.bin'), content);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// One contract, run against every implementation (parallel files browser/ and node/).
describe.each([
  ['node', () => nodeFileSource(join(dir, 'a.bin'), 'a.bin')],
  ['blob', async () => blobFileSource(new Blob([content]), 'a.bin')],
] as const)('FileSource (%s)', (_name, make: () => Promise<FileSource>) => {
  it('reports its path and size', async () => {
    const source = await make();
    expect([source.path, source.size]).toEqual(['a.bin', 10_000]);
  });

  it('reads the asked range', async () => {
    expect(await (await make()).read(1234, 100)).toEqual(content.subarray(1234, 1334));
  });

  it('clamps a range that runs past the end', async () => {
    const source = await make();
    expect(await source.read(9_990, 100)).toEqual(content.subarray(9_990));
    expect((await source.read(20_000, 10)).length).toBe(0);
  });

  it('returns a fresh array for every read', async () => {
    const source = await make();
    const a = await source.read(0, 10);
    a[0] = 255;
    expect((await source.read(0, 10))[0]).toBe(content[0]);
  });
});

describe('listFileSources', () => {
  it('lists files recursively with forward-slash paths relative to the root', async () => {
    const root = join(dir, 'tree');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(root, 'x', 'y'), { recursive: true }));
    await writeFile(join(root, 'x', 'y', 'f1'), 'one');
    await writeFile(join(root, 'f0'), 'zero!');
    const sources = await listFileSources(root);
    expect(sources.map((s) => [s.path, s.size])).toEqual([
      ['f0', 5],
      ['x/y/f1', 3],
    ]);
  });
});

describe('nodeFileSource', () => {
  it('returns only the bytes read when the file shrank after it was listed, as a plain array of its own', async () => {
    const path = join(dir, 'shrinks.bin');
    await writeFile(path, content);
    const source = await nodeFileSource(path, 'shrinks.bin');
    await writeFile(path, content.subarray(0, 300));
    const bytes = await source.read(0, 10_000);
    expect(bytes).toEqual(content.subarray(0, 300));
    // Not a pooled Buffer: the array owns its memory, so nothing beyond the file's bytes is reachable.
    expect(bytes.constructor).toBe(Uint8Array);
    expect(bytes.byteOffset).toBe(0);
  });
});
