import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressPrinter } from './progress.js';

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
