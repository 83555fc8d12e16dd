import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DCMDUMP, hasDcmdump } from './dcmdump.js';

/**
 * Checks written files with DCMTK's dcmdump, the independent parser (Debian dcmtk, installed by
 * .ci/run). Tests that need it skip when it is absent, unless COURIER_REQUIRE_SYSTEM_FIXTURES=1
 * (CI), where they run and fail.
 *
 * @example
 * describe.skipIf(!runDcmdumpTests)('...', () => { expect(dcmdumpBytes(out)).toMatch(/^\(0010,0010\) PN \[X\]/m) });
 */
export const runDcmdumpTests: boolean = hasDcmdump || process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1';
if (!runDcmdumpTests)
  console.warn(`skipping tests that check output with dcmdump: ${DCMDUMP} is absent (apt-get install dcmtk)`);

/** Runs dcmdump on bytes (written to a temporary file, removed afterwards); see `dcmdumpPath`. */
export function dcmdumpBytes(bytes: Uint8Array, args: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'courier-dcmdump-'));
  const path = join(dir, 'file.dcm');
  try {
    writeFileSync(path, bytes);
    return dcmdumpPath(path, args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs dcmdump on a file and returns what it printed. Throws with dcmdump's stderr when it exits
 * non-zero or reports an error ("E: "), i.e. when DCMTK cannot parse the file cleanly.
 */
export function dcmdumpPath(path: string, args: readonly string[] = []): string {
  const run = spawnSync(DCMDUMP, [...args, path], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0 || /^E: /m.test(run.stderr)) {
    throw new Error(`dcmdump failed on ${path} (status ${run.status}): ${run.stderr}`);
  }
  return run.stdout;
}
