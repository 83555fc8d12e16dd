import { UploadLog, type UploadOutcome } from '@courier/uploader';
import { describe, expect, test } from 'vitest';
import { canFinish, uploadIdle, uploadReducer } from './upload-state.js';

function outcome(partial: Partial<UploadOutcome>): UploadOutcome {
  return {
    ok: true,
    uploadId: 'u1',
    studyInstanceUid: '2.25.1',
    counts: { evaluate: 4, deidentify: 4, upload: 4, verify: 4 },
    alreadyStored: 0,
    batchesSent: 1,
    errors: [],
    fatal: null,
    log: new UploadLog(),
    ...partial,
  };
}

describe('the upload state', () => {
  test('progress events set the file count of their step and move the bar forward', () => {
    let s = uploadReducer(uploadIdle(4), { type: 'start' });
    s = uploadReducer(s, {
      type: 'event',
      event: { type: 'progress', step: 'deidentify', files: 4, totalFiles: 4, bytes: 10, totalBytes: 10 },
    });
    expect(s.counts.deidentify).toBe(4);
    expect(s.progress).toBeCloseTo(1 / 3);
    s = uploadReducer(s, {
      type: 'event',
      event: { type: 'progress', step: 'upload', files: 2, totalFiles: 4, bytes: 5, totalBytes: 10 },
    });
    expect(s.counts.upload).toBe(2);
    expect(s.progress).toBeCloseTo(0.5);
    expect(canFinish(s)).toBe(false);
  });

  test('a login request pauses the run until the user logged in again', () => {
    let s = uploadReducer(uploadIdle(4), { type: 'start' });
    s = uploadReducer(s, { type: 'event', event: { type: 'login-required', reason: 'expired' } });
    expect(s.phase).toBe('login');
    expect(uploadReducer(s, { type: 'logged-in' }).phase).toBe('running');
  });

  test('a failed run shows its errors, and a retry clears them but keeps the counts', () => {
    let s = uploadReducer(uploadIdle(4), { type: 'start' });
    const row = { index: 2, path: 'CT/2.dcm', step: 'upload' as const, reason: 'rejected: DEID_LEFTOVER' };
    s = uploadReducer(s, {
      type: 'finished',
      outcome: outcome({
        ok: false,
        fatal: '1 instance(s) were not stored',
        errors: [row],
        counts: { evaluate: 4, deidentify: 4, upload: 3, verify: 0 },
      }),
    });
    expect(s.phase).toBe('failed');
    expect(s.errors).toEqual([row]);
    expect(canFinish(s)).toBe(false);
    s = uploadReducer(s, { type: 'start' });
    expect(s.errors).toEqual([]);
    expect(s.counts.upload).toBe(3);
  });

  test('Finish is allowed only when every file is verified and the run ended well', () => {
    const s = uploadReducer(uploadReducer(uploadIdle(4), { type: 'start' }), {
      type: 'finished',
      outcome: outcome({}),
    });
    expect(canFinish(s)).toBe(true);
    expect(s.studyInstanceUid).toBe('2.25.1');
    const partial = uploadReducer(uploadIdle(5), { type: 'finished', outcome: outcome({}) });
    expect(canFinish(partial)).toBe(false);
  });

  test('a worker that fails ends the run as failed with its message, and Retry clears it', () => {
    let s = uploadReducer(uploadIdle(2), { type: 'start' });
    s = uploadReducer(s, { type: 'failed', message: 'the upload worker failed' });
    expect(s.phase).toBe('failed');
    expect(s.fatal).toBe('the upload worker failed');
    expect(canFinish(s)).toBe(false);
    s = uploadReducer(s, { type: 'start' });
    expect({ phase: s.phase, fatal: s.fatal }).toEqual({ phase: 'running', fatal: null });
  });

  test('"logged-in" resumes only a run that waits for the login', () => {
    const running = uploadReducer(uploadIdle(2), { type: 'start' });
    const waiting = uploadReducer(running, { type: 'event', event: { type: 'login-required', reason: 'HTTP 401' } });
    expect(waiting.phase).toBe('login');
    expect(uploadReducer(waiting, { type: 'logged-in' }).phase).toBe('running');
    expect(uploadReducer(uploadIdle(2), { type: 'logged-in' }).phase).toBe('idle');
  });
});
