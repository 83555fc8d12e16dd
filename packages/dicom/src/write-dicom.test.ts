import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ByteBuilder, firstDifference, UNDEFINED_LENGTH } from '../test/byte-builder.js';
import type { DataSet, DicomFile } from './data-set.js';
import type { DataSetEdit } from './edit.js';
import { DicomError } from './errors.js';
import { readDicom } from './read-dicom.js';
import { tag } from './tag.js';
import { getNumbers, getSequence, getString } from './values.js';
import { concatParts, partsLength, writeDicom } from './write-dicom.js';

const EXPLICIT_LE_UID = '1.2.840.10008.1.2.1';
const IMPLICIT_LE_UID = '1.2.840.10008.1.2';
const EXPLICIT_BE_UID = '1.2.840.10008.1.2.2';
const DEFLATED_UID = '1.2.840.10008.1.2.1.99';

const PATIENT_NAME = tag(0x0010, 0x0010);
const PATIENT_ID = tag(0x0010, 0x0020);
const REF_SERIES = tag(0x0008, 0x1115);
const REF_INSTANCE = tag(0x0008, 0x114a);
const REF_SOP_INSTANCE = tag(0x0008, 0x1155);
const REF_SOP_CLASS = tag(0x0008, 0x1150);

/** Writes with the edit, reads the result back, and returns it with its bytes. */
function rewrite(bytes: Uint8Array, edit?: DataSetEdit, options?: Parameters<typeof writeDicom>[2]) {
  const file = readDicom(bytes);
  const out = concatParts(writeDicom(file, edit, options), file.source);
  return { out, file: readDicom(out) };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof DicomError ? e.code : `not a DicomError: ${e}`;
  }
  return undefined;
}

/** A data set with a sequence of undefined length whose item (undefined length) nests another such sequence. */
function nestedUndefined(syntax = { explicitVR: true, littleEndian: true }, uid = EXPLICIT_LE_UID): Uint8Array {
  return new ByteBuilder(syntax)
    .part10(uid)
    .element(tag(0x0008, 0x0060), 'CS', 'CT')
    .sequence(
      REF_SERIES,
      [
        (item) =>
          item
            .sequence(
              REF_INSTANCE,
              [
                (inner) =>
                  inner
                    .element(REF_SOP_CLASS, 'UI', '1.2.840.10008.5.1.4.1.1.2\0')
                    .element(REF_SOP_INSTANCE, 'UI', '1.2.3.5\0'),
                (inner) => inner.element(REF_SOP_INSTANCE, 'UI', '1.2.3.6\0'),
              ],
              { undefinedLength: true, undefinedItems: true },
            )
            .element(tag(0x0020, 0x000e), 'UI', '1.2.3.4\0'),
      ],
      { undefinedLength: true, undefinedItems: true },
    )
    .element(PATIENT_NAME, 'PN', 'Doe^Jane')
    .element(PATIENT_ID, 'LO', 'ID0001')
    .build();
}

function innerItems(file: DicomFile): readonly DataSet[] {
  return getSequence(getSequence(file.dataSet, REF_SERIES)[0]!, REF_INSTANCE);
}

describe('writeDicom on hand-built edge cases', () => {
  it('edits an item two sequences deep and keeps every undefined length and delimiter', () => {
    const bytes = nestedUndefined();
    const edit: DataSetEdit = {
      items: new Map([
        [
          REF_SERIES,
          new Map([
            [
              0,
              {
                items: new Map([
                  [REF_INSTANCE, new Map([[1, { set: [{ tag: REF_SOP_INSTANCE, vr: 'UI', value: '9.8.7' }] }]])],
                ]),
              },
            ],
          ]),
        ],
      ]),
    };
    const { out, file } = rewrite(bytes, edit);
    const inner = innerItems(file);
    expect(getString(file, inner[1]!, REF_SOP_INSTANCE)).toBe('9.8.7');
    expect(getString(file, inner[0]!, REF_SOP_INSTANCE)).toBe('1.2.3.5');
    expect(file.dataSet.elements.get(REF_SERIES)?.undefinedLength).toBe(true);
    expect(getSequence(file.dataSet, REF_SERIES)[0]?.undefinedLength).toBe(true);
    expect(inner[1]?.undefinedLength).toBe(true);
    expect(getString(file, file.dataSet, PATIENT_ID)).toBe('ID0001');
    // Same byte length: "1.2.3.6\0" and "9.8.7\0" differ by two bytes; nothing else may change size.
    expect(out.length).toBe(bytes.length - 2);
  });

  it('recomputes defined lengths of every sequence and item on the path of an edit', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .sequence(REF_SERIES, [
        (item) => item.sequence(REF_INSTANCE, [(inner) => inner.element(REF_SOP_INSTANCE, 'UI', '1.2\0')], {}),
        (item) => item.element(tag(0x0020, 0x000e), 'UI', '7.7\0'),
      ])
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .build();
    const longUID = `1.2.${'3'.repeat(50)}`;
    const edit: DataSetEdit = {
      items: new Map([
        [
          REF_SERIES,
          new Map([
            [
              0,
              {
                items: new Map([
                  [REF_INSTANCE, new Map([[0, { set: [{ tag: REF_SOP_INSTANCE, vr: 'UI', value: longUID }] }]])],
                ]),
              },
            ],
          ]),
        ],
      ]),
    };
    const { file } = rewrite(bytes, edit);
    expect(getString(file, innerItems(file)[0]!, REF_SOP_INSTANCE)).toBe(longUID);
    expect(getString(file, getSequence(file.dataSet, REF_SERIES)[1]!, tag(0x0020, 0x000e))).toBe('7.7');
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Doe^Jane');
    expect(file.dataSet.elements.get(REF_SERIES)?.undefinedLength).toBe(false);
    expect(file.warnings).toEqual([]);
  });

  it('keeps empty sequences (defined and undefined length) and odd lengths byte for byte', () => {
    const bytes = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .part10(IMPLICIT_LE_UID)
      .element(tag(0x0008, 0x0070), 'LO', [0x4f, 0x44, 0x44]) // odd length, no padding
      .sequence(REF_SERIES, [])
      .sequence(REF_INSTANCE, [], { undefinedLength: true })
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .build();
    const { out } = rewrite(bytes);
    expect(firstDifference(out, bytes)).toBe(-1);
    const edited = rewrite(bytes, { set: [{ tag: PATIENT_ID, vr: 'LO', value: 'X' }] });
    expect(getSequence(edited.file.dataSet, REF_INSTANCE)).toEqual([]);
    expect(edited.file.dataSet.elements.get(REF_INSTANCE)?.undefinedLength).toBe(true);
    expect(getString(edited.file, edited.file.dataSet, tag(0x0008, 0x0070))).toBe('ODD');
  });

  it('removes, replaces and inserts top-level elements in tag order, with a new nested sequence', () => {
    const bytes = nestedUndefined();
    const edit: DataSetEdit = {
      remove: [tag(0x0008, 0x0060), tag(0x0010, 0x1000)],
      set: [
        { tag: PATIENT_ID, vr: 'LO', value: 'PSEUDO-7' },
        { tag: tag(0x0010, 0x0040), vr: 'CS', value: 'O' },
        {
          tag: tag(0x0012, 0x0064),
          vr: 'SQ',
          value: [
            [
              { tag: tag(0x0008, 0x0104), vr: 'LO', value: 'Basic Application Confidentiality Profile' },
              { tag: tag(0x0008, 0x0100), vr: 'SH', value: '113100' },
              { tag: tag(0x0008, 0x0102), vr: 'SH', value: 'DCM' },
            ],
          ],
        },
        { tag: tag(0x0028, 0x0010), vr: 'US', value: [512] },
      ],
    };
    const { file } = rewrite(bytes, edit);
    const tags = [...file.dataSet.elements.keys()];
    expect(tags).toEqual([...tags].sort((a, b) => a - b));
    expect(file.dataSet.elements.has(tag(0x0008, 0x0060))).toBe(false);
    expect(getString(file, file.dataSet, PATIENT_ID)).toBe('PSEUDO-7');
    expect(getString(file, file.dataSet, tag(0x0010, 0x0040))).toBe('O');
    expect(getNumbers(file, file.dataSet, tag(0x0028, 0x0010))).toEqual([512]);
    const code = getSequence(file.dataSet, tag(0x0012, 0x0064))[0]!;
    // Items are written in tag order whatever order the edit listed them in.
    expect([...code.elements.keys()]).toEqual([tag(0x0008, 0x0100), tag(0x0008, 0x0102), tag(0x0008, 0x0104)]);
    expect(getString(file, code, tag(0x0008, 0x0100))).toBe('113100');
    expect(getString(file, innerItems(file)[1]!, REF_SOP_INSTANCE)).toBe('1.2.3.6');
  });

  it('recomputes the group length of an edited group and keeps the others as they were (PS3.5 7.2)', () => {
    const group8 = new ByteBuilder()
      .element(tag(0x0008, 0x0060), 'CS', 'CT')
      .element(tag(0x0008, 0x0070), 'LO', 'ACME')
      .build();
    const group10 = new ByteBuilder().element(PATIENT_NAME, 'PN', 'Doe^Jane').build();
    const u32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .element(tag(0x0008, 0x0000), 'UL', u32(group8.length))
      .raw(group8)
      .element(tag(0x0010, 0x0000), 'UL', u32(group10.length))
      .raw(group10)
      .build();
    const { file } = rewrite(bytes, { set: [{ tag: tag(0x0008, 0x0080), vr: 'LO', value: 'General Hospital' }] });
    const group8Bytes = [...file.dataSet.elements.values()]
      .filter((el) => el.tag >>> 16 === 0x0008 && el.tag !== tag(0x0008, 0x0000))
      .reduce((sum, el) => sum + (el.offset - el.headerOffset) + el.length, 0);
    expect(getNumbers(file, file.dataSet, tag(0x0008, 0x0000))).toEqual([group8Bytes]);
    expect(getNumbers(file, file.dataSet, tag(0x0010, 0x0000))).toEqual([group10.length]);
  });

  it('writes edited items of a UN sequence in implicit VR little endian (PS3.5 6.2.2)', () => {
    const privateSeq = tag(0x0009, 0x1010);
    // The items of a UN sequence are implicit VR LE whatever the transfer syntax (PS3.5 6.2.2).
    const itemBytes = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .element(tag(0x0009, 0x1011), 'UN', [0x61, 0x62])
      .build();
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .element(tag(0x0009, 0x0010), 'LO', 'ACME 1.0')
      .header(privateSeq, 'UN', UNDEFINED_LENGTH)
      .tag(0xfffee000)
      .u32(itemBytes.length)
      .raw(itemBytes)
      .tag(0xfffee0dd)
      .u32(0)
      .build();
    const { file } = rewrite(bytes, {
      items: new Map([[privateSeq, new Map([[0, { set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'Q' }] }]])]]),
    });
    const item = getSequence(file.dataSet, privateSeq)[0]!;
    expect(file.dataSet.elements.get(privateSeq)?.vr).toBe('UN');
    expect(getString(file, item, PATIENT_NAME)).toBe('Q');
    expect(item.elements.has(tag(0x0009, 0x1011))).toBe(true);
  });

  it('writes new values big endian in an Explicit VR Big Endian file', () => {
    const bytes = nestedUndefined({ explicitVR: true, littleEndian: false }, EXPLICIT_BE_UID);
    const { out, file } = rewrite(bytes, { set: [{ tag: tag(0x0028, 0x0010), vr: 'US', value: [0x0102] }] });
    const rows = file.dataSet.elements.get(tag(0x0028, 0x0010))!;
    expect([...out.subarray(rows.offset, rows.offset + 2)]).toEqual([0x01, 0x02]);
    expect(getNumbers(file, file.dataSet, tag(0x0028, 0x0010))).toEqual([0x0102]);
    expect(getString(file, innerItems(file)[0]!, REF_SOP_INSTANCE)).toBe('1.2.3.5');
  });

  it('encodes new text with the data set character set and refuses what it cannot hold', () => {
    const utf8 = new ByteBuilder().part10(EXPLICIT_LE_UID).element(tag(0x0008, 0x0005), 'CS', 'ISO_IR 192').build();
    const { file } = rewrite(utf8, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'Müller^Zoë=山田' }] });
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Müller^Zoë=山田');
    const ascii = nestedUndefined();
    expect(
      codeOf(() => writeDicom(readDicom(ascii), { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'Müller' }] })),
    ).toBe('DICOM_INVALID_VALUE');
    const switched = rewrite(ascii, {
      set: [
        { tag: tag(0x0008, 0x0005), vr: 'CS', value: 'ISO_IR 100' },
        { tag: PATIENT_NAME, vr: 'PN', value: 'Müller' },
      ],
    });
    expect(getString(switched.file, switched.file.dataSet, PATIENT_NAME)).toBe('Müller');
    // Removing (0008,0005) falls back to the default repertoire for the new values.
    const utf8File = readDicom(utf8);
    expect(
      codeOf(() =>
        writeDicom(utf8File, { remove: [tag(0x0008, 0x0005)], set: [{ tag: PATIENT_ID, vr: 'LO', value: 'Zoë' }] }),
      ),
    ).toBe('DICOM_INVALID_VALUE');
  });

  it('refuses edits that do not fit the data set with DICOM_INVALID_EDIT', () => {
    const file = readDicom(nestedUndefined());
    const bad: DataSetEdit[] = [
      { items: new Map([[REF_SERIES, new Map([[1, {}]])]]) },
      { items: new Map([[PATIENT_NAME, new Map([[0, {}]])]]) },
      { remove: [PATIENT_ID], set: [{ tag: PATIENT_ID, vr: 'LO', value: 'x' }] },
      { set: [{ tag: tag(0x0002, 0x0013), vr: 'SH', value: 'X' }] },
      { set: [{ tag: tag(0x0010, 0x0000), vr: 'UL', value: [0] }] },
    ];
    for (const edit of bad) expect(codeOf(() => writeDicom(file, edit))).toBe('DICOM_INVALID_EDIT');
  });

  it('refuses to edit past where a header-only read stopped, and keeps the unread tail as one range', () => {
    const pixels = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .element(tag(0x7fe0, 0x0010), 'OW', pixels)
      .element(tag(0xfffc, 0xfffc), 'OB', new Uint8Array(4))
      .build();
    const file = readDicom(bytes, { headerOnly: true });
    expect(codeOf(() => writeDicom(file, { remove: [tag(0xfffc, 0xfffc)] }))).toBe('DICOM_INVALID_EDIT');
    const parts = writeDicom(file, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'X' }] });
    const tailStart = file.stoppedAt!.headerOffset;
    expect(parts.at(-1)).toEqual({ offset: tailStart, length: bytes.length - tailStart });
    const out = concatParts(parts, bytes);
    expect(firstDifference(out.subarray(out.length - (bytes.length - tailStart)), bytes.subarray(tailStart))).toBe(-1);
    // Inside items the unread tail does not apply: an Icon Image Sequence item holds its own Pixel Data.
    const icon = writeDicom(file, {
      set: [
        {
          tag: tag(0x0088, 0x0200),
          vr: 'SQ',
          value: [[{ tag: tag(0x7fe0, 0x0010), vr: 'OB', value: new Uint8Array(4) }]],
        },
      ],
    });
    const withIcon = readDicom(concatParts(icon, bytes));
    expect(getSequence(withIcon.dataSet, tag(0x0088, 0x0200))[0]?.elements.has(tag(0x7fe0, 0x0010))).toBe(true);
    // A read stopped elsewhere (stopAtTag) on the whole file needs no fileSize.
    const stoppedEarly = readDicom(bytes, { stopAtTag: PATIENT_NAME });
    expect(partsLength(writeDicom(stoppedEarly))).toBe(bytes.length);
    // From a prefix, without fileSize, the writer cannot know where the file ends: it refuses to guess.
    const fromPrefix = readDicom(bytes.subarray(0, tailStart + 100), { headerOnly: true });
    expect(codeOf(() => writeDicom(fromPrefix))).toBe('DICOM_INVALID_EDIT');
    expect(partsLength(writeDicom(fromPrefix, undefined, { fileSize: bytes.length }))).toBe(bytes.length);
  });

  it('drops the group length of an edited group that runs into the unread tail (PS3.5 7.2 allows it)', () => {
    const pixels = new Uint8Array(64).fill(9);
    const rest = new ByteBuilder()
      .element(tag(0x7fe0, 0x0001), 'OV', new Uint8Array(8))
      .element(tag(0x7fe0, 0x0010), 'OW', pixels)
      .build();
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .element(tag(0x7fe0, 0x0000), 'UL', new Uint8Array(new Uint32Array([rest.length]).buffer))
      .raw(rest)
      .build();
    const file = readDicom(bytes, { headerOnly: true });
    expect(file.stoppedAt?.tag).toBe(tag(0x7fe0, 0x0010));
    const out = readDicom(concatParts(writeDicom(file, { remove: [tag(0x7fe0, 0x0001)] }), bytes));
    expect(out.dataSet.elements.has(tag(0x7fe0, 0x0000))).toBe(false);
    expect(out.dataSet.elements.has(tag(0x7fe0, 0x0001))).toBe(false);
    expect(out.dataSet.elements.get(tag(0x7fe0, 0x0010))?.length).toBe(64);
    // Untouched, the same group keeps its length element.
    const kept = readDicom(concatParts(writeDicom(file, { remove: [PATIENT_NAME] }), bytes));
    expect(getNumbers(kept, kept.dataSet, tag(0x7fe0, 0x0000))).toEqual([rest.length]);
  });

  it('keeps the File Meta Information in step with the data set (PS3.10 7.1)', () => {
    const bytes = nestedUndefined();
    const { out, file } = rewrite(
      bytes,
      { set: [{ tag: tag(0x0008, 0x0018), vr: 'UI', value: '2.25.42' }] },
      {
        metaEdit: { set: [{ tag: tag(0x0002, 0x0013), vr: 'SH', value: 'COURIER' }] },
      },
    );
    expect(getString(file, file.meta, tag(0x0002, 0x0003))).toBe('2.25.42');
    expect(getString(file, file.meta, tag(0x0002, 0x0013))).toBe('COURIER');
    const metaBytes = file.dataSetOffset - 132 - 12;
    expect(getNumbers(file, file.meta, tag(0x0002, 0x0000))).toEqual([metaBytes]);
    expect(file.warnings).toEqual([]);
    expect(out.length).toBeGreaterThan(bytes.length);
    // The transfer syntax follows the data set, never an edit: the writer does not transcode.
    const source = readDicom(bytes);
    const setTs = (value: string) => () =>
      writeDicom(source, undefined, { metaEdit: { set: [{ tag: tag(0x0002, 0x0010), vr: 'UI', value }] } });
    expect(codeOf(setTs(IMPLICIT_LE_UID))).toBe('DICOM_INVALID_EDIT');
    expect(codeOf(setTs(EXPLICIT_LE_UID))).toBeUndefined();
    expect(codeOf(() => writeDicom(source, undefined, { metaEdit: { remove: [tag(0x0002, 0x0010)] } }))).toBe(
      'DICOM_INVALID_EDIT',
    );
  });

  it('writes a raw data set without File Meta Information as a raw data set', () => {
    const raw = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .element(tag(0x0008, 0x0060), 'CS', 'CT')
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .build();
    const { out, file } = rewrite(raw, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'Roe^Rick' }] });
    expect(file.meta.elements.size).toBe(0);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Roe^Rick');
    expect(out.length).toBe(raw.length);
    expect(codeOf(() => writeDicom(readDicom(raw), undefined, { metaEdit: { remove: [tag(0x0002, 0x0013)] } }))).toBe(
      'DICOM_INVALID_EDIT',
    );
  });

  it('adds File Meta Information to a raw data set when asked, from its SOP UIDs (PS3.10 7.1)', () => {
    const raw = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .element(tag(0x0008, 0x0016), 'UI', '1.2.840.10008.5.1.4.1.1.481.3')
      .element(tag(0x0008, 0x0018), 'UI', '1.2.3.4')
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .build();
    const { file } = rewrite(raw, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'X' }] }, { addMeta: true });
    expect(file.hasPreamble).toBe(true);
    expect(file.warnings).toEqual([]);
    expect(getString(file, file.meta, tag(0x0002, 0x0002))).toBe('1.2.840.10008.5.1.4.1.1.481.3');
    expect(getString(file, file.meta, tag(0x0002, 0x0003))).toBe('1.2.3.4');
    expect(getString(file, file.meta, tag(0x0002, 0x0010))).toBe(IMPLICIT_LE_UID);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('X');
    const noSop = new ByteBuilder({ explicitVR: false, littleEndian: true }).element(PATIENT_NAME, 'PN', 'X').build();
    expect(codeOf(() => writeDicom(readDicom(noSop), undefined, { addMeta: true }))).toBe('DICOM_INVALID_EDIT');
  });

  it('writes a Deflated input as Explicit VR Little Endian, as views of the inflated bytes', () => {
    const dataSet = new ByteBuilder()
      .element(tag(0x0008, 0x0060), 'CS', 'CT')
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .element(tag(0x0028, 0x1000), 'OB', new Uint8Array(1000).fill(7))
      .build();
    const header = new ByteBuilder().part10(DEFLATED_UID).build();
    const bytes = new Uint8Array([...header, ...deflateSync(dataSet)]);
    const file = readDicom(bytes);
    expect(file.sourceIsFile).toBe(false);
    const parts = writeDicom(file, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'X' }] });
    expect(parts.every((p) => p instanceof Uint8Array)).toBe(true);
    const out = readDicom(concatParts(parts, file.source));
    expect(out.transferSyntax.uid).toBe(EXPLICIT_LE_UID);
    expect(getString(out, out.meta, tag(0x0002, 0x0010))).toBe(EXPLICIT_LE_UID);
    expect(getString(out, out.dataSet, PATIENT_NAME)).toBe('X');
    expect(out.dataSet.elements.get(tag(0x0028, 0x1000))?.length).toBe(1000);
    // The 1000-byte value is not copied: its part is a view of the inflated source.
    expect(parts.some((p) => p instanceof Uint8Array && p.buffer === file.source.buffer && p.length >= 1000)).toBe(
      true,
    );
  });

  it('writes a header-only read of a Deflated input with its inflated Pixel Data, whatever fileSize says', () => {
    const pixels = Uint8Array.from({ length: 2000 }, (_, i) => (i * 7) & 0xff);
    const dataSet = new ByteBuilder()
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .element(tag(0x7fe0, 0x0010), 'OW', pixels)
      .build();
    const bytes = new Uint8Array([...new ByteBuilder().part10(DEFLATED_UID).build(), ...deflateSync(dataSet)]);
    const file = readDicom(bytes, { headerOnly: true });
    expect(file.complete).toBe(false);
    const parts = writeDicom(file, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'X' }] }, { fileSize: bytes.length });
    const out = readDicom(concatParts(parts, file.source));
    const el = out.dataSet.elements.get(tag(0x7fe0, 0x0010))!;
    expect(firstDifference(out.source.subarray(el.offset, el.offset + el.length), pixels)).toBe(-1);
  });

  it('copies short untouched runs and references long ones', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE_UID)
      .element(tag(0x0008, 0x0060), 'CS', 'CT')
      .element(tag(0x0018, 0x0015), 'LT', 'x'.repeat(400))
      .element(PATIENT_NAME, 'PN', 'Doe^Jane')
      .build();
    const file = readDicom(bytes);
    const parts = writeDicom(file, { set: [{ tag: PATIENT_NAME, vr: 'PN', value: 'Roe^Rick' }] });
    const ranges = parts.filter((p) => !(p instanceof Uint8Array));
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.length).toBeGreaterThanOrEqual(400);
    expect(partsLength(parts)).toBe(bytes.length);
  });
});
