import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferencePortal, startReferencePortal } from '../../../packages/uploader/test/reference-portal.js';
import { generateRtSet, writeFiles } from '../../../packages/uploader/test/rt-set.js';
import { courier } from './cli-harness.js';

/**
 * `courier upload` as a child process against the reference upload-session server (the Portal's
 * batch and commit endpoints are not there yet; see upload-engine.test.ts for the real Portal).
 */
describe('courier upload', () => {
  let work: string;
  let ref: ReferencePortal;
  const token = 'courier_pat_cli';
  const slot = [randomUUID(), randomUUID(), randomUUID(), randomUUID()].join('/');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'courier-upload-cli-'));
    // The reference slot's subject is F, born 1960; this set says M: a sex mismatch warning.
    await writeFiles(
      join(work, 'DOE_JOHN'),
      generateRtSet({ sex: 'M', birthDate: '19600101', patientName: 'DOE^JOHN' }).files,
    );
    ref = await startReferencePortal(token);
  });
  afterAll(async () => {
    await ref.close();
    await rm(work, { recursive: true, force: true });
  });

  it('stops with exit status 3 on an unacknowledged warning, then uploads with --acknowledge and writes the log', async () => {
    const env = { COURIER_TOKEN: token, COURIER_CONFIG: join(work, 'none.json') };
    const blocked = await courier(
      ['upload', join(work, 'DOE_JOHN'), '--portal', ref.baseUrl, '--slot', slot],
      env,
      work,
    );
    expect(blocked.stderr).toContain('SANITY_PATIENT_SEX_MISMATCH');
    expect(blocked.status).toBe(3);
    expect(ref.received).toHaveLength(0);

    const log = join(work, 'run.log');
    const run = await courier(
      [
        'upload',
        join(work, 'DOE_JOHN'),
        '--portal',
        ref.baseUrl,
        '--slot',
        slot,
        '--acknowledge',
        'SANITY_PATIENT_SEX_MISMATCH',
        '--log',
        log,
        '--concurrency',
        '2',
      ],
      env,
      work,
    );
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^Verified and assigned: \d+ instance\(s\)/);
    for (const step of ['Evaluate: done', 'Analysed: done', 'Uploaded: done', 'Verified: done'])
      expect(run.stderr).toContain(step);
    const text = await readFile(log, 'utf8');
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; findings?: { acknowledgedAt?: string }[] });
    expect(entries.map((e) => e.event)).toEqual(
      expect.arrayContaining(['scan', 'sanity', 'config', 'batch', 'commit', 'end']),
    );
    expect(entries.find((e) => e.event === 'sanity')?.findings?.some((f) => f.acknowledgedAt !== undefined)).toBe(true);
    expect(text).not.toContain('DOE');
    expect((await stat(log)).mode & 0o777).toBe(0o600);
  });
});
