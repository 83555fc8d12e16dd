import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDciodvfy } from '../scripts/generate-iod-allowed.js';

/**
 * David Clunie's `dciodvfy` (Debian dicom3tools), or undefined: the checks that need it skip with a
 * message when it is absent, except under COURIER_REQUIRE_SYSTEM_FIXTURES=1 (CI), where absence
 * is a failure. COURIER_DCIODVFY may point at an unpacked binary (`apt-get download dicom3tools`
 * then `dpkg -x`).
 */
export function dciodvfyOrSkip(): string | undefined {
  const bin = findDciodvfy();
  if (bin !== undefined) return bin;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error('dciodvfy is missing but COURIER_REQUIRE_SYSTEM_FIXTURES=1: apt-get install dicom3tools');
  }
  console.warn('skipping dciodvfy checks: dciodvfy not found (apt-get install dicom3tools, or set COURIER_DCIODVFY)');
  return undefined;
}

/** The tags dciodvfy flags "Attribute is not present in standard DICOM IOD" in each file, as "(gggg,eeee)". */
export function notInIodWarnings(bin: string, files: readonly Uint8Array[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'courier-dciodvfy-'));
  try {
    return files.map((bytes, i) => {
      const path = join(dir, `f${i}.dcm`);
      writeFileSync(path, bytes);
      const r = spawnSync(bin, [path], { encoding: 'latin1' });
      return [...`${r.stdout}\n${r.stderr}`.matchAll(/not present in standard DICOM IOD - \(0x(\w{4}),0x(\w{4})\)/g)]
        .map((m) => `(${m[1]},${m[2]})`.toUpperCase())
        .sort();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
