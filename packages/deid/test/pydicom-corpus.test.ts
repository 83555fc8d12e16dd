/**
 * Real files: every file of pydicom's test corpus that packages/dicom reads is de-identified
 * (header-only read, as the Uploader does) with the Basic Profile alone, and the output must read
 * back, carry the pseudonym, hold none of the original patient name, patient ID, Study / Series /
 * SOP Instance UIDs anywhere in its bytes, and parse in dcmdump whenever the input did.
 * The corpus is a system fixture (python3-pydicom); see common notes for the skip policy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type DicomFile, readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { residualIdentity } from '../src/check-output.js';
import type { DeidConfig } from '../src/config.js';
import { deidentify } from '../src/deidentify.js';
import { headerOnlyGap } from '../src/header-only.js';
import { concat } from './concat.js';
import { dcmdumpAvailable, dcmdumpBatch } from './dcmdump.js';

const CORPUS = '/usr/lib/python3/dist-packages/pydicom/data';
const present = existsSync(CORPUS);
if (!present && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
  throw new Error(`${CORPUS} is missing but COURIER_REQUIRE_SYSTEM_FIXTURES=1: apt-get install python3-pydicom`);
}

const config: DeidConfig = {
  options: [],
  patientId: 'CORPUS-1',
  patientName: 'CORPUS^ONE',
  uidSecret: 'corpus-secret-0123456789',
};
/** Every option Courier supports at once (Modified rather than Full Dates): exercises every clean path. */
const allOptions: DeidConfig = {
  ...config,
  options: [
    'cleanGraphics',
    'cleanStructuredContent',
    'cleanDescriptors',
    'retainLongitudinalModifiedDates',
    'retainPatientCharacteristics',
    'retainDeviceIdentity',
    'retainSafePrivate',
    'retainInstitutionIdentity',
  ],
  dateShiftDays: -100,
};
const latin1 = new TextDecoder('latin1');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

function value(file: DicomFile, t: number): string {
  const el = file.dataSet.elements.get(t);
  return el === undefined
    ? ''
    : latin1.decode(file.source.subarray(el.offset, el.offset + el.length)).replace(/[\0 ]+$/, '');
}

describe.skipIf(!present)("pydicom's test files, de-identified", () => {
  const results: { path: string; input: Uint8Array; output: Uint8Array; allOptions: Uint8Array; secrets: string[] }[] =
    [];
  if (present) {
    for (const path of walk(CORPUS)) {
      const input = new Uint8Array(readFileSync(path));
      let file: DicomFile;
      try {
        file = readDicom(input, { headerOnly: true });
        // As the Uploader must: a header-only read that may miss elements after Pixel Data is redone whole.
        if (headerOnlyGap(file) !== undefined) file = readDicom(input);
      } catch {
        continue; // not DICOM or unreadable: packages/dicom's corpus test covers why
      }
      if (file.dataSet.elements.size === 0) continue;
      const secrets = [
        value(file, 0x00100010),
        value(file, 0x00100020),
        value(file, 0x0020000d),
        value(file, 0x0020000e),
        value(file, 0x00080018),
      ].filter((s) => s.length >= 6 && !/^[\s^=]*$/.test(s) && !s.startsWith('1.2.840.10008.'));
      results.push({
        path,
        input,
        output: concat(deidentify(file, config), input),
        allOptions: concat(deidentify(file, allOptions), input),
        secrets,
      });
    }
  }

  it('de-identifies well over a hundred real files', () => {
    expect(results.length).toBeGreaterThan(150);
  });

  it('writes the pseudonym and leaves no original patient name, ID or instance UID in the bytes', () => {
    for (const r of results) {
      const out = readDicom(r.output, { headerOnly: true });
      expect(value(out, 0x00100020), r.path).toBe('CORPUS-1');
      expect(value(out, 0x00120062), r.path).toBe('YES');
      const text = latin1.decode(r.output);
      for (const s of r.secrets) expect(text.includes(s), `${r.path}: ${s}`).toBe(false);
    }
  });

  it('also de-identifies every file with all supported options at once, keeping the pseudonym and no name or ID', () => {
    for (const r of results) {
      const out = readDicom(r.allOptions, { headerOnly: true });
      expect(value(out, 0x00100020), r.path).toBe('CORPUS-1');
      const text = latin1.decode(r.allOptions);
      for (const s of r.secrets) expect(text.includes(s), `${r.path}: ${s}`).toBe(false);
    }
  });

  it('leaves nothing that a second pass with the same options would still change', () => {
    for (const r of results) {
      expect(residualIdentity(readDicom(r.output), config), r.path).toEqual([]);
      expect(residualIdentity(readDicom(r.allOptions), allOptions), r.path).toEqual([]);
    }
  });

  it('is parsed by dcmdump whenever the input was', () => {
    if (!dcmdumpAvailable()) return;
    const before = dcmdumpBatch(results.map((r) => r.input));
    const parsed = results.filter((_, i) => !before.fatal.has(i));
    expect(parsed.length).toBeGreaterThan(100);
    const after = dcmdumpBatch([...parsed.map((r) => r.output), ...parsed.map((r) => r.allOptions)]);
    // Output errors may only repeat unattributed input errors (an oddity copied through), never add one.
    const inputNoise = new Set(before.errors.filter((e) => !/f\d+\.dcm/.test(e)));
    const added = after.errors
      .filter((e) => !inputNoise.has(e))
      .map((e) => e.replace(/f(\d+)\.dcm/, (_, n) => parsed[Number(n) % parsed.length]?.path ?? n));
    expect(added).toEqual([]);
  });
});
