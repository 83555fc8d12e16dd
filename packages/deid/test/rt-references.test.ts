/**
 * Referential integrity (issue 4): after de-identifying a generated CT → RTSTRUCT → RTPLAN → RTDOSE
 * set, every UID in the output is either well-known (SOP Class, coding scheme) or resolves to an
 * instance, series, study or frame of reference of the output set; no original UID survives; and
 * dcmdump parses every output file.
 */
import { type ByteRange, type DataSet, type DicomFile, readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import type { DeidConfig } from '../src/config.js';
import { deidentify } from '../src/deidentify.js';
import { planDeidentification } from '../src/plan-deidentification.js';
import { isWellKnownUid } from '../src/uid-map.js';
import { buildInstance } from './build-instance.js';
import { concat } from './concat.js';
import { dcmdumpAvailable, dcmdumpFiles } from './dcmdump.js';
import { RT_SET_CONFIG, rtSet } from './rt-set.js';

const config: DeidConfig = RT_SET_CONFIG;

const latin1 = new TextDecoder('latin1');
const uidValue = (file: DicomFile, ds: DataSet, t: number): string | undefined => {
  const el = ds.elements.get(t);
  return el === undefined
    ? undefined
    : latin1.decode(file.source.subarray(el.offset, el.offset + el.length)).replace(/\0+$/, '');
};

/** Every UI value at every depth, with the tag it was found under. */
function allUids(
  file: DicomFile,
  ds: DataSet,
  out: { tag: number; uid: string }[] = [],
): { tag: number; uid: string }[] {
  for (const [t, el] of ds.elements) {
    if (el.items !== undefined) for (const item of el.items) allUids(file, item, out);
    else if (el.vr === 'UI')
      for (const uid of (uidValue(file, ds, t) ?? '').split('\\')) if (uid !== '') out.push({ tag: t, uid });
  }
  return out;
}

describe('a de-identified CT + RTSTRUCT + RTPLAN + RTDOSE set', () => {
  const { uids, instances } = rtSet('1.2.826.0.1.3680043.99.7', 3);
  const inputs = instances.map((specs) => buildInstance(specs));
  const outputs = inputs.map((bytes) => concat(deidentify(readDicom(bytes, { headerOnly: true }), config), bytes));
  const files = outputs.map((bytes) => readDicom(bytes));

  it('keeps every reference resolvable inside the output set', () => {
    const targets = new Set<string>();
    for (const f of files) {
      for (const t of [0x00080018, 0x0020000e, 0x0020000d, 0x00200052]) {
        const v = uidValue(f, f.dataSet, t);
        if (v !== undefined) targets.add(v);
      }
    }
    expect(targets.size).toBe(3 + 3 + 1 + 1 + 1 + 1 + 1 + 1); // 6 SOP, 4 series, 1 study, 1 frame of reference
    let references = 0;
    for (const f of files) {
      for (const { tag, uid } of allUids(f, f.dataSet)) {
        if (isWellKnownUid(uid)) continue;
        expect(targets.has(uid), `UID under ${tag.toString(16)} resolves`).toBe(true);
        references++;
      }
    }
    expect(references).toBeGreaterThan(30);
  });

  it('maps the same original UID to the same new UID in every file and across runs', () => {
    const again = readDicom(concat(deidentify(readDicom(inputs[0]!), config), inputs[0]!));
    expect(uidValue(again, again.dataSet, 0x00080018)).toBe(uidValue(files[0]!, files[0]!.dataSet, 0x00080018));
    const studyUids = new Set(files.map((f) => uidValue(f, f.dataSet, 0x0020000d)));
    expect(studyUids.size).toBe(1);
    const plan = planDeidentification(readDicom(inputs[4]!), config);
    expect(plan.report.sopInstanceUid).toBe(uidValue(files[4]!, files[4]!.dataSet, 0x00080018));
  });

  it('leaves no original UID anywhere in the output bytes', () => {
    const originals = [uids.study, uids.frameOfReference, uids.ctSeries, ...uids.ct, uids.struct, uids.plan, uids.dose];
    for (const bytes of outputs) {
      const text = latin1.decode(bytes);
      for (const uid of originals) expect(text.includes(uid), uid).toBe(false);
      expect(text.includes('1.2.826.0.1.3680043.99.7')).toBe(false);
    }
  });

  it('keeps the Media Storage SOP Instance UID equal to the new SOP Instance UID', () => {
    for (const f of files) {
      expect(uidValue(f, f.meta, 0x00020003)).toBe(uidValue(f, f.dataSet, 0x00080018));
    }
  });

  it('passes Pixel Data through by reference, byte for byte', () => {
    const parts = deidentify(readDicom(inputs[0]!, { headerOnly: true }), config);
    const pixel = readDicom(inputs[0]!).dataSet.elements.get(0x7fe00010)!;
    const ranges = parts.filter((p): p is ByteRange => !(p instanceof Uint8Array));
    expect(ranges.some((r) => r.offset <= pixel.offset && r.offset + r.length >= pixel.offset + pixel.length)).toBe(
      true,
    );
    const out = files[0]!.dataSet.elements.get(0x7fe00010)!;
    expect(outputs[0]!.subarray(out.offset, out.offset + out.length)).toEqual(new Uint8Array(64).fill(0x5a));
  });

  it('is parsed by dcmdump without errors', () => {
    if (!dcmdumpAvailable()) return;
    for (const r of dcmdumpFiles(outputs)) {
      expect(r.status).toBe(0);
      expect(r.errors).toBe('');
      expect(r.dump).toContain('TRIAL1-0042');
    }
  });
});
