/** The synthetic RT set of bench/synthetic: every reference resolves, DCMTK reads every object. */
import { describe, expect, it } from 'vitest';
import { rtSet } from '../../../bench/synthetic/rt-set.js';
import type { DataSet, DicomFile } from '../src/data-set.js';
import { readDicom } from '../src/read-dicom.js';
import { readHeader } from '../src/read-header.js';
import { tag } from '../src/tag.js';
import { getNumbers, getSequence, getString } from '../src/values.js';
import { dcmdumpBytes, runDcmdumpTests } from './dcmdump-check.js';

const REF_SOP_INSTANCE = tag(0x0008, 0x1155);

describe('synthetic RT set', () => {
  const set = rtSet({ slices: 4, rows: 16, columns: 16, seed: 3 });
  const byName = new Map(set.files.map((f) => [f.name, readDicom(f.bytes)]));
  const struct = byName.get('RS000001.dcm')!;
  const plan = byName.get('RP000001.dcm')!;
  const dose = byName.get('RD000001.dcm')!;
  const uid = (file: DicomFile, ds: DataSet, t: number) => getString(file, ds, t);

  it('has CT slices, an RTSTRUCT, an RTPLAN and an RTDOSE in one study', () => {
    expect(set.files).toHaveLength(7);
    for (const file of byName.values()) {
      expect(file.warnings).toEqual([]);
      expect(uid(file, file.dataSet, tag(0x0020, 0x000d))).toBe(set.uids.study);
    }
    expect([struct, plan, dose].map((f) => getString(f, f.dataSet, tag(0x0008, 0x0060)))).toEqual([
      'RTSTRUCT',
      'RTPLAN',
      'RTDOSE',
    ]);
  });

  it('references each CT slice from the RTSTRUCT, the RTSTRUCT from the plan and the plan from the dose', () => {
    const frame = getSequence(struct.dataSet, tag(0x3006, 0x0010))[0]!;
    expect(uid(struct, frame, tag(0x0020, 0x0052))).toBe(set.uids.frameOfReference);
    const study = getSequence(frame, tag(0x3006, 0x0012))[0]!;
    const series = getSequence(study, tag(0x3006, 0x0014))[0]!;
    expect(uid(struct, series, tag(0x0020, 0x000e))).toBe(set.uids.ctSeries);
    const images = getSequence(series, tag(0x3006, 0x0016)).map((item) => uid(struct, item, REF_SOP_INSTANCE));
    const ctUIDs = set.files
      .filter((f) => f.name.startsWith('CT'))
      .map((f) => readDicom(f.bytes))
      .map((f) => uid(f, f.dataSet, tag(0x0008, 0x0018)));
    expect(images).toEqual(ctUIDs);
    const contours = getSequence(getSequence(struct.dataSet, tag(0x3006, 0x0039))[0]!, tag(0x3006, 0x0040));
    expect(contours).toHaveLength(4);
    expect(uid(struct, getSequence(contours[2]!, tag(0x3006, 0x0016))[0]!, REF_SOP_INSTANCE)).toBe(ctUIDs[2]);
    expect(getNumbers(struct, contours[0]!, tag(0x3006, 0x0050))).toHaveLength(64 * 3);

    const structRef = getSequence(plan.dataSet, tag(0x300c, 0x0060))[0]!;
    expect(uid(plan, structRef, REF_SOP_INSTANCE)).toBe(set.uids.struct);
    expect(getString(plan, plan.dataSet, tag(0x300e, 0x0002))).toBe('APPROVED');
    const planRef = getSequence(dose.dataSet, tag(0x300c, 0x0002))[0]!;
    expect(uid(dose, planRef, REF_SOP_INSTANCE)).toBe(set.uids.plan);
    expect(dose.dataSet.elements.get(tag(0x7fe0, 0x0010))?.length).toBe(32 * 32 * 1 * 4);
  });

  it('makes the RTSTRUCT header as long as asked, so a header-only read needs a longer prefix', () => {
    const big = rtSet({ slices: 8, rows: 8, columns: 8, rois: 3, contourPoints: 1000 });
    const bytes = big.files.find((f) => f.name === 'RS000001.dcm')!.bytes;
    expect(bytes.length).toBeGreaterThan(400_000); // 3 ROIs × 8 contours × 1,000 points
    const r = readHeader(bytes.subarray(0, 16 * 1024), bytes.length);
    expect('needBytes' in r).toBe(true);
  });

  it.skipIf(!runDcmdumpTests)('parses in dcmdump', () => {
    for (const name of ['RS000001.dcm', 'RP000001.dcm', 'RD000001.dcm']) {
      const dump = dcmdumpBytes(set.files.find((f) => f.name === name)!.bytes);
      expect(dump).toMatch(/^\(0008,0016\) UI =RT(StructureSet|Plan|Dose)Storage/m);
    }
  });
});
