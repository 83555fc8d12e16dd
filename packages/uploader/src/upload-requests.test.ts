import { describe, expect, it } from 'vitest';
import { batchPath, parseBatchResponse } from './upload-requests.js';

describe('parseBatchResponse', () => {
  it("reads Courier's per-instance results with size and hash", () => {
    expect(
      parseBatchResponse({
        instances: [
          { sopInstanceUid: '2.25.1', state: 'stored', reason: null, size: 1000, sha256: 'ab' },
          { sopInstanceUid: '2.25.2', state: 'rejected', reason: 'DEID_LEFTOVER', size: 900, sha256: null },
        ],
      }),
    ).toEqual([
      { sopInstanceUid: '2.25.1', state: 'stored', reason: null, size: 1000, sha256: 'ab' },
      { sopInstanceUid: '2.25.2', state: 'rejected', reason: 'DEID_LEFTOVER', size: 900, sha256: null },
    ]);
  });

  it('reads a DICOM JSON Store Instances Response (PS3.18 10.5.3): referenced and failed SOP sequences', () => {
    const results = parseBatchResponse({
      '00081199': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: ['2.25.1'] } }] },
      '00081198': {
        vr: 'SQ',
        Value: [{ '00081155': { vr: 'UI', Value: ['2.25.2'] }, '00081197': { vr: 'US', Value: [272] } }],
      },
    });
    expect(results.map((r) => [r.sopInstanceUid, r.state, r.reason])).toEqual([
      ['2.25.1', 'stored', null],
      ['2.25.2', 'rejected', 'failure reason 272'],
    ]);
  });

  it('escapes the upload id in the batch path', () => {
    expect(batchPath('a/b')).toBe('/api/uploads/a%2Fb/instances');
  });
});
