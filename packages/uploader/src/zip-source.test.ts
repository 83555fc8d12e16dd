import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { generateRtSet } from '../test/rt-set.js';
import { blobFileSource } from './browser/file-source.js';
import type { FileSource } from './file-source.js';
import { scanFiles } from './scan.js';
import { isZipPrefix, zipMemberSources } from './zip-source.js';

/** Deterministic incompressible bytes. */
function noise(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function counting(source: FileSource): { source: FileSource; bytesRead: () => number } {
  let total = 0;
  return {
    source: {
      ...source,
      read: async (o, l) => {
        const bytes = await source.read(o, l);
        total += bytes.length;
        return bytes;
      },
    },
    bytesRead: () => total,
  };
}

describe('zip archives', () => {
  const big = noise(3 * 1024 * 1024);
  const small = new TextEncoder().encode('hello zip '.repeat(1000));
  const archive = zipSync({
    'stored.bin': [small, { level: 0 }],
    'dir/deflated.txt': [small, { level: 6 }],
    'big.bin': [big, { level: 9 }],
    'empty-dir/': new Uint8Array(0),
  });
  const zip = blobFileSource(new Blob([archive]), 'export.zip');

  it('recognises the zip signature', () => {
    expect(isZipPrefix(archive.subarray(0, 4))).toBe(true);
    expect(isZipPrefix(new TextEncoder().encode('DICM'))).toBe(false);
  });

  it('lists file members with their uncompressed sizes, skipping directories', async () => {
    const members = await zipMemberSources(zip);
    expect(members.map((m) => [m.path, m.size])).toEqual([
      ['export.zip/stored.bin', small.length],
      ['export.zip/dir/deflated.txt', small.length],
      ['export.zip/big.bin', big.length],
    ]);
  });

  it('reads any byte range of stored and deflated members', async () => {
    const [stored, deflated, bigMember] = await zipMemberSources(zip);
    expect(await stored!.read(5, 20)).toEqual(small.subarray(5, 25));
    expect(await deflated!.read(9990, 100)).toEqual(small.subarray(9990, 10000));
    expect(await bigMember!.read(2_000_000, 70_000)).toEqual(big.subarray(2_000_000, 2_070_000));
    expect(await bigMember!.read(big.length - 10, 100)).toEqual(big.subarray(big.length - 10));
  });

  it('inflates only what a prefix read needs, not the whole member', async () => {
    const { source, bytesRead } = counting(zip);
    const members = await zipMemberSources(source);
    const before = bytesRead();
    await members[2]!.read(0, 64 * 1024);
    expect(bytesRead() - before).toBeLessThan(400 * 1024);
  });

  it('refuses an archive without its central directory', async () => {
    const cut = blobFileSource(new Blob([archive.subarray(0, archive.length - 30)]), 'cut.zip');
    await expect(zipMemberSources(cut)).rejects.toThrow(/central directory/);
  });

  it('scans the members of a dropped zip like files, and reports a damaged archive as ignored', async () => {
    const { files } = generateRtSet();
    const entries = Object.fromEntries(files.map((f) => [`rt/${f.path}`, f.bytes]));
    const rtZip = blobFileSource(new Blob([zipSync(entries) as Uint8Array<ArrayBuffer>]), 'rt.zip');
    const damaged = blobFileSource(new Blob([archive.subarray(0, 100)]), 'damaged.zip');
    const result = await scanFiles([rtZip, damaged], { concurrency: 3 });
    expect(result.archives).toEqual(['rt.zip']);
    expect(result.instances.map((i) => i.path)).toEqual(files.map((f) => `rt.zip/rt/${f.path}`).sort());
    expect(result.studies[0]?.series.map((s) => s.modality)).toEqual(['CT', 'RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE']);
    expect(result.ignored).toEqual([
      expect.objectContaining({ path: 'damaged.zip', reason: 'IGNORED_ARCHIVE_UNREADABLE' }),
    ]);
  });
});
