import { describe, expect, it } from 'vitest';
import { generateRtSet } from '../test/rt-set.js';
import { blobFileSource } from './browser/file-source.js';
import { scanFiles } from './scan.js';
import { buildScanReport, formatScanReport } from './scan-report.js';

async function scanGenerated(omit: Parameters<typeof generateRtSet>[0]) {
  const { files } = generateRtSet(omit);
  return scanFiles([
    ...files.map((f) => blobFileSource(new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.path)),
    blobFileSource(new Blob(['not dicom']), 'notes.txt'),
  ]);
}

describe('scan report', () => {
  it('survives a JSON round trip unchanged', async () => {
    const report = buildScanReport(await scanGenerated({}), { subject: { sex: 'M' } });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.version).toBe(1);
    expect(report.studies[0]?.series.map((s) => s.modality)).toEqual(['CT', 'RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE']);
    expect(report.checks?.map((c) => c.code)).toEqual(['SANITY_PATIENT_SEX_MISMATCH']);
  });

  it('runs no checks when neither subject nor slot is given', async () => {
    expect(buildScanReport(await scanGenerated({})).checks).toBeUndefined();
  });

  it('prints series, the RT tree, missing objects, ignored files and findings as text', async () => {
    const text = formatScanReport(
      buildScanReport(await scanGenerated({ omit: ['RTPLAN'] }), { subject: { sex: 'F' } }),
    );
    expect(text).toContain('  CT #1 CT series: 3 files');
    expect(text).toContain('RTSTRUCT #2 RTSTRUCT series: 1 file');
    expect(text).toContain('[label PELVIS RS, 2 ROIs, APPROVED]');
    expect(text).toMatch(
      /RT series\n {2}CT #1 CT series\n {4}RTSTRUCT #2 RTSTRUCT series\n {6}RTDOSE #4 RTDOSE series/,
    );
    expect(text).toContain('RTPLAN (missing: not in the files)');
    expect(text).toContain('Missing referenced objects (1)\n  RTPLAN ');
    expect(text).toContain('notes.txt: Not a DICOM file.');
    expect(text).toContain('WARNING SANITY_REFERENCED_SERIES_MISSING');
  });
});
