import type { ByteRange, DicomFile } from './data-set.js';
import type { DataSetEdit, OutputPart } from './edit.js';
import { ASCII_ENCODING } from './encode-text.js';
import { DicomError } from './errors.js';
import { PartList } from './part-list.js';
import { isEmptyEdit, writeDataSet } from './write-data-set.js';
import { emptyPreambleAndPrefix, newFileMeta, writeMeta } from './write-file-meta.js';

const PREAMBLE_AND_PREFIX = 132;

/**
 * Options of `writeDicom`.
 *
 * @example
 * writeDicom(file, edit, { metaEdit: { set: [{ tag: tag(0x0002, 0x0013), vr: 'SH', value: 'COURIER_1' }] } });
 */
export interface WriteOptions {
  /**
   * Edit of the File Meta Information (group 0002). The writer already: recomputes (0002,0000);
   * copies a new SOP Class / Instance UID set at the top level of `edit` into (0002,0002) /
   * (0002,0003) unless `metaEdit` names those tags itself (PS3.10 7.1: they must agree); and, for
   * a Deflated input, sets (0002,0010) to Explicit VR Little Endian.
   */
  readonly metaEdit?: DataSetEdit;
  /**
   * Size of the whole file, for a header-only read (`file.complete` false): the bytes from where
   * reading stopped to `fileSize` become one range. Defaults to `file.fileSize`, then to
   * `file.source.length` (right when `source` is the whole file). Ignored for a Deflated input,
   * whose source is the inflated data set.
   */
  readonly fileSize?: number;
  /**
   * For a raw data set without File Meta Information: write a preamble, "DICM" and a new meta
   * group (see `newFileMeta`), making the output a Part 10 file as STOW-RS needs. Default false:
   * a raw data set is written raw.
   */
  readonly addMeta?: boolean;
  /** Untouched runs shorter than this many bytes are copied into new bytes instead of referenced. Default 256. */
  readonly copyBelow?: number;
}

/**
 * Writes `file` again with `edit` applied, as a list of parts: new bytes (`Uint8Array`) and
 * ranges (`{ offset, length }`) of the file the caller read. Concatenated in order they are the
 * new Part 10 file (PS3.10 7.1: preamble, "DICM", File Meta Information, data set).
 *
 * - Same transfer syntax as the input, except Deflated (PS3.5 A.5), written as Explicit VR
 *   Little Endian with (0002,0010) changed to match.
 * - Untouched elements are ranges of the source; adjacent ones merge into one range; runs shorter
 *   than `copyBelow` (256) bytes are copied. Pixel Data (incl. encapsulated fragments) is always
 *   a range: its bytes never pass through here. A header-only read's unread tail (from
 *   `file.stoppedAt.headerOffset` to the file size) is one range.
 * - Ranges always refer to the caller's file. When `file.sourceIsFile` is false (Deflated input:
 *   `file.source` is the inflated buffer, not the file) no range is returned: the untouched parts
 *   are `Uint8Array` views of `file.source` (shared memory, not copies).
 * - Edits may remove, replace or insert elements at any depth (`edit.items`), including new
 *   sequences. Sequences and items on the path of an edit are re-written with their length form
 *   kept (undefined stays undefined, a defined length is recomputed, PS3.5 7.5); new sequences
 *   and items get defined lengths. Group lengths of edited groups are recomputed (PS3.5 7.2).
 * - New text is encoded with the data set's Specific Character Set (see `textEncodingFor`);
 *   changing (0008,0005) does not re-encode existing values.
 * - A file without File Meta Information is written without one (a raw data set stays raw)
 *   unless `addMeta` asks for a new one.
 *
 * Throws DicomError DICOM_INVALID_EDIT (edit does not fit the data set, e.g. an item index out
 * of range or a tag past a header-only read) or DICOM_INVALID_VALUE (a value does not fit its VR).
 *
 * In a browser, turn the parts into a file without reading the pixel bytes:
 * `new Blob(parts.map(p => p instanceof Uint8Array ? p : blob.slice(p.offset, p.offset + p.length)))`.
 *
 * @example
 * const file = readDicom(bytes, { headerOnly: true });
 * const parts = writeDicom(file, { set: [{ tag: tag(0x0010, 0x0010), vr: 'PN', value: 'PSEUDO^001' }] });
 * const out = concatParts(parts, bytes); // Node/tests; the browser uses Blob slices instead
 */
export function writeDicom(file: DicomFile, edit?: DataSetEdit, options: WriteOptions = {}): OutputPart[] {
  const { source } = file;
  const list = new PartList(source, { copyBelow: options.copyBelow ?? 256, rangesAllowed: file.sourceIsFile });
  if (file.meta.elements.size > 0) {
    const sourceHasPrefix =
      file.hasPreamble &&
      source.length >= PREAMBLE_AND_PREFIX &&
      source[128] === 0x44 && // "DICM"
      source[129] === 0x49 &&
      source[130] === 0x43 &&
      source[131] === 0x4d;
    if (sourceHasPrefix) list.range(0, PREAMBLE_AND_PREFIX);
    else list.bytes(emptyPreambleAndPrefix());
    writeMeta(list, file, edit, options.metaEdit);
  } else if (options.addMeta === true) {
    list.bytes(emptyPreambleAndPrefix());
    newFileMeta(list, file, edit, options.metaEdit);
  } else if (!isEmptyEdit(options.metaEdit)) {
    throw new DicomError(
      'DICOM_INVALID_EDIT',
      'metaEdit given but the input has no File Meta Information (use addMeta to write one)',
    );
  }

  const syntax = { explicitVR: file.transferSyntax.explicitVR, littleEndian: file.transferSyntax.littleEndian };
  writeDataSet(list, file.dataSet, edit, {
    source,
    syntax,
    text: ASCII_ENCODING,
    path: '',
    forbidMetaGroup: file.meta.elements.size > 0,
    ...(file.complete || file.stoppedAt === undefined ? {} : { unreadFrom: file.stoppedAt.tag }),
  });

  if (!file.complete && file.stoppedAt !== undefined) {
    const from = file.stoppedAt.headerOffset;
    // A deflated input's source is the inflated data set: sizes of the (compressed) file do not
    // apply to it, so the tail runs to the end of what was inflated, checked like a prefix.
    const fileSize = file.sourceIsFile
      ? (options.fileSize ?? file.fileSize ?? sourceAsWholeFile(file, from))
      : sourceAsWholeFile(file, from);
    if (fileSize < from) {
      throw new DicomError('DICOM_INVALID_EDIT', `fileSize ${fileSize} is before the unread tail at byte ${from}`);
    }
    list.range(from, fileSize - from, true);
  }
  return list.finish();
}

/**
 * The file size when the caller gave none: `source.length`, which is right only when `source` is
 * the whole file. A header-only read from a prefix is caught when the element the read stopped
 * at (Pixel Data) declares a value that runs past the prefix: writing would silently cut the
 * file, so this throws DICOM_INVALID_EDIT asking for `fileSize` instead.
 */
function sourceAsWholeFile(file: DicomFile, from: number): number {
  const { source, transferSyntax } = file;
  // Only Pixel Data (a header-only read) is checked; PS3.5 7.1.2: explicit VR OB/OW/OF/OD carry a
  // 32-bit length at bytes 8-11 of the element, implicit VR at bytes 4-7.
  const stopTag = file.stoppedAt?.tag ?? 0;
  const vr = String.fromCharCode(source[from + 4] ?? 0, source[from + 5] ?? 0);
  const longPixelVR = vr === 'OB' || vr === 'OW' || vr === 'OF' || vr === 'OD';
  if (stopTag >>> 16 !== 0x7fe0 || (transferSyntax.explicitVR && !longPixelVR)) return source.length;
  const at = from + (transferSyntax.explicitVR ? 8 : 4);
  if (at + 4 <= source.length) {
    const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
    const length = view.getUint32(at, transferSyntax.littleEndian);
    if (length !== 0xffffffff && at + 4 + length > source.length) {
      throw new DicomError(
        'DICOM_INVALID_EDIT',
        `the source holds ${source.length} bytes but the value at byte ${from} ends at ${at + 4 + length}: ` +
          'it is a prefix of the file, so pass options.fileSize',
      );
    }
  }
  return source.length;
}

/**
 * Concatenates output parts into one array, reading ranges from `source` (the whole file the
 * parts refer to). For Node and tests; in a browser build a Blob from file slices instead
 * (see `writeDicom`). Throws DICOM_TRUNCATED when a range lies past the end of `source`, which
 * happens when `source` is only the header prefix of a header-only read.
 *
 * @example
 * const bytes = concatParts(writeDicom(file), fileBytes);
 */
export function concatParts(parts: readonly OutputPart[], source: Uint8Array): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      out.set(part, at);
    } else {
      if (part.offset + part.length > source.length) {
        throw new DicomError(
          'DICOM_TRUNCATED',
          `part [${part.offset}, ${part.offset + part.length}) lies past the end of the ${source.length}-byte source`,
          { offset: source.length },
        );
      }
      out.set(source.subarray(part.offset, part.offset + part.length), at);
    }
    at += part.length;
  }
  return out;
}

/**
 * Total byte length of output parts (the size of the written file).
 *
 * @example
 * partsLength(writeDicom(file)); // e.g. 524_872
 */
export function partsLength(parts: readonly OutputPart[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/**
 * True when a part is a range of the source file rather than new bytes.
 *
 * @example
 * const referenced = parts.filter(isByteRange).reduce((n, p) => n + p.length, 0);
 */
export function isByteRange(part: OutputPart): part is ByteRange {
  return !(part instanceof Uint8Array);
}
