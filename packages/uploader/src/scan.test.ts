import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { part10 } from '../test/dicom-builder.js';
import { generateRtSet, writeFiles } from '../test/rt-set.js';
import { blobFileSource } from './browser/file-source.js';
import { UploaderError } from './errors.js';
import type { FileSource } from './file-source.js';
import { listFileSources } from './node/file-source.js';
import { plainRecord } from './record-interner.js';
import { buildRtGraph } from './rt-graph.js';
import { buildRtTree } from './rt-tree.js';
import { runSanityChecks } from './sanity-checks.js';
import { portableScanResult, restoreScanResult, type ScanProgress, scanFiles } from './scan.js';
import { type ScanFileLimits, scanFile } from './scan-file.js';
import { emptySelection, impliedSeries, selectSeries } from './selection.js';
import { seriesDetails } from './series-details.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'courier-scan-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function folder(name: string, ...sets: { prefix: string; files: ReturnType<typeof generateRtSet>['files'] }[]) {
  const dir = join(tmp, name);
  for (const s of sets) await writeFiles(dir, s.files, s.prefix);
  return listFileSources(dir);
}

describe('scanFiles on a generated RT set', () => {
  it('groups a complete set into one study with CT, RTSTRUCT, RTPLAN, RTDOSE and RTIMAGE series', async () => {
    const { files, uids } = generateRtSet();
    const result = await scanFiles(await folder('complete', { prefix: '', files }));
    expect(result.ignored).toEqual([]);
    expect(result.studies).toHaveLength(1);
    const study = result.studies[0]!;
    expect(study.studyInstanceUID).toBe(uids.study);
    expect(study.series.map((s) => [s.modality, s.instances.length])).toEqual([
      ['CT', 3],
      ['RTSTRUCT', 1],
      ['RTPLAN', 1],
      ['RTDOSE', 1],
      ['RTIMAGE', 2],
    ]);
    const ct = study.series[0]!.instances[0]!;
    expect(ct).toMatchObject({
      path: 'CT/CT1.dcm',
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      frameOfReferenceUID: uids.frame,
      patient: { patientID: 'PID-001', patientName: 'TEST^PATIENT', birthDate: '19610407', sex: 'F' },
    });
    const outcome = await scanFile((await folder('fingerprint', { prefix: '', files }))[0]!);
    expect(outcome.kind === 'instance' && outcome.fingerprint).toMatch(/^[0-9a-f]+-[0-9a-f]{16}$/);
  });

  it('builds the RT tree and implied selection from the scanned references', async () => {
    const { files, uids } = generateRtSet();
    const result = await scanFiles(await folder('tree', { prefix: '', files }));
    const graph = buildRtGraph(result.studies.flatMap((s) => s.series));
    expect(graph.missing.size).toBe(0);
    const [root] = buildRtTree(graph);
    expect(root?.id).toBe(uids.series.CT);
    expect(root?.children.map((c) => c.modality)).toEqual(['RTSTRUCT']);
    expect(root?.children[0]?.children[0]?.children.map((c) => c.modality)).toEqual(['RTDOSE', 'RTIMAGE']);
    const state = selectSeries(graph, emptySelection(), uids.series.RTDOSE);
    expect([...impliedSeries(graph, state)].sort()).toEqual(
      [uids.series.CT, uids.series.RTSTRUCT, uids.series.RTPLAN].sort(),
    );
  });

  it('fills the Details popup for each RT object', async () => {
    const { files, uids } = generateRtSet();
    const result = await scanFiles(await folder('details', { prefix: '', files }));
    const details = new Map(result.studies[0]!.series.map((s) => [s.modality, seriesDetails(s)]));
    expect(details.get('CT')).toMatchObject({
      instanceCount: 3,
      sopClassNames: ['CT Image Storage'],
      bodyPartExamined: 'PELVIS',
      manufacturer: 'Courier Test',
      manufacturerModelName: 'Generator 1',
      date: '20260302',
      description: 'CT series',
      readerWarnings: [],
    });
    expect(details.get('CT')?.totalSize).toBe(
      files.filter((f) => f.path.startsWith('CT/')).reduce((n, f) => n + f.bytes.length, 0),
    );
    expect(details.get('RTSTRUCT')?.rt).toMatchObject({
      label: 'PELVIS RS',
      roiNames: ['PTV', 'Bladder'],
      roiCount: 2,
    });
    expect(details.get('RTPLAN')?.rt).toMatchObject({
      label: 'PELVIS VMAT',
      name: 'Pelvis 2 arcs',
      approvalStatus: 'APPROVED',
      reviewerName: 'PHYSICIST^ANNA',
      reviewDate: '20260303',
      numberOfBeams: 2,
      numberOfFractionGroups: 1,
    });
    expect(details.get('RTDOSE')?.rt).toMatchObject({
      doseType: 'PHYSICAL',
      doseSummationType: 'PLAN',
      doseUnits: 'GY',
    });
    expect(details.get('RTIMAGE')?.rt?.labels).toEqual(['DRR 1', 'DRR 2']);
    expect(details.get('RTDOSE')?.seriesInstanceUID).toBe(uids.series.RTDOSE);
  });

  it('lists the plan as missing when the drop lacks it, and the sanity checks say so', async () => {
    const { files, uids } = generateRtSet({ omit: ['RTPLAN'] });
    const result = await scanFiles(await folder('no-plan', { prefix: '', files }));
    const series = result.studies.flatMap((s) => s.series);
    const graph = buildRtGraph(series);
    expect([...graph.missing.values()]).toEqual([
      expect.objectContaining({ id: `missing-instance:${uids.plan}`, expectedModality: 'RTPLAN' }),
    ]);
    const checks = runSanityChecks({ series, graph, subject: { sex: 'F', birthDate: '1961-04-07' } });
    expect(checks.map((c) => c.code)).toEqual(['SANITY_REFERENCED_SERIES_MISSING']);
  });

  it('warns when the CT series lacks a slice the structure set references', async () => {
    const { files } = generateRtSet({ omit: ['RTPLAN', 'RTDOSE', 'RTIMAGE'] });
    const result = await scanFiles(
      await folder('partial-ct', { prefix: '', files: files.filter((f) => f.path !== 'CT/CT2.dcm') }),
    );
    const series = result.studies.flatMap((s) => s.series);
    const checks = runSanityChecks({ series, graph: buildRtGraph(series), subject: {} });
    expect(checks).toEqual([
      expect.objectContaining({ code: 'SANITY_REFERENCED_INSTANCES_MISSING', found: ['1'], severity: 'warning' }),
    ]);
  });

  it('reports two patients mixed in one folder as a blocking error', async () => {
    const a = generateRtSet({ omit: ['RTIMAGE'] });
    const b = generateRtSet({
      root: '1.2.826.0.1.3680043.10.1447.8',
      patientID: 'PID-002',
      patientName: 'OTHER^PERSON',
      omit: ['RTIMAGE'],
    });
    const result = await scanFiles(
      await folder('two-patients', { prefix: 'a', files: a.files }, { prefix: 'b', files: b.files }),
    );
    expect(result.studies).toHaveLength(2);
    const checks = runSanityChecks({ series: result.studies.flatMap((s) => s.series), subject: {} });
    expect(checks.filter((c) => c.severity === 'error').map((c) => c.code)).toEqual(['SANITY_MULTIPLE_PATIENT_IDS']);
  });

  it('separates two studies of one patient found in one folder', async () => {
    const a = generateRtSet({ studyDate: '20260302' });
    const b = generateRtSet({
      root: '1.2.826.0.1.3680043.10.1447.7',
      studyDate: '20260410',
      studyDescription: 'FOLLOW-UP',
      omit: ['RTIMAGE', 'RTDOSE'],
    });
    const result = await scanFiles(
      await folder('two-studies', {
        prefix: 'x',
        files: [...a.files, ...b.files.map((f) => ({ ...f, path: `later-${f.path}` }))],
      }),
    );
    expect(result.studies.map((s) => [s.studyInstanceUID, s.series.length])).toEqual([
      [a.uids.study, 5],
      [b.uids.study, 3],
    ]);
  });

  it('reads past the first prefix when an RTSTRUCT header is longer than it', async () => {
    const { files } = generateRtSet({ contourPoints: 500, contours: 40, omit: ['CT', 'RTPLAN', 'RTDOSE', 'RTIMAGE'] });
    expect(files[0]!.bytes.length).toBeGreaterThan(64 * 1024);
    const sources = await folder('big-struct', { prefix: '', files });
    const reads: number[] = [];
    const spied: FileSource[] = sources.map((s) => ({
      ...s,
      read: (offset: number, length: number) => {
        reads.push(length);
        return s.read(offset, length);
      },
    }));
    const result = await scanFiles(spied);
    expect(result.instances[0]?.rt?.roiNames).toEqual(['PTV', 'Bladder']);
    expect(reads[0]).toBe(64 * 1024);
    expect(reads.length).toBeGreaterThan(1);
  });

  it('gives the same result with a tiny prefix, one worker or eight', async () => {
    const { files } = generateRtSet();
    const sources = await folder('prefix', { prefix: '', files });
    const strip = (r: Awaited<ReturnType<typeof scanFiles>>) => JSON.stringify(r.studies);
    const base = strip(await scanFiles(sources));
    expect(strip(await scanFiles(sources, { prefixBytes: 1024, concurrency: 1 }))).toBe(base);
    expect(strip(await scanFiles(sources, { concurrency: 8 }))).toBe(base);
  });

  it('counts a file dropped twice once, silently, and ignores a different file with the same SOP Instance UID', async () => {
    const { files } = generateRtSet({ omit: ['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE'] });
    const ct1 = files[0]!;
    const changed = new Uint8Array(ct1.bytes);
    changed[changed.length - 1] = 99; // last pixel byte differs: same header, different content
    const sources = [
      ...(await folder('dupes', { prefix: '', files })),
      blobFileSource(new Blob([ct1.bytes as Uint8Array<ArrayBuffer>]), 'copy/CT1.dcm'),
      blobFileSource(new Blob([changed]), 'edited/CT1.dcm'),
    ];
    const result = await scanFiles(sources);
    expect(result.instances).toHaveLength(3);
    expect(result.sameFileSkipped).toBe(1);
    expect(result.ignored).toEqual([
      expect.objectContaining({
        path: 'edited/CT1.dcm',
        reason: 'IGNORED_DUPLICATE_INSTANCE',
        duplicateOf: 'CT/CT1.dcm',
      }),
    ]);
  });

  it('ignores non-DICOM, empty and pixel-truncated files with reasons', async () => {
    const { files } = generateRtSet({ omit: ['RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTIMAGE'], ctSlices: 1 });
    const ct = files[0]!.bytes;
    const dir = join(tmp, 'junk');
    await writeFiles(dir, files);
    await writeFile(join(dir, 'notes.txt'), 'hello, this is not DICOM at all');
    await writeFile(join(dir, 'empty'), '');
    await writeFile(join(dir, 'cut.dcm'), ct.subarray(0, ct.length - 20));
    const result = await scanFiles(await listFileSources(dir));
    expect(result.ignored.map((i) => [i.path, i.reason, i.dicomErrorCode])).toEqual([
      ['cut.dcm', 'IGNORED_UNREADABLE', 'DICOM_TRUNCATED'],
      ['empty', 'IGNORED_NOT_DICOM', undefined],
      ['notes.txt', 'IGNORED_NOT_DICOM', 'DICOM_NOT_DICOM'],
    ]);
    expect(result.ignored[0]?.message).toBe('A damaged or truncated DICOM file that cannot be read.');
  });

  it('ignores objects that are not storable and objects of an unknown SOP class', async () => {
    const object = (sopClass: string, uid: string) =>
      part10(sopClass, uid, [
        [0x0008, 0x0016, 'UI', sopClass],
        [0x0008, 0x0018, 'UI', uid],
        [0x0020, 0x000d, 'UI', '5'],
        [0x0020, 0x000e, 'UI', '5.1'],
      ]);
    const result = await scanFiles([
      // Modality Performed Procedure Step SOP Class (PS3.4 F.7): a service, not a storage object.
      blobFileSource(new Blob([object('1.2.840.10008.3.1.2.3.3', '5.1.1')]), 'mpps.dcm'),
      blobFileSource(new Blob([object('1.3.12.2.1107.5.9.1', '5.1.2')]), 'private.dcm'),
    ]);
    expect(result.ignored.map((i) => [i.path, i.reason, i.detail])).toEqual([
      [
        'mpps.dcm',
        'IGNORED_UNSUPPORTED_SOP_CLASS',
        '1.2.840.10008.3.1.2.3.3 is not a storage SOP class of DICOM 2024e (PS3.4 B.5)',
      ],
      [
        'private.dcm',
        'IGNORED_UNSUPPORTED_SOP_CLASS',
        '1.3.12.2.1107.5.9.1 is not a storage SOP class of DICOM 2024e (PS3.4 B.5)',
      ],
    ]);
  });

  it('reports a file that cannot be read instead of failing the scan', async () => {
    const broken: FileSource = { path: 'gone.dcm', size: 1000, read: () => Promise.reject(new Error('ENOENT')) };
    const result = await scanFiles([broken]);
    expect(result.ignored).toEqual([expect.objectContaining({ reason: 'IGNORED_READ_FAILED', detail: 'ENOENT' })]);
  });

  it('reports progress per file and never has more than `concurrency` reads in flight', async () => {
    const { files } = generateRtSet();
    const sources = await folder('progress', { prefix: '', files });
    let inFlight = 0;
    let peak = 0;
    const counted = sources.map((s) => ({
      ...s,
      read: async (o: number, l: number) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        try {
          return await s.read(o, l);
        } finally {
          inFlight--;
        }
      },
    }));
    const events: ScanProgress[] = [];
    await scanFiles(counted, { concurrency: 2, onProgress: (p) => events.push(p) });
    expect(events.map((e) => e.filesRead)).toEqual(sources.map((_, i) => i + 1));
    expect(events.at(-1)).toEqual({ filesRead: 8, total: 8, instances: 8, ignored: 0 });
    expect(peak).toBe(2);
  });

  it('stops with UPLOADER_SCAN_ABORTED when cancelled', async () => {
    const { files } = generateRtSet();
    const sources = await folder('abort', { prefix: '', files });
    const controller = new AbortController();
    const run = scanFiles(sources, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.filesRead === 2) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(UploaderError);
    await expect(run).rejects.toMatchObject({ code: 'UPLOADER_SCAN_ABORTED' });
  });

  it('accepts a scanFile executor, as a Web Worker pool would provide, with the same result', async () => {
    const { files } = generateRtSet();
    const sources = await folder('executor', { prefix: '', files });
    const seen: string[] = [];
    // What a worker does: scan there, send the outcome back through structured cloning.
    const viaWorker = async (source: FileSource, limits: ScanFileLimits) => {
      seen.push(source.path);
      return structuredClone(await scanFile(source, limits));
    };
    const direct = await scanFiles(sources);
    const worker = await scanFiles(sources, { scanFile: viaWorker, concurrency: 3 });
    expect(worker.studies).toEqual(direct.studies);
    expect(worker.instances.map(plainRecord)).toEqual(direct.instances.map(plainRecord));
    expect(seen.sort()).toEqual(sources.map((s) => s.path).sort());
  });

  it('crosses structured cloning whole in its portable form, where the compact result would lose the shared fields', async () => {
    const { files } = generateRtSet();
    const direct = await scanFiles(await folder('portable', { prefix: '', files }));
    // What the web scan worker posts and the page restores.
    const restored = restoreScanResult(structuredClone(portableScanResult(direct)));
    expect(restored.instances.map(plainRecord)).toEqual(direct.instances.map(plainRecord));
    expect(restored.studies.map((s) => s.series.map((x) => [x.modality, x.instances.length]))).toEqual(
      direct.studies.map((s) => s.series.map((x) => [x.modality, x.instances.length])),
    );
    expect(restored.instances[0]?.sopClassUID).toBe(direct.instances[0]?.sopClassUID);
    expect(structuredClone(direct.instances[0])).not.toHaveProperty('sopClassUID');
    expect(restored.ignored).toEqual(direct.ignored);
  });

  it('reports a file on which the scanFile executor fails, and scans the others', async () => {
    const { files } = generateRtSet();
    const sources = await folder('crash', { prefix: '', files });
    const flaky = async (source: FileSource, limits: ScanFileLimits) => {
      if (source.path === 'CT/CT2.dcm') throw new Error('worker terminated');
      return scanFile(source, limits);
    };
    const result = await scanFiles(sources, { scanFile: flaky });
    expect(result.instances).toHaveLength(sources.length - 1);
    expect(result.ignored).toEqual([
      expect.objectContaining({
        path: 'CT/CT2.dcm',
        reason: 'IGNORED_UNREADABLE',
        detail: 'the scanner failed on this file: worker terminated',
      }),
    ]);
  });

  it('refuses a concurrency below one', async () => {
    await expect(scanFiles([], { concurrency: 0 })).rejects.toMatchObject({ code: 'UPLOADER_INVALID_ARGUMENT' });
  });
});
