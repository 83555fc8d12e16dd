/**
 * Every file of pydicom's test data (Debian python3-pydicom) is either read with its key
 * attributes equal to what DCMTK's dcmdump prints, or rejected with the DicomError code that
 * pydicom-corpus.manifest.json lists for it, with the reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DicomFile } from '../src/data-set.js';
import { DicomError } from '../src/errors.js';
import { readDicom } from '../src/read-dicom.js';
import { readHeader } from '../src/read-header.js';
import { tag } from '../src/tag.js';
import { getBytes } from '../src/values.js';
import { type DcmdumpResult, dcmdumpSearch, hasDcmdump } from './dcmdump.js';
import { allPydicomFiles, PYDICOM_DATA, pydicomFile, runPydicomTests } from './pydicom-files.js';

interface ManifestEntry {
  /** The DicomError code readDicom throws, or "parses" for files we read that dcmdump rejects. */
  readonly expect: string;
  /** Whether dcmdump reads the file (checked, so the manifest cannot drift). */
  readonly dcmdump: 'parses' | 'rejects';
  readonly reason: string;
  /**
   * When true, the error's `partial` file holds the key attributes dcmdump prints when told to
   * print damaged files anyway (+E).
   */
  readonly partial?: boolean;
  /** Warning codes readDicom must report for the file, when listed. */
  readonly warnings?: readonly string[];
}

const manifest = JSON.parse(readFileSync(new URL('./pydicom-corpus.manifest.json', import.meta.url), 'utf8')) as Record<
  string,
  ManifestEntry
>;

const KEY_TAGS = {
  SOPClassUID: tag(0x0008, 0x0016),
  SOPInstanceUID: tag(0x0008, 0x0018),
  StudyInstanceUID: tag(0x0020, 0x000d),
  SeriesInstanceUID: tag(0x0020, 0x000e),
  Modality: tag(0x0008, 0x0060),
  PatientName: tag(0x0010, 0x0010),
} as const;

const dcmdumpKey = (t: number) =>
  `${(t >>> 16).toString(16).padStart(4, '0')},${(t & 0xffff).toString(16).padStart(4, '0')}`;
const latin1 = new TextDecoder('latin1');

/** Our top-level values in dcmdump's terms: raw bytes as Latin-1, trailing padding dropped. */
function keyValues(file: DicomFile): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, t] of Object.entries(KEY_TAGS)) {
    const el = file.dataSet.elements.get(t);
    out[name] = el && latin1.decode(getBytes(file, el)).replace(/[ \0]+$/, '');
  }
  return out;
}

const run = runPydicomTests && (hasDcmdump || process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1');
const files = run ? allPydicomFiles() : [];
const searched = Object.values(KEY_TAGS).map(dcmdumpKey);
const dumped: Map<string, DcmdumpResult> =
  run && files.length > 0 ? dcmdumpSearch(PYDICOM_DATA, files, searched) : new Map();
const partialFiles = Object.keys(manifest).filter((name) => manifest[name]?.partial);
/** dcmdump +E prints what it read of a damaged file. */
const dumpedDamaged: Map<string, DcmdumpResult> = run
  ? dcmdumpSearch(PYDICOM_DATA, partialFiles, searched, ['+E'])
  : new Map();

function dcmdumpValues(dump: DcmdumpResult): Record<string, string | undefined> {
  const expected: Record<string, string | undefined> = {};
  for (const [key, t] of Object.entries(KEY_TAGS)) {
    expected[key] = dump.values.get(dcmdumpKey(t))?.value.replace(/[ \0]+$/, '');
  }
  return expected;
}

describe.runIf(run)("pydicom's test files compared with dcmdump", () => {
  it('finds the whole corpus and lists no file in the manifest that does not exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(180);
    for (const name of Object.keys(manifest)) expect(files).toContain(name);
  });

  it.each(files)('%s is read with the key attributes dcmdump prints, or rejected as the manifest says', (name) => {
    const bytes = pydicomFile(name);
    const entry = manifest[name];
    const dump = dumped.get(name);
    if (!dump) return expect.fail('dcmdump printed no section for the file');
    if (entry) expect(dump.rejected ? 'rejects' : 'parses', 'dcmdump behaves as the manifest says').toBe(entry.dcmdump);

    let file: DicomFile;
    try {
      file = readDicom(bytes);
    } catch (e) {
      if (!(e instanceof DicomError)) throw e;
      expect(entry?.expect, `rejected (${e.message}) but the manifest has no such entry`).toBe(e.code);
      if (entry?.partial) {
        expect(e.partial, 'the error keeps what was read').toBeDefined();
        expect(keyValues(e.partial!)).toEqual(dcmdumpValues(dumpedDamaged.get(name)!));
      }
      return;
    }
    if (entry && entry.expect !== 'parses') expect.fail(`read, but the manifest expects ${entry.expect}`);
    if (entry?.warnings) expect(file.warnings.map((w) => w.code)).toEqual(entry.warnings);
    if (dump.rejected) {
      expect(entry?.expect, 'dcmdump rejects this file: the manifest must say why we read it').toBe('parses');
      return;
    }
    const expected = dcmdumpValues(dump);
    expect(keyValues(file)).toEqual(expected);

    // A header-only read through readHeader, from a small prefix, finds the same values.
    let prefix = 256;
    let header: DicomFile | undefined;
    while (!header) {
      const r = readHeader(bytes.subarray(0, prefix), bytes.length);
      if ('file' in r) header = r.file;
      else prefix = r.needBytes;
    }
    expect(keyValues(header)).toEqual(expected);
  });
});
