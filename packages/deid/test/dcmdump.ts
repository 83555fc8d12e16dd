import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's dcmtk `dcmdump` (apt-get install dcmtk), the independent parser output files must pass. */
export const DCMDUMP = '/usr/bin/dcmdump';

/**
 * Whether the dcmdump checks run: they skip with a message when dcmdump is absent, except under
 * COURIER_REQUIRE_SYSTEM_FIXTURES=1 (CI), where absence is a failure.
 */
export function dcmdumpAvailable(): boolean {
  if (existsSync(DCMDUMP)) return true;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error(`${DCMDUMP} is missing but COURIER_REQUIRE_SYSTEM_FIXTURES=1: apt-get install dcmtk`);
  }
  console.warn(`skipping dcmdump checks: ${DCMDUMP} not found (apt-get install dcmtk)`);
  return false;
}

/**
 * Runs dcmdump on each file (written to a temporary folder) and returns its exit status and
 * error/warning lines. dcmdump prints problems on stderr as "E:" / "W:" lines.
 */
export function dcmdumpFiles(files: readonly Uint8Array[]): { status: number | null; errors: string; dump: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'courier-deid-'));
  try {
    return files.map((bytes, i) => {
      const path = join(dir, `f${i}.dcm`);
      writeFileSync(path, bytes);
      const r = spawnSync(DCMDUMP, ['-M', path], { encoding: 'latin1' });
      const errors = `${r.stderr}`
        .split('\n')
        .filter((l) => /^(E|W|F):/.test(l))
        .join('\n');
      return { status: r.status, errors, dump: `${r.stdout}` };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One dcmdump run over many files (a process per file costs ~0.1 s on a loaded machine): returns
 * the "E:" lines of stderr. Fatal errors name the file ("reading file: …"); use `fatalFiles` to
 * find which.
 */
export function dcmdumpBatch(files: readonly Uint8Array[]): { errors: string[]; fatal: Set<number> } {
  const dir = mkdtempSync(join(tmpdir(), 'courier-deid-'));
  try {
    const paths = files.map((bytes, i) => {
      const path = join(dir, `f${i}.dcm`);
      writeFileSync(path, bytes);
      return path;
    });
    const r = spawnSync(DCMDUMP, ['-M', ...paths], { encoding: 'latin1', maxBuffer: 1 << 30 });
    const errors = `${r.stderr}`.split('\n').filter((l) => l.startsWith('E:') || l.startsWith('F:'));
    const fatal = new Set<number>();
    for (const line of errors) {
      const m = /f(\d+)\.dcm/.exec(line);
      if (m) fatal.add(Number(m[1]));
    }
    return { errors, fatal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
