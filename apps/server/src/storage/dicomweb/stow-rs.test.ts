import { describe, expect, it } from 'vitest';
import type { InstanceKey } from '../dicom-store.js';
import type { DicomJsonDataset } from './dicom-json.js';
import { judgeStowAnswer } from './stow-rs.js';

const study = '1.2.3';
const key = (sop: string, series = '1.2.3.4'): InstanceKey => ({
  studyInstanceUid: study,
  seriesInstanceUid: series,
  sopInstanceUid: sop,
});
const referenced = (sop: string, series = '1.2.3.4'): DicomJsonDataset => ({
  '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
  '00081155': { vr: 'UI', Value: [sop] },
  '00081190': { vr: 'UR', Value: [`http://pacs/dicom-web/studies/${study}/series/${series}/instances/${sop}`] },
});

describe('judging a STOW-RS answer per instance (PS3.18 10.5.3)', () => {
  it('counts the parts Orthanc kept from a 400 answer, whose Failed SOP Sequence is empty for an unreadable part', () => {
    // The shape Orthanc 1.10 with DICOMweb 1.7 answers (HTTP 400) for good, garbage, good.
    const answer: DicomJsonDataset = {
      '00081198': { vr: 'SQ' },
      '00081199': { vr: 'SQ', Value: [referenced('1.1'), referenced('1.3')] },
    };
    const outcomes = judgeStowAnswer([key('1.1'), key('1.2'), key('1.3')], answer);
    expect(outcomes.map((outcome) => outcome.stored)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({
      stored: false,
      reason: expect.stringContaining('not in the Referenced SOP Sequence'),
    });
  });

  it('reports the Failure Reason (0008,1197) of a failed instance in words', () => {
    const answer: DicomJsonDataset = {
      '00081198': {
        vr: 'SQ',
        Value: [{ '00081155': { vr: 'UI', Value: ['1.1'] }, '00081197': { vr: 'US', Value: [0xa900] } }],
      },
    };
    expect(judgeStowAnswer([key('1.1')], answer)).toEqual([
      { key: key('1.1'), stored: false, reason: 'Failed SOP Sequence: data set does not match SOP Class' },
    ]);
  });

  it('refuses an instance the PACS filed under another series than the key names', () => {
    const answer: DicomJsonDataset = { '00081199': { vr: 'SQ', Value: [referenced('1.1', '9.9')] } };
    expect(judgeStowAnswer([key('1.1')], answer)[0]).toMatchObject({ stored: false, uidMismatch: true });
  });

  it('refuses every instance when there is no answer to judge, whatever the HTTP status said', () => {
    expect(judgeStowAnswer([key('1.1'), key('1.2')], null).every((outcome) => !outcome.stored)).toBe(true);
  });
});
