/**
 * Runs DCMTK's dcmdump (Debian package dcmtk) once over many files and parses what it prints for
 * the searched tags. Output is read as Latin-1 so every byte of a value maps to one character
 * (dcmdump prints values in the file's own character set).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DCMDUMP = '/usr/bin/dcmdump';
export const hasDcmdump: boolean = existsSync(DCMDUMP);
if (!hasDcmdump && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES !== '1') {
  console.warn(`skipping tests that compare with DCMTK: ${DCMDUMP} is absent (apt-get install dcmtk)`);
}

/** What dcmdump printed for one file: top-level values by "gggg,eeee" (lower case), or rejected. */
export interface DcmdumpResult {
  /** dcmdump reported an error reading the file (and, stopping on errors by default, printed nothing). */
  readonly rejected: boolean;
  readonly values: ReadonlyMap<string, { vr: string; value: string }>;
}

const LINE = /^\(([0-9a-f]{4},[0-9a-f]{4})\) (\w\w) (.*?)\s+# +(\d+|u\/l), *\d+ \S+$/;

/**
 * dcmdump +F -Un +L +p +P tag... files: one process for all files, `cwd` relative paths.
 * Errors go to stderr as "E: ...: reading file: NAME", which tells which files it rejected.
 * `+F` heads each file's section, `+p` prefixes nested hits with their sequence path (skipped here),
 * `-Un` prints UIDs as numbers, `+L` prints long values whole.
 */
export function dcmdumpSearch(
  cwd: string,
  files: readonly string[],
  tags: readonly string[],
  extraArgs: readonly string[] = [],
): Map<string, DcmdumpResult> {
  const args = [...extraArgs, '+F', '-Un', '+L', '+p', ...tags.flatMap((t) => ['+P', t]), ...files];
  const run = spawnSync(DCMDUMP, args, { cwd, encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  const rejected = new Set<string>();
  for (const m of run.stderr.matchAll(/^E: .*: reading file: (.+)$/gm)) rejected.add(m[1] ?? '');
  const results = new Map<string, DcmdumpResult>();
  const sections = run.stdout.split(/^# dcmdump \(\d+\/\d+\): /m).slice(1);
  for (const section of sections) {
    const [name = '', ...lines] = section.split('\n');
    const values = new Map<string, { vr: string; value: string }>();
    for (const line of lines) {
      const m = LINE.exec(line);
      if (!m) continue;
      const [, key = '', vr = '', printed = ''] = m;
      if (values.has(key)) continue;
      let value = printed === '(no value available)' ? '' : printed.replace(/^\[(.*)\]$/s, '$1');
      // UN values are printed as hex bytes separated by backslashes: turn them back into bytes.
      if (vr === 'UN' && /^[0-9a-f]{2}(\\[0-9a-f]{2})*$/.test(value)) {
        value = String.fromCharCode(...value.split('\\').map((h) => Number.parseInt(h, 16)));
      }
      values.set(key, { vr, value });
    }
    results.set(name, { rejected: rejected.has(name), values });
  }
  return results;
}
