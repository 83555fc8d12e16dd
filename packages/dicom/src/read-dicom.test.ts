import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ByteBuilder, UNDEFINED_LENGTH } from '../test/byte-builder.js';
import { DicomError } from './errors.js';
import { readDicom } from './read-dicom.js';
import { tag } from './tag.js';
import { getBytes, getNumber, getSequence, getString } from './values.js';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const PATIENT_NAME = tag(0x0010, 0x0010);
const SOP_INSTANCE_UID = tag(0x0008, 0x0018);
const REF_IMAGES = tag(0x0008, 0x1140);
const REF_SOP_INSTANCE = tag(0x0008, 0x1155);
const ROWS = tag(0x0028, 0x0010);
const PIXEL_DATA = tag(0x7fe0, 0x0010);

function catchError(fn: () => unknown): DicomError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DicomError) return e;
    throw e;
  }
  throw new Error('expected a DicomError');
}

describe('readDicom on Part 10 files', () => {
  it('reads an Explicit VR Little Endian file with absolute offsets into the caller buffer', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(PATIENT_NAME, 'PN', 'Doe^John').us(ROWS, 512).build();
    const file = readDicom(bytes);
    expect(file.source).toBe(bytes);
    expect(file.sourceIsFile).toBe(true);
    expect(file.hasPreamble).toBe(true);
    expect(file.transferSyntax).toEqual({
      uid: EXPLICIT_LE,
      explicitVR: true,
      littleEndian: true,
      deflated: false,
      encapsulated: false,
    });
    expect(file.meta.offset).toBe(132);
    expect(file.dataSetOffset).toBe(file.meta.offset + file.meta.length);
    const name = file.dataSet.elements.get(PATIENT_NAME)!;
    expect(name).toMatchObject({
      vr: 'PN',
      headerOffset: file.dataSetOffset,
      offset: file.dataSetOffset + 8,
      length: 8,
    });
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Doe^John');
    expect(getNumber(file, file.dataSet, ROWS)).toBe(512);
    expect(file.complete).toBe(true);
    expect(file.warnings).toEqual([]);
  });

  it('reads Implicit VR Little Endian with VRs from the dictionary', () => {
    const bytes = new ByteBuilder().part10(IMPLICIT_LE).element(PATIENT_NAME, 'PN', 'A^B').us(ROWS, 7).build();
    const file = readDicom(bytes);
    expect(file.transferSyntax.explicitVR).toBe(false);
    expect(file.dataSet.elements.get(PATIENT_NAME)?.vr).toBe('PN');
    expect(getNumber(file, file.dataSet, ROWS)).toBe(7);
  });

  it('reads Explicit VR Big Endian values in big-endian byte order', () => {
    const bytes = new ByteBuilder().part10('1.2.840.10008.1.2.2').us(ROWS, 0x0102).build();
    const file = readDicom(bytes);
    expect(file.transferSyntax.littleEndian).toBe(false);
    expect(getNumber(file, file.dataSet, ROWS)).toBe(0x0102);
  });

  it('accepts "DICM" without the preamble and warns', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(PATIENT_NAME, 'PN', 'X').build().subarray(128);
    const file = readDicom(bytes);
    expect(file.hasPreamble).toBe(false);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('X');
    expect(file.warnings.map((w) => w.code)).toEqual(['DICOM_NO_PREAMBLE']);
  });

  it('warns when the File Meta Information Group Length is wrong', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(PATIENT_NAME, 'PN', 'X').build();
    bytes[140] = (bytes[140] ?? 0) + 2; // the UL value of (0002,0000)
    expect(readDicom(bytes).warnings.map((w) => w.code)).toEqual(['DICOM_META_GROUP_LENGTH_WRONG']);
  });

  it('reads the data set as found when it contradicts the transfer syntax', () => {
    const b = new ByteBuilder().part10(EXPLICIT_LE).encoding({ explicitVR: false, littleEndian: true });
    const file = readDicom(b.element(PATIENT_NAME, 'PN', 'Imp^Licit').build());
    expect(file.transferSyntax.explicitVR).toBe(false);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Imp^Licit');
    expect(file.warnings[0]?.code).toBe('DICOM_TRANSFER_SYNTAX_MISMATCH');
  });

  it('inflates a deflated data set into a new source that also holds the meta group', () => {
    const body = new ByteBuilder().element(PATIENT_NAME, 'PN', 'Deflated^Name').us(ROWS, 3).build();
    const head = new ByteBuilder().part10('1.2.840.10008.1.2.1.99').build();
    const bytes = new Uint8Array([...head, ...deflateSync(body)]);
    const file = readDicom(bytes);
    expect(file.sourceIsFile).toBe(false);
    expect(file.source).not.toBe(bytes);
    expect(file.source.length).toBe(head.length + body.length);
    expect(file.transferSyntax.deflated).toBe(true);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Deflated^Name');
    expect(getString(file, file.meta, tag(0x0002, 0x0010))).toBe('1.2.840.10008.1.2.1.99');
  });

  it('refuses a deflated data set that inflates past the bound', () => {
    const body = new ByteBuilder().element(tag(0x0009, 0x1001), 'OB', new Uint8Array(100_000)).build();
    const bytes = new Uint8Array([...new ByteBuilder().part10('1.2.840.10008.1.2.1.99').build(), ...deflateSync(body)]);
    expect(catchError(() => readDicom(bytes, { maxInflatedBytes: 10_000 })).code).toBe('DICOM_INFLATE_FAILED');
  });
});

describe('readDicom on raw data sets without File Meta Information', () => {
  it('detects Implicit VR Little Endian from the first element', () => {
    const bytes = new ByteBuilder({ explicitVR: false, littleEndian: true })
      .element(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100')
      .element(PATIENT_NAME, 'PN', 'Raw^Implicit')
      .build();
    const file = readDicom(bytes);
    expect(file.transferSyntax.uid).toBe(IMPLICIT_LE);
    expect(file.dataSetOffset).toBe(0);
    expect(file.meta.elements.size).toBe(0);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('Raw^Implicit');
    expect(file.warnings.map((w) => w.code)).toEqual(['DICOM_NO_META']);
  });

  it('detects Explicit VR Big Endian from the first element', () => {
    const bytes = new ByteBuilder({ explicitVR: true, littleEndian: false })
      .element(tag(0x0008, 0x0060), 'CS', 'CT')
      .us(ROWS, 300)
      .build();
    const file = readDicom(bytes);
    expect(file.transferSyntax.uid).toBe('1.2.840.10008.1.2.2');
    expect(getNumber(file, file.dataSet, ROWS)).toBe(300);
  });

  it('rejects text with a human reason', () => {
    const e = catchError(() => readDicom(new TextEncoder().encode('This is a README, not an image.\n')));
    expect(e.code).toBe('DICOM_NOT_DICOM');
    expect(e.message).toBe('not DICOM: no DICM prefix and no valid first element');
  });

  it.each([
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]],
    ['PDF', Array.from('%PDF-1.7\n%âãÏÓ\n', (c) => c.charCodeAt(0) & 0xff)],
    ['ZIP', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]],
    ['gzip', [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00]],
    ['zeros', new Array(300).fill(0)],
  ])('rejects a %s file as not DICOM', (_name, head) => {
    const bytes = new Uint8Array(4096);
    bytes.set(head);
    expect(catchError(() => readDicom(bytes)).code).toBe('DICOM_NOT_DICOM');
  });

  it('rejects an empty input', () => {
    expect(catchError(() => readDicom(new Uint8Array(0))).code).toBe('DICOM_NOT_DICOM');
  });
});

describe('readDicom on sequences', () => {
  const item = (uid: string) => (b: ByteBuilder) => b.element(REF_SOP_INSTANCE, 'UI', uid);

  it.each([
    ['defined', {}],
    ['undefined-length sequence', { undefinedLength: true }],
    ['undefined-length sequence and items', { undefinedLength: true, undefinedItems: true }],
  ])('reads items of a %s', (_name, options) => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .sequence(REF_IMAGES, [item('1.2.3'), item('1.2.3.4')], options)
      .element(PATIENT_NAME, 'PN', 'After^Sequence')
      .build();
    const file = readDicom(bytes);
    const items = getSequence(file.dataSet, REF_IMAGES);
    expect(items.map((ds) => getString(file, ds, REF_SOP_INSTANCE))).toEqual(['1.2.3', '1.2.3.4']);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('After^Sequence');
    const seq = file.dataSet.elements.get(REF_IMAGES)!;
    expect(seq.undefinedLength).toBe('undefinedLength' in options);
    // Item offsets point after the item header; lengths exclude delimiters.
    expect(items[0]!.offset).toBe(seq.offset + 8);
    expect(items[0]!.length).toBe(8 + 6);
    expect(items[1]!.undefinedLength).toBe('undefinedItems' in options);
    expect(seq.length).toBe(8 + 8 + 6 + (8 + 8 + 8) + ('undefinedItems' in options ? 16 : 0));
  });

  it('reads sequences nested in implicit VR, including private tags of undefined length', () => {
    const b = new ByteBuilder({ explicitVR: false, littleEndian: true });
    b.element(tag(0x0008, 0x0060), 'CS', 'OT');
    b.element(tag(0x0029, 0x0010), 'LO', 'ACME 1.0');
    b.sequence(tag(0x0029, 0x1001), [(i) => i.sequence(REF_IMAGES, [item('9.8.7')])], { undefinedLength: true });
    const file = readDicom(b.build());
    const priv = file.dataSet.elements.get(tag(0x0029, 0x1001))!;
    expect(priv.vr).toBe('UN');
    const inner = getSequence(priv.items![0]!, REF_IMAGES);
    expect(getString(file, inner[0]!, REF_SOP_INSTANCE)).toBe('9.8.7');
  });

  it('reads UN of undefined length as an Implicit VR Little Endian sequence (PS3.5 6.2.2)', () => {
    const implicitItem = (b: ByteBuilder) =>
      b.encoding({ explicitVR: false, littleEndian: true }).element(REF_SOP_INSTANCE, 'UI', '5.6');
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .sequence(REF_IMAGES, [implicitItem], { undefinedLength: true, vr: 'UN' })
      .build();
    const file = readDicom(bytes);
    expect(file.dataSet.elements.get(REF_IMAGES)?.vr).toBe('UN');
    expect(getString(file, getSequence(file.dataSet, REF_IMAGES)[0]!, REF_SOP_INSTANCE)).toBe('5.6');
  });

  it('stops at a nesting depth limit with a typed error', () => {
    let fill = (b: ByteBuilder) => b.element(REF_SOP_INSTANCE, 'UI', '1');
    for (let i = 0; i < 10; i++) {
      const inner = fill;
      fill = (b: ByteBuilder) => b.sequence(REF_IMAGES, [inner], { undefinedLength: true });
    }
    const bytes = fill(new ByteBuilder().part10(EXPLICIT_LE)).build();
    expect(readDicom(bytes, { maxDepth: 10 }).dataSet.elements.size).toBe(1);
    const e = catchError(() => readDicom(bytes, { maxDepth: 9 }));
    expect(e.code).toBe('DICOM_NESTING_TOO_DEEP');
    expect(e.message).toContain('(0008,1140)[0] > ');
  });

  it('turns a stack overflow under a huge depth limit into the same typed error', () => {
    const b = new ByteBuilder().part10(EXPLICIT_LE);
    for (let i = 0; i < 30_000; i++) b.header(REF_IMAGES, 'SQ', UNDEFINED_LENGTH).tag(0xfffee000).u32(UNDEFINED_LENGTH);
    expect(catchError(() => readDicom(b.build(), { maxDepth: 1_000_000 })).code).toBe('DICOM_NESTING_TOO_DEEP');
  });

  it('stops at an element count limit with a typed error', () => {
    const b = new ByteBuilder().part10(EXPLICIT_LE);
    for (let i = 0; i < 50; i++) b.us(tag(0x0009, 0x1000 + i), i);
    expect(catchError(() => readDicom(b.build(), { maxElements: 40 })).code).toBe('DICOM_TOO_MANY_ELEMENTS');
  });

  it('rejects a sequence holding something other than items', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).header(REF_IMAGES, 'SQ', 8).us(ROWS, 1).build();
    expect(catchError(() => readDicom(bytes)).code).toBe('DICOM_MALFORMED_SEQUENCE');
  });
});

describe('readDicom on pixel data and stops', () => {
  it('lists encapsulated fragments, the Basic Offset Table first', () => {
    const bytes = new ByteBuilder()
      .part10('1.2.840.10008.1.2.4.50')
      .us(ROWS, 1)
      .encapsulatedPixelData(
        [
          [1, 2, 3, 4],
          [5, 6],
        ],
        [0],
      )
      .build();
    const file = readDicom(bytes);
    const px = file.dataSet.elements.get(PIXEL_DATA)!;
    expect(px.undefinedLength).toBe(true);
    expect(px.fragments?.map((f) => f.length)).toEqual([4, 4, 2]);
    expect(Array.from(bytes.subarray(px.fragments![2]!.offset, px.fragments![2]!.offset + 2))).toEqual([5, 6]);
    expect(file.transferSyntax.encapsulated).toBe(true);
  });

  it('stops before Pixel Data when reading the header only', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .us(ROWS, 2)
      .element(PIXEL_DATA, 'OW', new Uint8Array(8))
      .build();
    const full = readDicom(bytes);
    expect(getBytes(full, full.dataSet.elements.get(PIXEL_DATA)!).length).toBe(8);
    const header = readDicom(bytes, { headerOnly: true });
    expect(header.complete).toBe(false);
    expect(header.stoppedAt).toEqual({ tag: PIXEL_DATA, headerOffset: bytes.length - 20 });
    expect(header.dataSet.elements.has(PIXEL_DATA)).toBe(false);
    expect(header.dataSet.length).toBe(bytes.length - 20 - header.dataSetOffset);
  });

  it('stops at any tag asked for', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(PATIENT_NAME, 'PN', 'A').us(ROWS, 2).build();
    const file = readDicom(bytes, { stopAtTag: tag(0x0028, 0x0000) });
    expect([...file.dataSet.elements.keys()]).toEqual([PATIENT_NAME]);
    expect(file.stoppedAt?.tag).toBe(ROWS);
  });
});

describe('readDicom on damaged input', () => {
  it('reports a truncated value with the byte and the path of the element', () => {
    const contour = (b: ByteBuilder) => b.element(tag(0x3006, 0x0050), 'DS', '1\\2\\3\\4\\5\\6');
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .sequence(
        tag(0x3006, 0x0039),
        [(b) => b.sequence(tag(0x3006, 0x0040), [contour], { undefinedLength: true, undefinedItems: true })],
        {
          undefinedLength: true,
          undefinedItems: true,
        },
      )
      .build();
    const cut = bytes.subarray(0, bytes.length - 40);
    const e = catchError(() => readDicom(cut));
    expect(e.code).toBe('DICOM_TRUNCATED');
    expect(e.offset).toBe(cut.length);
    expect(e.message).toBe(
      `file is truncated: at byte ${cut.length} in (3006,0039)[0] > (3006,0040)[0] > (3006,0050) (needs bytes up to ${cut.length + 8})`,
    );
  });

  it('keeps the elements read before the failure in the error', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .element(PATIENT_NAME, 'PN', 'Kept^Name')
      .element(PIXEL_DATA, 'OW', new Uint8Array(64))
      .build();
    const e = catchError(() => readDicom(bytes.subarray(0, bytes.length - 10)));
    expect(e.code).toBe('DICOM_TRUNCATED');
    expect(e.detail).toMatch(/^at byte \d+ in \(7FE0,0010\)/);
    const partial = e.partial!;
    expect(partial.complete).toBe(false);
    expect(partial.stoppedAt?.tag).toBe(PIXEL_DATA);
    expect(getString(partial, partial.dataSet, PATIENT_NAME)).toBe('Kept^Name');
  });

  it('reports a length past the end of its item as an invalid length, not a truncation', () => {
    const bad = (b: ByteBuilder) => b.element(REF_SOP_INSTANCE, 'UI', '1.2', { length: 200 });
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .sequence(REF_IMAGES, [bad])
      .element(tag(0x0009, 0x0010), 'OB', new Uint8Array(400))
      .build();
    const e = catchError(() => readDicom(bytes));
    expect(e.code).toBe('DICOM_INVALID_LENGTH');
    expect(e.message).toContain('(0008,1140)[0] > (0008,1155)');
  });

  it('rejects undefined length on a VR that cannot have it', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).header(PATIENT_NAME, 'UT', UNDEFINED_LENGTH).build();
    expect(catchError(() => readDicom(bytes)).code).toBe('DICOM_INVALID_LENGTH');
  });

  it('keeps the first of two equal tags and warns', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .element(PATIENT_NAME, 'PN', 'First')
      .element(PATIENT_NAME, 'PN', 'Second')
      .build();
    const file = readDicom(bytes);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('First');
    expect(file.warnings.map((w) => w.code)).toEqual(['DICOM_DUPLICATE_TAG']);
  });

  it('reads an unknown explicit VR as UN with a 4-byte length, like DCMTK', () => {
    const bytes = new ByteBuilder()
      .part10(EXPLICIT_LE)
      .header(tag(0x0009, 0x1001), 'ZZ', 2)
      .raw([1, 2])
      .us(ROWS, 9)
      .build();
    const file = readDicom(bytes);
    expect(file.dataSet.elements.get(tag(0x0009, 0x1001))?.vr).toBe('UN');
    expect(getNumber(file, file.dataSet, ROWS)).toBe(9);
    expect(file.warnings.map((w) => w.code)).toEqual(['DICOM_UNKNOWN_VR']);
  });

  it('warns about a Specific Character Set it cannot decode', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(tag(0x0008, 0x0005), 'CS', 'ISO_IR 999').build();
    expect(readDicom(bytes).warnings.map((w) => w.code)).toEqual(['DICOM_UNKNOWN_CHARACTER_SET']);
  });

  it('ignores a stray trailing byte with a warning', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).us(ROWS, 1).raw([0]).build();
    expect(readDicom(bytes).warnings.map((w) => w.code)).toEqual(['DICOM_TRAILING_BYTES']);
  });
});

describe('readDicom on a real file', () => {
  it('reads the same SOP Instance UID from the header-only and the full read', () => {
    const bytes = new ByteBuilder().part10(EXPLICIT_LE).element(SOP_INSTANCE_UID, 'UI', '1.2.3.4.5').build();
    expect(getString(readDicom(bytes, { headerOnly: true }), readDicom(bytes).dataSet, SOP_INSTANCE_UID)).toBe(
      '1.2.3.4.5',
    );
  });
});
