import { describe, expect, it } from 'vitest';
import { UploadLog } from './upload-log.js';

describe('UploadLog', () => {
  it('writes one JSON object per line with the time and the event', () => {
    const log = new UploadLog(() => new Date('2026-11-25T13:00:00.000Z'));
    log.add('config', { concurrency: 3 });
    log.add('end', { ok: true });
    const lines = log.toJsonLines().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({ at: '2026-11-25T13:00:00.000Z', event: 'config', concurrency: 3 });
    expect(JSON.parse(lines[1]!).event).toBe('end');
  });
});
