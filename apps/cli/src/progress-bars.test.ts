import { describe, expect, it } from 'vitest';
import { applyEvent, formatDuration, initialProgress, renderProgressBars, renderStep } from './progress-bars.js';

describe('renderStep', () => {
  it('shows files, MB, MB/s since the step started and the ETA from the remaining bytes', () => {
    const state = initialProgress();
    applyEvent(state, { type: 'step', step: 'upload', state: 'running' }, 1_000);
    applyEvent(
      state,
      { type: 'progress', step: 'upload', files: 250, totalFiles: 1000, bytes: 100e6, totalBytes: 400e6 },
      6_000,
    );
    // 100 MB in 5 s = 20 MB/s; 300 MB left = 15 s.
    const line = renderStep('upload', state.upload, 6_000, 120);
    expect(line).toMatch(
      /^Uploaded \[(#+)(-+)\] {2}25% {3}250\/1000 files {2}100\.0\/400\.0 MB {3}20\.0 MB\/s {2}ETA 15 s$/,
    );
    const [, done = '', left = ''] = /\[(#+)(-+)\]/.exec(line) ?? [];
    expect(done.length / (done.length + left.length)).toBeCloseTo(0.25, 1);
  });

  it('is a pure function of the state and the clock: the rate falls while no bytes arrive', () => {
    const state = initialProgress();
    applyEvent(state, { type: 'step', step: 'deidentify', state: 'running' }, 0);
    applyEvent(
      state,
      { type: 'progress', step: 'deidentify', files: 1, totalFiles: 2, bytes: 10e6, totalBytes: 20e6 },
      1_000,
    );
    const early = renderStep('deidentify', state.deidentify, 1_000, 120);
    expect(renderStep('deidentify', state.deidentify, 1_000, 120)).toBe(early);
    const later = renderStep('deidentify', state.deidentify, 4_000, 120);
    expect(early).toMatch(/ 10\.0 MB\/s {2}ETA 1 s$/);
    expect(later).toMatch(/ 2\.5 MB\/s {2}ETA 4 s$/);
  });

  it('shows waiting before a step starts and the duration once it is done', () => {
    const state = initialProgress();
    expect(renderStep('verify', state.verify, 0, 80)).toBe('Verified waiting');
    applyEvent(state, { type: 'step', step: 'verify', state: 'running' }, 0);
    applyEvent(state, { type: 'progress', step: 'verify', files: 3, totalFiles: 3, bytes: 3e6, totalBytes: 3e6 }, 500);
    applyEvent(state, { type: 'step', step: 'verify', state: 'done' }, 2_000);
    const line = renderStep('verify', state.verify, 99_000, 100);
    expect(line).toMatch(/^Verified \[#+\] 100% {2}3\/3 files {2}3\.0\/3\.0 MB +1\.5 MB\/s {2}done in 2 s$/);
  });

  it('never exceeds the terminal width, so the in-place redraw does not wrap', () => {
    const state = initialProgress();
    applyEvent(state, { type: 'step', step: 'upload', state: 'running' }, 0);
    applyEvent(
      state,
      { type: 'progress', step: 'upload', files: 99_999, totalFiles: 100_000, bytes: 99e9, totalBytes: 100e9 },
      3_600_000,
    );
    for (const width of [40, 60, 79, 200]) {
      for (const line of renderProgressBars(state, 3_600_000, width)) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('uses the file count for the bar and ETA when a step has no byte total', () => {
    const state = initialProgress();
    applyEvent(state, { type: 'step', step: 'upload', state: 'running' }, 0);
    applyEvent(state, { type: 'progress', step: 'upload', files: 1, totalFiles: 4, bytes: 0, totalBytes: 0 }, 1_000);
    expect(renderStep('upload', state.upload, 1_000, 120)).toMatch(
      / 25% {2}1\/4 files {2}0\.0\/0\.0 MB +0\.0 MB\/s {2}ETA 3 s$/,
    );
  });
});

describe('renderProgressBars', () => {
  it('draws one line per step after Evaluate: Analysed, Uploaded, Verified', () => {
    const lines = renderProgressBars(initialProgress(), 0, 80);
    expect(lines).toEqual(['Analysed waiting', 'Uploaded waiting', 'Verified waiting']);
  });
});

describe('formatDuration', () => {
  it('writes seconds, minutes and hours the way a person reads them', () => {
    expect(formatDuration(0.4)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3_725)).toBe('1:02:05');
  });
});
