/** The synthetic CT generator of bench/synthetic (used by the benchmark and other packages' tests) writes valid files. */
import { describe, expect, it } from 'vitest';
import { ctSeries, seriesUIDs } from '../../../bench/synthetic/ct-series.js';
import { readDicom } from '../src/read-dicom.js';
import { tag } from '../src/tag.js';
import { getNumbers, getString } from '../src/values.js';
import { dcmdumpBytes, runDcmdumpTests } from './dcmdump-check.js';

describe('synthetic CT series', () => {
  const options = { slices: 3, rows: 16, columns: 20, seed: 7 };
  const files = ctSeries(options);

  it('gives each slice its own SOP Instance UID, instance number and position in one series', () => {
    const read = files.map((bytes) => readDicom(bytes));
    const uids = seriesUIDs(options);
    expect(new Set(read.map((f) => getString(f, f.dataSet, tag(0x0008, 0x0018)))).size).toBe(3);
    for (const [i, f] of read.entries()) {
      expect(f.warnings).toEqual([]);
      expect(getString(f, f.dataSet, tag(0x0020, 0x000e))).toBe(uids.series);
      expect(getString(f, f.meta, tag(0x0002, 0x0003))).toBe(getString(f, f.dataSet, tag(0x0008, 0x0018)));
      expect(getNumbers(f, f.dataSet, tag(0x0020, 0x0013))).toEqual([i + 1]);
      expect(getNumbers(f, f.dataSet, tag(0x0020, 0x0032))).toEqual([-250, -250, 0 - i * 1.25]);
      expect(f.dataSet.elements.get(tag(0x7fe0, 0x0010))?.length).toBe(16 * 20 * 2);
    }
  });

  it('is the same bytes for the same options', () => {
    expect(ctSeries(options)[1]).toEqual(files[1]);
  });

  it.skipIf(!runDcmdumpTests)('parses in dcmdump as CT Image Storage', () => {
    const dump = dcmdumpBytes(files[0]!);
    expect(dump).toMatch(/^\(0008,0016\) UI =CTImageStorage/m);
    expect(dump).toMatch(/^\(7fe0,0010\) OW /m);
  });
});
