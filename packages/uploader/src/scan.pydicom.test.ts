import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPydicomFiles, PYDICOM_TEST_FILES } from '../test/system-fixtures.js';
import { listFileSources } from './node/file-source.js';
import { buildRtGraph } from './rt-graph.js';
import { type ScanResult, scanFiles } from './scan.js';

describe.runIf(hasPydicomFiles())('scanFiles on pydicom test files', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scanFiles(await listFileSources(PYDICOM_TEST_FILES));
  });
  const reasonOf = (path: string) => result.ignored.find((i) => i.path === path)?.reason;

  it('accounts for every file: an instance, an ignored file or a silent exact copy', async () => {
    const files = (await readdir(PYDICOM_TEST_FILES, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    expect(result.instances.length + result.ignored.length + result.sameFileSkipped).toBe(files.length);
    expect(result.instances.length).toBeGreaterThan(100);
  });

  it('ignores every DICOMDIR as an index file', () => {
    const dirs = result.ignored.filter((i) => i.reason === 'IGNORED_DICOMDIR').map((i) => i.path);
    expect(dirs).toEqual(
      expect.arrayContaining([
        'dicomdirtests/DICOMDIR',
        'dicomdirtests/DICOMDIR-bigEnd',
        'dicomdirtests/DICOMDIR-implicit',
        'dicomdirtests/DICOMDIR-nooffset',
        'dicomdirtests/DICOMDIR-reordered',
        'dicomdirtests/TINY_ALPHA/DICOMDIR',
      ]),
    );
  });

  it('ignores text, JSON and dump files as not DICOM', () => {
    for (const path of ['README.txt', 'test1.json', 'rtplan.dump', 'rtstruct.dump', 'zipMR.gz']) {
      expect(reasonOf(path)).toBe('IGNORED_NOT_DICOM');
    }
  });

  it('ignores truncated files with the parse error, including a file cut inside its pixel data', () => {
    for (const path of ['MR_truncated.dcm', 'rtplan_truncated.dcm']) {
      const entry = result.ignored.find((i) => i.path === path);
      expect(entry).toMatchObject({ reason: 'IGNORED_UNREADABLE', dicomErrorCode: 'DICOM_TRUNCATED' });
      expect(entry?.detail).toMatch(/truncated/);
    }
  });

  it('ignores data sets without the UIDs that place them in a study', () => {
    expect(reasonOf('meta_missing_tsyntax.dcm')).toBe('IGNORED_MISSING_UIDS');
    expect(result.ignored.find((i) => i.path === 'priv_SQ.dcm')?.detail).toContain('Study Instance UID (0020,000D)');
  });

  it('flags the transfer-syntax variants of one instance as duplicates with different content', () => {
    expect(result.ignored.find((i) => i.path === 'MR_small_bigendian.dcm')).toMatchObject({
      reason: 'IGNORED_DUPLICATE_INSTANCE',
      duplicateOf: 'MR_small.dcm',
    });
  });

  it('reads the files a DICOMDIR indexes as ordinary instances (TINY_ALPHA: 50 CT slices in one series)', () => {
    const series = result.studies
      .flatMap((s) => s.series)
      .find((s) => s.instances[0]?.path.startsWith('dicomdirtests/TINY_ALPHA/'));
    expect(series?.modality).toBe('CT');
    expect(series?.instances).toHaveLength(50);
  });

  it('reads big-endian, implicit and deflated files into instances', () => {
    const paths = new Set(result.instances.map((i) => i.path));
    for (const p of ['ExplVR_BigEndNoMeta.dcm', 'image_dfl.dcm', 'rtplan.dcm', 'rtstruct.dcm', 'badVR.dcm'])
      expect(paths).toContain(p);
  });

  it('lists the RT references of the pydicom RT files as missing: their targets are not in the folder', () => {
    const graph = buildRtGraph(result.studies.flatMap((s) => s.series));
    const modalities = [...graph.missing.values()].map((m) => m.expectedModality);
    expect(modalities).toEqual(expect.arrayContaining(['RTPLAN', 'RTSTRUCT', 'IMAGE']));
  });
});
