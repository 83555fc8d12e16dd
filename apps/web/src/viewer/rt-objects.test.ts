import { describe, expect, it } from 'vitest';
import { chooseRtObject, parseRtObjects, type RtObjectSummary, rtObjectText } from './rt-objects.js';

// QIDO-RS instance results as PS3.18 F.2 DICOM JSON writes them (IS as numbers).
const result = (series: string, sop: string, extra: Record<string, unknown> = {}) => ({
  '0020000E': { vr: 'UI', Value: [series] },
  '00080018': { vr: 'UI', Value: [sop] },
  ...Object.fromEntries(Object.entries(extra).map(([tag, value]) => [tag, { vr: 'XX', Value: [value] }])),
});

describe('parseRtObjects', () => {
  it('reads label, date and numbers of structure sets, ordered by series then instance number', () => {
    const parsed = parseRtObjects('RTSTRUCT', [
      result('1.9', '1.9.1', { '00200011': 7, '30060002': 'Review', '30060008': '20240301' }),
      result('1.3', '1.3.2', { '00200011': 3, '00200013': 2, '0008103E': 'Contours' }),
      result('1.3', '1.3.1', { '00200011': 3, '00200013': 1, '30060002': 'Plan A' }),
      { '00080018': { vr: 'UI', Value: ['no.series'] } },
    ]);
    expect(parsed.map((o) => o.sopInstanceUid)).toEqual(['1.3.1', '1.3.2', '1.9.1']);
    expect(parsed[2]).toEqual({
      modality: 'RTSTRUCT',
      seriesInstanceUid: '1.9',
      sopInstanceUid: '1.9.1',
      seriesNumber: 7,
      label: 'Review',
      date: '20240301',
    });
  });

  it('reads an RT Dose’s Dose Summation Type as its label and Content Date as its date', () => {
    const [dose] = parseRtObjects('RTDOSE', [result('2.1', '2.1.1', { '3004000A': 'BEAM', '00080023': '20240115' })]);
    expect(dose).toMatchObject({ label: 'BEAM', date: '20240115' });
  });
});

describe('chooseRtObject', () => {
  const list = parseRtObjects('RTDOSE', [result('1', '1.1'), result('2', '2.1')]);

  it('takes the object the address names, the first without one, and none from an empty list', () => {
    expect(chooseRtObject(list, '2.1')?.sopInstanceUid).toBe('2.1');
    expect(chooseRtObject(list, null)?.sopInstanceUid).toBe('1.1');
    expect(chooseRtObject([], null)).toBeUndefined();
  });

  it('falls back to the first when the address names an object the study does not hold', () => {
    expect(chooseRtObject(list, '9.9.9')?.sopInstanceUid).toBe('1.1');
  });
});

describe('rtObjectText', () => {
  it('names an object by series number, label, description and date', () => {
    const [o] = parseRtObjects('RTSTRUCT', [
      result('1.3', '1.3.1', { '00200011': 3, '30060002': 'Plan A', '0008103E': 'Contours', '30060008': '20240115' }),
    ]) as [RtObjectSummary];
    expect(rtObjectText(o, [o])).toBe('3 · Plan A · Contours · 2024-01-15');
  });

  it('adds the instance number inside a shared series and the UID when two would read the same', () => {
    const shared = parseRtObjects('RTDOSE', [
      result('1', '1.1', { '00200011': 5, '00200013': 1, '3004000A': 'BEAM' }),
      result('1', '1.2', { '00200011': 5, '00200013': 2, '3004000A': 'BEAM' }),
    ]);
    expect(shared.map((o) => rtObjectText(o, shared))).toEqual(['5 · BEAM · #1', '5 · BEAM · #2']);
    const twins = parseRtObjects('RTSTRUCT', [
      result('1', '2.25.100000000110000000000', { '30060002': 'RS' }),
      result('2', '2.25.200000000110000000000', { '30060002': 'RS' }),
    ]);
    expect(twins.map((o) => rtObjectText(o, twins))).toEqual([
      'RS · 2.25.100000000110000000000',
      'RS · 2.25.200000000110000000000',
    ]);
  });
});
