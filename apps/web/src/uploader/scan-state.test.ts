import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ScanResult, scanFiles, selectSeries } from '@courier/uploader';
import { nodeFileSource } from '@courier/uploader/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { counters, IDLE, ignoredFiles, type ScanState, scanReducer } from './scan-state.js';

// Real files: pydicom's test files (Debian python3-pydicom, installed by .ci/run). CT_small and
// MR_small are two different studies; rtplan.dump is a text file, so it is ignored as not DICOM.
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const present = existsSync(join(PYDICOM, 'CT_small.dcm'));
if (!present && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') throw new Error(`${PYDICOM} is missing`);

async function scan(names: string[]): Promise<ScanResult> {
  return scanFiles(await Promise.all(names.map((name) => nodeFileSource(join(PYDICOM, name), name))));
}

describe.skipIf(!present)('scanReducer on real scans', () => {
  let twoStudies: ScanResult;
  let oneStudy: ScanResult;
  beforeAll(async () => {
    twoStudies = await scan(['CT_small.dcm', 'MR_small.dcm', 'rtplan.dump']);
    oneStudy = await scan(['CT_small.dcm', 'rtplan.dump']);
  });

  const scanned = (result: ScanResult): ScanState =>
    scanReducer(scanReducer(IDLE, { type: 'drop', files: 3 }), { type: 'done', result });

  it('counts files found, DICOM, ignored and studies once the scan is done', () => {
    expect(counters(scanned(twoStudies))).toEqual({
      filesFound: 3,
      dicom: 2,
      ignored: 1,
      studies: 2,
      selectedSeries: 0,
      size: twoStudies.instances.reduce((n, i) => n + i.size, 0) + twoStudies.ignored.reduce((n, f) => n + f.size, 0),
    });
    expect(ignoredFiles(scanned(twoStudies)).map((f) => [f.path, f.reason])).toEqual([
      ['rtplan.dump', 'IGNORED_NOT_DICOM'],
    ]);
  });

  it('asks for a study when the drop holds several, and takes the only one otherwise', () => {
    const several = scanned(twoStudies);
    expect(several.step === 'scanned' && several.studyIndex).toBeNull();
    const chosen = scanReducer(several, { type: 'chooseStudy', index: 1 });
    expect(chosen.step === 'scanned' && chosen.studyIndex).toBe(1);
    const back = scanReducer(chosen, { type: 'chooseStudy', index: null });
    expect(back.step === 'scanned' && back.studyIndex === null && back.graph === null).toBe(true);
    const single = scanned(oneStudy);
    expect(single.step === 'scanned' && single.studyIndex).toBe(0);
  });

  it('counts a selected series and its size', () => {
    const state = scanned(oneStudy);
    if (state.step !== 'scanned' || state.graph === null) throw new Error('expected a scanned study');
    const series = oneStudy.studies[0]!.series[0]!;
    const selected = scanReducer(state, {
      type: 'select',
      selection: selectSeries(state.graph, state.selection, series.seriesInstanceUID),
    });
    expect(counters(selected)).toMatchObject({ selectedSeries: 1, size: series.totalSize });
  });

  it('ignores a study choice out of range and a late progress report', () => {
    const state = scanned(twoStudies);
    expect(scanReducer(state, { type: 'chooseStudy', index: 5 })).toBe(state);
    expect(
      scanReducer(state, { type: 'progress', progress: { filesRead: 1, total: 3, instances: 1, ignored: 0 } }),
    ).toBe(state);
  });
});

describe('scanReducer transitions', () => {
  it('shows the dropped file count while scanning and keeps progress', () => {
    const scanning = scanReducer(IDLE, { type: 'drop', files: 10 });
    const progressed = scanReducer(scanning, {
      type: 'progress',
      progress: { filesRead: 4, total: 10, instances: 3, ignored: 1 },
    });
    expect(counters(progressed)).toEqual({
      filesFound: 10,
      dicom: 3,
      ignored: 1,
      studies: 0,
      selectedSeries: 0,
      size: 0,
    });
  });

  it('ends in failed with the message when the scan fails, and a new drop starts over', () => {
    const failed = scanReducer(scanReducer(IDLE, { type: 'drop', files: 1 }), {
      type: 'failed',
      message: 'cancelled',
    });
    expect(failed).toEqual({ step: 'failed', message: 'cancelled' });
    expect(scanReducer(failed, { type: 'drop', files: 2 }).step).toBe('scanning');
  });
});

describe.skipIf(!present)('sanityView', () => {
  it('flags a sex mismatch as a warning that blocks until acknowledged', async () => {
    const { acknowledgeWarning, selectSeries: select } = await import('@courier/uploader');
    const { sanityView } = await import('./sanity.js');
    const result = await scan(['CT_small.dcm']);
    let state = scanReducer(scanReducer(IDLE, { type: 'drop', files: 1 }), { type: 'done', result });
    if (state.step !== 'scanned' || state.graph === null) throw new Error('expected a scanned study');
    const sexInFile = result.instances[0]!.patient.sex;
    const other = sexInFile === 'F' ? 'M' : 'F';
    const context = { subject: { sex: other }, slot: { expectedModalities: ['CT'] } };
    expect(sanityView(state, context)).toBeNull();
    state = scanReducer(state, {
      type: 'select',
      selection: select(state.graph, state.selection, result.studies[0]!.series[0]!.seriesInstanceUID),
    });
    const view = sanityView(state, context)!;
    const mismatch = view.results.find((r) => r.code === 'SANITY_PATIENT_SEX_MISMATCH')!;
    expect(mismatch.severity).toBe('warning');
    expect(view.gate.blocked).toBe(true);
    expect(view.flaggedSeries.has(result.studies[0]!.series[0]!.seriesInstanceUID)).toBe(true);
    const acknowledged = scanReducer(state, {
      type: 'acknowledge',
      acknowledgements: view.gate.unacknowledged.reduce(
        (list, warning) => acknowledgeWarning(list, warning, { acknowledgedAt: '2026-11-25T12:00:00.000Z' }),
        [] as ReturnType<typeof acknowledgeWarning>,
      ),
    });
    expect(sanityView(acknowledged, context)!.gate.blocked).toBe(view.gate.errors.length > 0);
  });
});
