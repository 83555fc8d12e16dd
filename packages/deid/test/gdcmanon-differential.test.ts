/**
 * Differential test against Debian's `gdcmanon` (libgdcm-tools, "PS 3.15 / E.1 Basic Application
 * Level Confidentiality Profile"): on every file of pydicom's corpus that both read, any attribute that gdcmanon
 * removes or empties while Courier, running the Basic Profile alone, keeps its original value must
 * be justified here, or it is a bug. Justified: what lies inside a sequence the 2024e table marks D
 * (Content Sequence, Graphic Annotation Sequence), which Courier keeps with dummy content (codes,
 * numbers, coordinates and well-known UIDs stay, text gets dummies), where gdcmanon empties the
 * whole sequence as an older edition did; and well-known UIDs (SOP Class UIDs), never changed.
 * Files our reader refuses are covered by the corpus test (pydicom-corpus.test.ts, with the
 * manifest's reason); files gdcmanon refuses are counted out. About 15 s for ~60 files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataSet, type DicomFile, formatTag, readDicom } from '@courier/dicom';
import { describe, expect, it } from 'vitest';
import { deidentify } from '../src/deidentify.js';
import { isWellKnownUid } from '../src/uid-map.js';
import { concat } from './concat.js';

const GDCMANON = '/usr/bin/gdcmanon';
const CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const CERT = new URL('./data/gdcmanon-test-cert.pem', import.meta.url).pathname;
const present = existsSync(GDCMANON) && existsSync(CORPUS);
if (!present && process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
  throw new Error(
    `${GDCMANON} or ${CORPUS} missing but COURIER_REQUIRE_SYSTEM_FIXTURES=1: apt-get install libgdcm-tools python3-pydicom`,
  );
}
if (!present) console.warn('skipping the gdcmanon differential test: apt-get install libgdcm-tools python3-pydicom');

/** Sequences the 2024e Basic Profile marks D: Courier keeps them with dummy content. */
const DUMMY_CONTENT_SEQUENCES = ['(0040,A730)', '(0070,0001)'];
const latin1 = new TextDecoder('latin1');

function flatten(file: DicomFile, ds: DataSet, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [t, el] of ds.elements) {
    const path = `${prefix}${formatTag(t)}`;
    if (el.items !== undefined) {
      out.set(path, `SQ:${el.items.length}`);
      el.items.forEach((item, i) => {
        flatten(file, item, `${path}[${i}]`, out);
      });
    } else if (el.fragments === undefined) {
      out.set(path, latin1.decode(file.source.subarray(el.offset, el.offset + el.length)).replace(/[\0 ]+$/, ''));
    }
  }
  return out;
}

describe.skipIf(!present)('differential against gdcmanon (PS3.15 Basic Profile)', () => {
  it('keeps nothing that gdcmanon removes or empties, except what the 2024e table justifies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-gdcmanon-'));
    const unjustified: string[] = [];
    let compared = 0;
    try {
      const names = readdirSync(CORPUS).filter((n) => !n.includes('DICOMDIR') && statSync(join(CORPUS, n)).isFile());
      for (const name of names) {
        let original: DicomFile;
        try {
          original = readDicom(new Uint8Array(readFileSync(join(CORPUS, name))));
        } catch {
          continue; // refused with a reason: pydicom-corpus.test.ts checks which and why
        }
        const out = join(dir, name);
        const r = spawnSync(GDCMANON, ['-c', CERT, '-i', join(CORPUS, name), '-o', out]);
        if (r.status !== 0 || !existsSync(out)) continue;
        const theirs = flatten(
          readDicom(new Uint8Array(readFileSync(out))),
          readDicom(new Uint8Array(readFileSync(out))).dataSet,
        );
        const oursFile = readDicom(
          concat(
            deidentify(original, {
              options: [],
              patientId: 'X',
              patientName: 'Y',
              uidSecret: 'differential-0123456789',
            }),
            original.source,
          ),
        );
        const ours = flatten(oursFile, oursFile.dataSet);
        compared++;
        for (const [path, value] of flatten(original, original.dataSet)) {
          if (path.startsWith('(7FE0')) continue;
          const g = theirs.get(path);
          const removedOrEmptied = g === undefined || (g === '' && value !== '') || (g === 'SQ:0' && value !== 'SQ:0');
          const keptByUs = ours.get(path) === value && value !== '' && value !== 'SQ:0';
          if (!removedOrEmptied || !keptByUs) continue;
          if (DUMMY_CONTENT_SEQUENCES.some((s) => path.includes(`${s}[`) || path === s)) continue;
          if (isWellKnownUid(value)) continue;
          unjustified.push(`${name} ${path}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(compared).toBeGreaterThanOrEqual(50);
    expect(unjustified).toEqual([]);
  }, 180_000); // ~60 gdcmanon runs of ~0.2–0.7 s each on a loaded machine
});
