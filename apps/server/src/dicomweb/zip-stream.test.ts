import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { type ZipMember, zipLength, zipStream } from './zip-stream.js';

const UNZIP = '/usr/bin/unzip';

function member(name: string, bytes: Uint8Array, chunk = 7): ZipMember {
  return {
    name,
    size: bytes.length,
    async open() {
      return (async function* () {
        for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
      })();
    },
  };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** Runs Info-ZIP's integrity test on an archive when unzip is installed (an independent reader). */
async function unzipTest(zip: Uint8Array): Promise<string | undefined> {
  if (!existsSync(UNZIP)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'courier-zip-'));
  try {
    await writeFile(join(dir, 'test.zip'), zip);
    return execFileSync(UNZIP, ['-t', join(dir, 'test.zip')], { encoding: 'utf8' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('zipStream', () => {
  const members = [
    member('P-ABC/1.2.3/1-CT-1.2.3.4/1.2.3.4.5.dcm', bytesOf(1000, 1)),
    member('P-ABC/1.2.3/2-RTDOSE-1.2.3.6/1.2.3.6.7.dcm', bytesOf(333, 2)),
    member('P-ABC/empty.dcm', new Uint8Array(0)),
  ];
  const options = { modified: new Date(2026, 10, 25, 12, 30, 10) };

  it('writes stored members that fflate and unzip read back byte for byte', async () => {
    const zip = await collect(zipStream(members, options));
    expect(zip.length).toBe(zipLength(members, options));
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(members.map((m) => m.name));
    expect(Buffer.compare(files[members[0]!.name]!, bytesOf(1000, 1))).toBe(0);
    expect(Buffer.compare(files[members[1]!.name]!, bytesOf(333, 2))).toBe(0);
    const report = await unzipTest(zip);
    if (report !== undefined) expect(report).toContain('No errors detected');
  });

  it('uses ZIP64 records past the threshold, and readers still find every member', async () => {
    // A threshold of 500 bytes puts the first member (1000 bytes) and every later offset into
    // ZIP64 fields, as 4 GiB would, without writing 4 GiB.
    const small = { ...options, zip64Threshold: 500 };
    const zip = await collect(zipStream(members, small));
    expect(zip.length).toBe(zipLength(members, small));
    const tail = Buffer.from(zip.subarray(zip.length - 22 - 20 - 56));
    expect(tail.readUInt32LE(0)).toBe(0x06064b50); // ZIP64 end of central directory record
    expect(tail.readUInt32LE(56)).toBe(0x07064b50); // its locator
    const files = unzipSync(zip);
    expect(Buffer.compare(files[members[0]!.name]!, bytesOf(1000, 1))).toBe(0);
    expect(Buffer.compare(files[members[1]!.name]!, bytesOf(333, 2))).toBe(0);
    const report = await unzipTest(zip);
    if (report !== undefined) expect(report).toContain('No errors detected');
  });

  it('fails the stream when a source yields another size than declared', async () => {
    const liar = { ...member('short.dcm', bytesOf(10, 3)), size: 11 };
    await expect(collect(zipStream([liar], options))).rejects.toThrow(/expected 11 bytes, the source had 10/);
  });
});
