import type { UploadEvent } from '@courier/uploader';
import { describe, expect, test } from 'vitest';
import { throttleProgress } from './upload-protocol.js';

const progress = (step: 'deidentify' | 'upload', files: number): UploadEvent => ({
  type: 'progress',
  step,
  files,
  totalFiles: 10,
  bytes: files,
  totalBytes: 10,
});

describe('throttleProgress', () => {
  test('sends at most one progress per interval and the last one on flush', () => {
    const sent: UploadEvent[] = [];
    let clock = 0;
    const events = throttleProgress(
      (e) => sent.push(e),
      100,
      () => clock,
    );
    for (let i = 1; i <= 10; i++) {
      events.push(progress('deidentify', i));
      clock += 30;
    }
    // t=0 sends 1; t=120 sends 5; t=240 sends 9; 10 waits for the flush.
    expect(sent.map((e) => (e.type === 'progress' ? e.files : -1))).toEqual([1, 5, 9]);
    events.flush();
    expect(sent.at(-1)).toEqual(progress('deidentify', 10));
  });

  test('a held-back progress goes out before the next other event, keeping the order', () => {
    const sent: UploadEvent[] = [];
    const events = throttleProgress(
      (e) => sent.push(e),
      100,
      () => 0,
    );
    events.push(progress('upload', 1));
    events.push(progress('upload', 2));
    events.push({ type: 'login-required', reason: 'HTTP 401' });
    expect(sent).toEqual([
      progress('upload', 1),
      progress('upload', 2),
      { type: 'login-required', reason: 'HTTP 401' },
    ]);
  });

  test('the last count of a step is sent when the next step starts reporting', () => {
    const sent: UploadEvent[] = [];
    const events = throttleProgress(
      (e) => sent.push(e),
      100,
      () => 0,
    );
    events.push(progress('deidentify', 1));
    events.push(progress('deidentify', 10));
    events.push(progress('upload', 1));
    expect(sent).toEqual([progress('deidentify', 1), progress('deidentify', 10)]);
    events.flush();
    expect(sent.at(-1)).toEqual(progress('upload', 1));
  });
});
