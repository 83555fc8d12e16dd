import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * DCMTK's dcmdump (Debian dcmtk, installed by .ci/run), the independent parser our written files
 * are checked with. Tests that need it skip when it is absent, unless COURIER_REQUIRE_SYSTEM_FIXTURES=1
 * (CI), where they run and fail.
 *
 * @example
 * describe.skipIf(!runDcmdumpTests)('...', () => { expect(dcmdump(bytes)).toMatch(/\(0010,0010\) PN \[PSEUDO\]/) });
 */
export const DCMDUMP = '/usr/bin/dcmdump';
const present = existsSync(DCMDUMP);

/** True when the tests using dcmdump should run. */
export const runDcmdumpTests: boolean = present || process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1';
if (!runDcmdumpTests) console.warn(`skipping tests that use dcmdump: ${DCMDUMP} is absent (apt-get install dcmtk)`);

/**
 * Runs dcmdump on bytes (written to a temporary file) and returns its output. Throws with
 * dcmdump's stderr when it exits non-zero, i.e. when DCMTK cannot parse the file.
 */
export function dcmdump(bytes: Uint8Array, args: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'courier-dcmdump-'));
  const path = join(dir, 'file.dcm');
  try {
    writeFileSync(path, bytes);
    return dcmdumpFile(path, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs dcmdump on a file path; see `dcmdump`. */
export function dcmdumpFile(path: string, args: readonly string[] = []): string {
  return execFileSync(DCMDUMP, [...args, path], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
}
