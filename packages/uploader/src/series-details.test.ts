import { describe, expect, it } from 'vitest';
import { record, seriesOf } from '../test/records.js';
import { seriesDetails } from './series-details.js';

describe('seriesDetails', () => {
  it('prefers Series Date/Time and falls back to Study Date/Time', () => {
    const [withSeriesDate] = seriesOf([
      record({
        sopInstanceUID: '1',
        seriesAttributes: { seriesDate: '20260305', seriesTime: '0900' },
        study: { studyDate: '20260302', studyTime: '1000' },
      }),
    ]);
    expect(seriesDetails(withSeriesDate!)).toMatchObject({ date: '20260305', time: '0900' });
    const [studyOnly] = seriesOf([
      record({ sopInstanceUID: '2', study: { studyDate: '20260302', studyTime: '1000' } }),
    ]);
    expect(seriesDetails(studyOnly!)).toMatchObject({ date: '20260302', time: '1000' });
  });

  it('lists every SOP class name and transfer syntax of a mixed series, and the RT labels of all instances', () => {
    const [series] = seriesOf([
      record({
        sopInstanceUID: '1',
        modality: 'RTIMAGE',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.481.1',
        rt: { label: 'DRR 1' },
      }),
      record({
        sopInstanceUID: '2',
        modality: 'RTIMAGE',
        sopClassUID: '1.2.840.10008.5.1.4.1.1.481.1',
        rt: { label: 'DRR 2' },
        transferSyntaxUID: '1.2.840.10008.1.2',
      }),
    ]);
    const d = seriesDetails(series!);
    expect(d.sopClassNames).toEqual(['RT Image Storage']);
    expect(d.transferSyntaxUIDs).toEqual(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
    expect(d.rt?.labels).toEqual(['DRR 1', 'DRR 2']);
    expect(d.instanceCount).toBe(2);
  });

  it('shows the UID of a SOP class the dictionary does not name', () => {
    const [series] = seriesOf([record({ sopInstanceUID: '1', sopClassUID: '1.2.3.4' })]);
    expect(seriesDetails(series!).sopClassNames).toEqual(['1.2.3.4']);
  });
});
