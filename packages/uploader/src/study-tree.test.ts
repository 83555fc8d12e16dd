import { describe, expect, it } from 'vitest';
import { record } from '../test/records.js';
import { buildStudyTree } from './study-tree.js';

describe('buildStudyTree', () => {
  it('groups by study and series, sorts series by number and instances by Instance Number', () => {
    const studies = buildStudyTree([
      record({
        sopInstanceUID: 'b2',
        seriesInstanceUID: 'B',
        instanceNumber: 2,
        seriesAttributes: { seriesNumber: 2 },
      }),
      record({
        sopInstanceUID: 'a1',
        seriesInstanceUID: 'A',
        instanceNumber: 1,
        seriesAttributes: { seriesNumber: 3 },
      }),
      record({
        sopInstanceUID: 'b1',
        seriesInstanceUID: 'B',
        instanceNumber: 1,
        seriesAttributes: { seriesNumber: 2 },
      }),
      record({
        sopInstanceUID: 'x1',
        studyInstanceUID: '0.1',
        seriesInstanceUID: 'X',
        study: { studyDate: '20200101' },
      }),
    ]);
    expect(studies.map((s) => s.studyInstanceUID)).toEqual(['0.1', '1.9']);
    const study = studies[1]!;
    expect(study.series.map((s) => s.seriesInstanceUID)).toEqual(['B', 'A']);
    expect(study.series[0]?.instances.map((i) => i.sopInstanceUID)).toEqual(['b1', 'b2']);
    expect([study.instanceCount, study.totalSize]).toEqual([3, 3000]);
  });

  it('takes the modality from the SOP class when no instance has Modality', () => {
    const { modality: _omit, ...withoutModality } = record({
      sopInstanceUID: 'd1',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.481.2',
    });
    expect(buildStudyTree([withoutModality])[0]?.series[0]?.modality).toBe('RTDOSE');
  });
});
