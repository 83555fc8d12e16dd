import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRtSet, writeFiles } from '../../../packages/uploader/test/rt-set.js';
import {
  DCMDUMP,
  hasDcmdump,
  hasPydicomFiles,
  PYDICOM_TEST_FILES,
} from '../../../packages/uploader/test/system-fixtures.js';
import { HELP } from '../src/help.js';
import { runCli } from '../src/run-cli.js';
import { courier, type DemoPortal, startDemoPortal } from './cli-harness.js';

/** Runs the CLI in this process with captured output (for exit-code checks that need no child). */
async function inProcess(args: string[], env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  err.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const status = await runCli(args, { out, err, env: { ...env }, isTTY: false });
  return { status, stdout, stderr };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'courier-cli-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('courier help and usage', () => {
  it('prints the command list with --help and exits 0; no command is a usage error (2)', async () => {
    const help = await courier(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['login', 'slots', 'scan', 'deidentify', 'upload']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit status');
    expect((await courier([])).status).toBe(2);
  });

  it('answers an unknown command or option and a missing argument with exit status 2', async () => {
    // In process (runCli is what main.ts calls): the exit codes do not need a child each.
    expect((await inProcess(['frobnicate'])).status).toBe(2);
    const unknown = await inProcess(['scan', '.', '--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
    const missing = await inProcess(['deidentify', '.']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing --out');
    const slot = await inProcess(['upload', '.', '--slot', 'nope'], {
      COURIER_TOKEN: 't',
      COURIER_PORTAL: 'http://127.0.0.1:9',
    });
    expect(slot.status).toBe(2);
    expect(slot.stderr).toContain('not a slot id');
  });

  it('documents every option each command parses in its help', async () => {
    const sources = await Promise.all(
      ['login', 'slots', 'scan', 'deidentify', 'upload'].map(async (c) => [
        c,
        await readFile(new URL(`../src/commands/${c}.ts`, import.meta.url), 'utf8'),
      ]),
    );
    for (const [command, source] of sources) {
      const declared = [...source!.matchAll(/^\s+'?([a-z-]+)'?: \{ type: '(?:string|boolean)'/gm)].map((m) => m[1]);
      expect(declared.length, command).toBeGreaterThan(0);
      for (const option of declared)
        expect(HELP[command as keyof typeof HELP], `${command} --${option}`).toContain(`--${option}`);
    }
  });
});

describe.runIf(hasPydicomFiles())('courier scan on pydicom test files', () => {
  it('prints a version-1 JSON report with studies, series and ignored files with reasons', async () => {
    const run = await courier(['scan', join(PYDICOM_TEST_FILES, 'dicomdirtests'), '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.version).toBe(1);
    expect(report.studies.length).toBeGreaterThan(3);
    const instances = report.studies.reduce((n: number, s: { instanceCount: number }) => n + s.instanceCount, 0);
    expect(instances).toBeGreaterThan(50);
    expect(report.ignored.map((i: { reason: string }) => i.reason)).toContain('IGNORED_DICOMDIR');
  });
});

describe('courier deidentify', () => {
  it('writes de-identified files that dcmdump reads, with the pseudonym and no original identifier', async () => {
    const input = join(work, 'rt-in');
    const out = join(work, 'rt-out');
    const { files, uids } = generateRtSet({ patientID: 'PID-4711', patientName: 'DOE^JANE', ctSlices: 3 });
    await writeFiles(input, files);
    const run = await courier([
      'deidentify',
      input,
      '--out',
      out,
      '--patient-id',
      'FIX-A001',
      '--patient-name',
      'A001',
      '--uid-secret',
      'a-test-secret-of-enough-length',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`De-identified ${files.length} file(s)`);
    const written: string[] = [];
    for (const dir of await readdir(out)) {
      expect(dir).toMatch(/^2\.25\.\d+$/);
      for (const name of await readdir(join(out, dir))) written.push(join(out, dir, name));
    }
    expect(written).toHaveLength(files.length);
    for (const path of written) {
      const bytes = Buffer.from(await readFile(path));
      expect(bytes.includes('DOE^JANE')).toBe(false);
      expect(bytes.includes('PID-4711')).toBe(false);
      expect(bytes.includes(uids.study)).toBe(false);
      if (hasDcmdump()) {
        const dump = execFileSync(DCMDUMP, ['-q', path], { encoding: 'utf8' });
        expect(dump).toContain('(0010,0020) LO [FIX-A001]');
        expect(dump).toContain('(0012,0062) CS [YES]');
      }
    }
  });

  it('refuses a short UID secret with exit status 2', async () => {
    const run = await inProcess([
      'deidentify',
      work,
      '--out',
      join(tmpdir(), 'x'),
      '--patient-id',
      'P',
      '--patient-name',
      'P',
      '--uid-secret',
      'short',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/secret/i);
  });
});

describe('courier login and slots against the real Portal', () => {
  let portal: DemoPortal;
  let config: string;
  beforeAll(async () => {
    portal = await startDemoPortal();
    config = join(work, 'config', 'courier.json');
  });
  afterAll(async () => {
    await portal.stop();
  });

  it('logs in with user name and password, stores only a token (0600), and lists the subject’s slots', async () => {
    const env = { COURIER_CONFIG: config, COURIER_PASSWORD: portal.password('uploader') };
    const login = await courier(['login', '--portal', portal.baseUrl, '--username', 'uploader'], env);
    expect(login.stderr).toBe('');
    expect(login.status).toBe(0);
    expect(login.stdout).toContain('as uploader');
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(config, 'utf8'));
    expect(stored.portal).toBe(portal.baseUrl);
    expect(stored.tokens[portal.baseUrl]).toMatch(/^courier_pat_/);
    expect(JSON.stringify(stored)).not.toContain(portal.password('uploader'));

    const slots = await courier(['slots', '--subject', 'S01-001', '--json'], { COURIER_CONFIG: config });
    expect(slots.stderr).toBe('');
    expect(slots.status).toBe(0);
    const rows = JSON.parse(slots.stdout) as { slotId: string; slot: string; value: unknown }[];
    expect(rows.map((r) => r.slot)).toContain('Planning CT');
    for (const r of rows) expect(r.slotId.split('/')).toHaveLength(4);
  });

  it('uploads a generated CT + RT set to a slot of the real Portal and the slot holds the study', async () => {
    const input = join(work, 'S01-003');
    // The demo subject S01-003 is M, born 1962-07-29: no patient warning; the RT Dose slot
    // expects RTDOSE only, so the CT, RTSTRUCT, RTPLAN and RTIMAGE series need an acknowledgement.
    await writeFiles(
      input,
      generateRtSet({ root: '1.2.826.0.1.3680043.10.1447.81', sex: 'M', birthDate: '19620729' }).files,
    );
    const env = { COURIER_CONFIG: config };
    const rows = JSON.parse((await courier(['slots', '--subject', 'S01-003', '--json'], env)).stdout) as {
      slotId: string;
      slot: string;
      event: string;
    }[];
    const target = rows.find((r) => r.event === 'Planning' && r.slot === 'RT Dose')!;
    const log = join(work, 'upload.log');
    const run = await courier(
      ['upload', input, '--slot', target.slotId, '--acknowledge', 'SANITY_UNEXPECTED_MODALITY', '--log', log, '--json'],
      env,
      work,
    );
    expect(run.status, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout);
    expect(outcome.ok).toBe(true);
    expect(outcome.counts.verify).toBeGreaterThan(5);
    const after = JSON.parse((await courier(['slots', '--subject', 'S01-003', '--json'], env)).stdout) as {
      slotId: string;
      value: { studyInstanceUid: string } | null;
    }[];
    expect(after.find((r) => r.slotId === target.slotId)?.value?.studyInstanceUid).toBe(outcome.studyInstanceUid);
    expect(await readFile(log, 'utf8')).toContain('"event":"commit"');
  });

  it('exits 4 when the token is refused', async () => {
    const run = await courier(['slots', '--subject', 'S01', '--portal', portal.baseUrl], {
      COURIER_CONFIG: join(work, 'none.json'),
      COURIER_TOKEN: 'courier_pat_not-a-real-token',
    });
    expect(run.status).toBe(4);
    expect(run.stderr).toMatch(/TOKEN_INVALID|AUTH/);
  });
});
