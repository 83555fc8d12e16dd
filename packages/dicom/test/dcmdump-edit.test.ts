/**
 * Read → edit → write on real files, checked by two parsers: ours and DCMTK's dcmdump (which
 * shares no code with us). Edits cover the top level and items of nested sequences, remove +
 * replace + insert, and a new sequence; Pixel Data must come out byte for byte.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DataSet, DicomFile } from '../src/data-set.js';
import type { DataSetEdit, NewElement } from '../src/edit.js';
import { DicomError } from '../src/errors.js';
import { readDicom } from '../src/read-dicom.js';
import { tag } from '../src/tag.js';
import { getNumbers, getSequence, getString } from '../src/values.js';
import { concatParts, writeDicom } from '../src/write-dicom.js';
import { firstDifference } from './byte-builder.js';
import { dcmdumpSearch } from './dcmdump.js';
import { dcmdumpBytes, runDcmdumpTests } from './dcmdump-check.js';
import { allPydicomFiles, PYDICOM_DATA, pydicomFile, runPydicomTests } from './pydicom-files.js';

const PIXEL_DATA = tag(0x7fe0, 0x0010);
const NEW_SOP_INSTANCE_UID = '2.25.302436721198744138471920139841722409181';

/** Top-level part of every edit: replace, remove, insert, a new sequence and a new SOP Instance UID. */
const TOP: Required<Pick<DataSetEdit, 'remove' | 'set'>> = {
  remove: [tag(0x0010, 0x0030), tag(0x0008, 0x0080)],
  set: [
    { tag: tag(0x0010, 0x0010), vr: 'PN', value: 'COURIER^TEST' },
    { tag: tag(0x0008, 0x0018), vr: 'UI', value: NEW_SOP_INSTANCE_UID },
    { tag: tag(0x0012, 0x0062), vr: 'CS', value: 'YES' },
    {
      tag: tag(0x0012, 0x0064),
      vr: 'SQ',
      value: [
        [
          { tag: tag(0x0008, 0x0100), vr: 'SH', value: '113100' },
          { tag: tag(0x0008, 0x0102), vr: 'SH', value: 'DCM' },
          { tag: tag(0x0008, 0x0104), vr: 'LO', value: 'Basic Application Confidentiality Profile' },
        ],
      ],
    },
  ],
};

/** Edit of item `index` of sequence `seq` (one level), as the nested `items` map wants it. */
function inItem(seq: number, index: number, edit: DataSetEdit): ReadonlyMap<number, ReadonlyMap<number, DataSetEdit>> {
  return new Map([[seq, new Map([[index, edit]])]]);
}

const set = (t: number, vr: NewElement['vr'], value: NewElement['value']): NewElement => ({ tag: t, vr, value });

interface Case {
  readonly name: string;
  readonly nested: DataSetEdit['items'];
  /** Finds the edited item in a read file. */
  readonly item: (file: DicomFile) => DataSet;
  /** What the nested edit must show: tag, value via getString, and the dcmdump line it prints. */
  readonly shows: readonly { tag: number; value: string; dump: RegExp }[];
  /** Tags the nested edit removed from that item. */
  readonly removed: readonly number[];
}

const CASES: readonly Case[] = [
  {
    name: 'CT_small.dcm', // explicit VR LE, a defined-length sequence
    nested: inItem(tag(0x0010, 0x1002), 1, {
      remove: [tag(0x0010, 0x0022)],
      set: [set(tag(0x0010, 0x0020), 'LO', 'NESTED-ID'), set(tag(0x0010, 0x0021), 'LO', 'COURIER')],
    }),
    item: (f) => getSequence(f.dataSet, tag(0x0010, 0x1002))[1]!,
    shows: [
      { tag: tag(0x0010, 0x0020), value: 'NESTED-ID', dump: /^ {4}\(0010,0020\) LO \[NESTED-ID\]/m },
      { tag: tag(0x0010, 0x0021), value: 'COURIER', dump: /^ {4}\(0010,0021\) LO \[COURIER\]/m },
    ],
    removed: [tag(0x0010, 0x0022)],
  },
  {
    name: 'rtplan.dcm', // implicit VR LE, two levels down: Beam 0 > Control Point 1
    nested: inItem(tag(0x300a, 0x00b0), 0, {
      set: [set(tag(0x300a, 0x00c2), 'LO', 'COURIER BEAM')],
      items: inItem(tag(0x300a, 0x0111), 1, {
        remove: [tag(0x300a, 0x0134)],
        set: [set(tag(0x300a, 0x011e), 'DS', [182.5])],
      }),
    }),
    item: (f) => getSequence(getSequence(f.dataSet, tag(0x300a, 0x00b0))[0]!, tag(0x300a, 0x0111))[1]!,
    shows: [{ tag: tag(0x300a, 0x011e), value: '182.5', dump: /^ {8}\(300a,011e\) DS \[182\.5\]/m }],
    removed: [tag(0x300a, 0x0134)],
  },
  {
    name: 'JPEG-lossy.dcm', // undefined-length sequences and items, encapsulated Pixel Data
    nested: inItem(tag(0x0008, 0x2112), 0, {
      set: [set(tag(0x0008, 0x1155), 'UI', '2.25.1')],
      items: inItem(tag(0x0040, 0xa170), 0, { set: [set(tag(0x0008, 0x0104), 'LO', 'Courier predecessor')] }),
    }),
    item: (f) => getSequence(getSequence(f.dataSet, tag(0x0008, 0x2112))[0]!, tag(0x0040, 0xa170))[0]!,
    shows: [
      {
        tag: tag(0x0008, 0x0104),
        value: 'Courier predecessor',
        dump: /^ {8}\(0008,0104\) LO \[Courier predecessor\]/m,
      },
    ],
    removed: [],
  },
  {
    name: 'ExplVR_BigEnd.dcm', // explicit VR big endian with group lengths; no sequence to edit
    nested: undefined,
    item: (f) => f.dataSet,
    shows: [{ tag: tag(0x0010, 0x0010), value: 'COURIER^TEST', dump: /^\(0010,0010\) PN \[COURIER\^TEST\]/m }],
    removed: [],
  },
];

function pixelBytes(file: DicomFile): Uint8Array | undefined {
  const el = file.dataSet.elements.get(PIXEL_DATA);
  return el && file.source.subarray(el.headerOffset, el.offset + el.length + (el.undefinedLength ? 8 : 0));
}

describe.skipIf(!runPydicomTests || !runDcmdumpTests)('read → edit → write, checked by our reader and dcmdump', () => {
  it.each(CASES)('shows the edits of $name to both parsers and keeps Pixel Data', (c) => {
    const bytes = pydicomFile(`test_files/${c.name}`);
    const source = readDicom(bytes);
    const edit: DataSetEdit = { ...TOP, ...(c.nested ? { items: c.nested } : {}) };
    const out = concatParts(writeDicom(source, edit), bytes);
    const file = readDicom(out);

    // Our reader.
    expect(file.warnings.map((w) => w.code)).toEqual(source.warnings.map((w) => w.code));
    expect(getString(file, file.dataSet, tag(0x0010, 0x0010))).toBe('COURIER^TEST');
    expect(file.dataSet.elements.has(tag(0x0010, 0x0030))).toBe(false);
    expect(file.dataSet.elements.has(tag(0x0008, 0x0080))).toBe(false);
    expect(getString(file, file.meta, tag(0x0002, 0x0003))).toBe(NEW_SOP_INSTANCE_UID);
    const code = getSequence(file.dataSet, tag(0x0012, 0x0064))[0];
    expect(code && getString(file, code, tag(0x0008, 0x0100))).toBe('113100');
    const item = c.item(file);
    for (const s of c.shows) expect(getString(file, item, s.tag)).toBe(s.value);
    for (const t of c.removed) expect(item.elements.has(t)).toBe(false);
    const before = pixelBytes(source);
    const after = pixelBytes(file);
    expect(after === undefined).toBe(before === undefined);
    if (before && after) expect(firstDifference(after, before)).toBe(-1);

    // dcmdump (fails the test if it cannot parse the file).
    const dump = dcmdumpBytes(out);
    expect(dump).toMatch(/^\(0010,0010\) PN \[COURIER\^TEST\]/m);
    expect(dump).toMatch(new RegExp(`^\\(0002,0003\\) UI \\[${NEW_SOP_INSTANCE_UID.replaceAll('.', '\\.')}\\]`, 'm'));
    expect(dump).toMatch(new RegExp(`^\\(0008,0018\\) UI \\[${NEW_SOP_INSTANCE_UID.replaceAll('.', '\\.')}\\]`, 'm'));
    expect(dump).toMatch(/^\(0012,0064\) SQ \(Sequence with explicit length #=1\)/m);
    expect(dump).toMatch(/^ {4}\(0008,0104\) LO \[Basic Application Confidentiality Profile\]/m);
    expect(dump).not.toMatch(/^\(0010,0030\)/m);
    expect(dump).not.toMatch(/^\(0008,0080\)/m);
    for (const s of c.shows) expect(dump).toMatch(s.dump);
  });

  it('edits every readable corpus file so that dcmdump shows the edit wherever it read the original', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-corpus-edit-'));
    try {
      const originals: string[] = [];
      const written = new Map<string, string>();
      for (const name of allPydicomFiles()) {
        let file: DicomFile;
        try {
          file = readDicom(pydicomFile(name));
        } catch (e) {
          if (e instanceof DicomError) continue; // rejected by the reader: covered by the corpus test
          throw e;
        }
        const out = concatParts(writeDicom(file, TOP), file.source);
        const flat = name.replaceAll('/', '__');
        writeFileSync(join(dir, flat), out);
        originals.push(name);
        written.set(name, flat);
      }
      expect(originals.length).toBeGreaterThan(100);
      const before = dcmdumpSearch(PYDICOM_DATA, originals, ['0010,0010']);
      const after = dcmdumpSearch(dir, [...written.values()], ['0010,0010']);
      expect(originals.filter((name) => before.get(name)?.rejected === false).length).toBeGreaterThan(100);
      const lost = originals.filter((name) => {
        const old = before.get(name);
        const now = after.get(written.get(name)!);
        return old !== undefined && !old.rejected && (now === undefined || now.rejected);
      });
      expect(lost).toEqual([]);
      for (const name of originals) {
        const now = after.get(written.get(name)!);
        if (now !== undefined && !now.rejected) expect(now.values.get('0010,0010')?.value, name).toBe('COURIER^TEST');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recomputes group lengths of edited groups in a big endian file (PS3.5 7.2)', () => {
    const bytes = pydicomFile('test_files/ExplVR_BigEnd.dcm');
    const out = concatParts(writeDicom(readDicom(bytes), TOP), bytes);
    const file = readDicom(out);
    for (const group of [0x0008, 0x0010, 0x0012, 0x0020, 0x0028]) {
      const length = getNumbers(file, file.dataSet, tag(group, 0x0000))[0];
      if (length === undefined) continue;
      const members = [...file.dataSet.elements.values()].filter((el) => el.tag >>> 16 === group && el.tag & 0xffff);
      const first = members[0]!;
      const last = members.at(-1)!;
      const end = last.offset + last.length + (last.undefinedLength ? 8 : 0);
      expect(length, `group ${group.toString(16)}`).toBe(end - first.headerOffset);
    }
    expect(dcmdumpBytes(out)).toMatch(/^\(0010,0000\) UL 20 /m); // (0010,0010) PN: 8-byte header + "COURIER^TEST"
  });

  it('turns the raw data set rtstruct.dcm into a Part 10 file with addMeta', () => {
    const bytes = pydicomFile('test_files/rtstruct.dcm');
    const source = readDicom(bytes);
    expect(source.meta.elements.size).toBe(0);
    const out = concatParts(writeDicom(source, undefined, { addMeta: true }), bytes);
    const dump = dcmdumpBytes(out);
    expect(dump).toMatch(/^# Dicom-Meta-Information-Header/m);
    expect(dump).toMatch(/^\(0002,0002\) UI =RTStructureSetStorage/m);
    expect(dump).toMatch(/^\(0002,0010\) UI =LittleEndianImplicit/m);
    const file = readDicom(out);
    expect(getString(file, file.meta, tag(0x0002, 0x0003))).toBe(
      getString(source, source.dataSet, tag(0x0008, 0x0018)),
    );
    // The data set itself is untouched: the same bytes follow the new header.
    expect(firstDifference(out.subarray(file.dataSetOffset), bytes)).toBe(-1);
  });

  it('writes the deflated image_dfl.dcm as Explicit VR Little Endian that dcmdump reads', () => {
    const bytes = pydicomFile('test_files/image_dfl.dcm');
    const source = readDicom(bytes);
    const parts = writeDicom(source, { set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'COURIER^DEFLATED' }] });
    expect(parts.every((p) => p instanceof Uint8Array)).toBe(true);
    const out = concatParts(parts, source.source);
    const dump = dcmdumpBytes(out);
    expect(dump).toMatch(/^\(0002,0010\) UI =LittleEndianExplicit/m);
    expect(dump).toMatch(/^# Used TransferSyntax: Little Endian Explicit/m);
    expect(dump).toMatch(/^\(0010,0010\) PN \[COURIER\^DEFLATED\]/m);
    const file = readDicom(out);
    expect(firstDifference(pixelBytes(file)!, pixelBytes(source)!)).toBe(-1);
  });
});
