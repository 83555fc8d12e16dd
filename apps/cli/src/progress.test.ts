import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, ProgressPrinter, REDRAW_INTERVAL_MS, TtyProgress } from './progress.js';

function capture(tty: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString();
  });
  let now = 0;
  const printer = new ProgressPrinter(stream, tty, () => now);
  return { printer, text: () => text, advance: (ms: number) => (now += ms) };
}

describe('ProgressPrinter', () => {
  it('prints plain lines every 10% off a terminal, with files, MB, MB/s and ETA', () => {
    const { printer, text, advance } = capture(false);
    printer.on({ type: 'step', step: 'upload', state: 'running' });
    for (let files = 1; files <= 100; files++) {
      advance(10);
      printer.on({ type: 'progress', step: 'upload', files, totalFiles: 100, bytes: files * 1e6, totalBytes: 100e6 });
    }
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('Uploaded: running');
    expect(lines.filter((l) => l.startsWith('Uploaded: ') && l.includes('files'))).toHaveLength(11);
    expect(lines).toContain('Uploaded: 50/100 files, 50.0 MB/100.0 MB, 100.0 MB/s, ETA 1 s');
  });

  it('redraws one line on a terminal and ends it before the next message', () => {
    const { printer, text } = capture(true);
    printer.on({ type: 'progress', step: 'deidentify', files: 1, totalFiles: 2, bytes: 0, totalBytes: 10 });
    printer.on({ type: 'progress', step: 'deidentify', files: 2, totalFiles: 2, bytes: 10, totalBytes: 10 });
    printer.on({ type: 'step', step: 'deidentify', state: 'done' });
    expect(text()).toMatch(/^\rAnalysed: 1\/2 files.*\rAnalysed: 2\/2 files.*\nAnalysed: done\n$/s);
  });
});

describe('createProgress', () => {
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'progress' as const,
      step: 'upload' as const,
      files: i + 1,
      totalFiles: n,
      bytes: (i + 1) * 1e6,
      totalBytes: n * 1e6,
    }));

  it('draws bars with cursor movement on a terminal and plain lines without control codes otherwise', () => {
    for (const tty of [true, false]) {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (d: Buffer) => {
        text += d.toString();
      });
      let now = 0;
      const progress = createProgress(stream, tty, () => now);
      expect(progress).toBeInstanceOf(tty ? TtyProgress : ProgressPrinter);
      progress.on({ type: 'step', step: 'upload', state: 'running' });
      for (const e of events(20)) {
        now += 50;
        progress.on(e);
      }
      progress.on({ type: 'step', step: 'upload', state: 'done' });
      if (tty) {
        expect(text).toContain('\x1b[3A\r\x1b[J');
        expect(text).toMatch(
          /Uploaded \[#+\] 100% {2}20\/20 files {2}20\.0\/20\.0 MB +20\.0 MB\/s {2}done in 1 s\nVerified waiting\n$/,
        );
      } else {
        expect(text).not.toContain('\x1b');
        expect(text).not.toContain('\r');
        expect(text).toContain('Uploaded: 20/20 files, 20.0 MB/20.0 MB, 20.0 MB/s, ETA 0 s\n');
      }
    }
  });

  it('redraws the bars at a bounded rate however many events arrive', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => {
      text += d.toString();
    });
    let now = 0;
    const progress = createProgress(stream, true, () => now);
    progress.on({ type: 'step', step: 'upload', state: 'running' });
    // 1,000 events over one second: at most one redraw per REDRAW_INTERVAL_MS, plus the step changes.
    for (const e of events(1000)) {
      now += 1;
      progress.on(e);
    }
    progress.on({ type: 'step', step: 'upload', state: 'done' });
    const redraws = text.split('Uploaded ').length - 1;
    expect(redraws).toBeGreaterThanOrEqual(3);
    expect(redraws).toBeLessThanOrEqual(1000 / REDRAW_INTERVAL_MS + 2);
  });

  it('prints messages above the bars and draws the bars again below them', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const progress = createProgress(stream, true, () => 0);
    progress.on({ type: 'step', step: 'evaluate', state: 'done' });
    progress.on({ type: 'step', step: 'deidentify', state: 'running' });
    progress.on({ type: 'retry', batch: 2, attempt: 1, delayMs: 500, reason: 'HTTP 503' });
    const bars =
      'Analysed [------------]   0%  0/0 files  0.0/0.0 MB    0.0 MB/s  ETA --\nUploaded waiting\nVerified waiting\n';
    expect(text).toBe(`Evaluate: done\n${bars}\x1b[3A\r\x1b[J  batch 2: retry 1 in 500 ms (HTTP 503)\n${bars}`);
  });
});
