/**
 * Reading a DICOM file (PS3.10 7) or a raw data set into a DicomFile: elements as byte ranges of
 * the caller's buffer, nothing decoded. The element loop is our own (read-data-set.ts), not
 * dicom-parser's: see README.md "Why not dicom-parser" for what we measured.
 */
import { isKnownCharacterSet } from './character-set.js';
import type { DataSet, DicomFile, TransferSyntax } from './data-set.js';
import { detectEncoding } from './detect-encoding.js';
import { DicomError } from './errors.js';
import { DEFAULT_MAX_INFLATED_BYTES, inflateDataSet } from './inflate.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ELEMENTS,
  type Encoding,
  EXPLICIT_LE,
  NeedMoreBytes,
  ReadContext,
} from './read-context.js';
import { readDataSet } from './read-data-set.js';
import { readPart10Header, SNIFF_BYTES } from './read-part10-header.js';
import type { Tag } from './tag.js';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  isStandardTransferSyntax,
  transferSyntaxFromUID,
} from './transfer-syntax.js';

/**
 * How to read.
 *
 * @example
 * readDicom(bytes, { headerOnly: true, maxDepth: 32 });
 */
export interface ReadOptions {
  /** Stop before Pixel Data (7FE0,0010), Float (7FE0,0008) and Double Float Pixel Data (7FE0,0009). */
  readonly headerOnly?: boolean;
  /** Stop at the first top-level tag >= this one (its header is not read). */
  readonly stopAtTag?: Tag;
  /** Deepest sequence nesting accepted (default 64); deeper → DICOM_NESTING_TOO_DEEP. */
  readonly maxDepth?: number;
  /** Most elements, items and fragments accepted (default 1,000,000) → DICOM_TOO_MANY_ELEMENTS. */
  readonly maxElements?: number;
  /** Largest inflated size of a deflated data set (default 512 MiB) → DICOM_INFLATE_FAILED. */
  readonly maxInflatedBytes?: number;
}

/** First tag of the pixel data group a header-only read stops at: (7FE0,0008) Float Pixel Data. */
const FIRST_PIXEL_DATA_TAG = 0x7fe00008;
const NO_STOP = 0x1_0000_0000;
const SPECIFIC_CHARACTER_SET = 0x00080005;

/**
 * Reads a DICOM Part 10 file, or a raw data set without File Meta Information (encoding guessed
 * from its first element), from the whole file's bytes.
 *
 * Element offsets are absolute positions in `bytes`, which the result shares (`file.source ===
 * bytes`), except for Deflated transfer syntaxes (see DicomFile.sourceIsFile).
 * Throws DicomError (codes in errors.ts) for input that is not DICOM or is damaged; recoverable
 * oddities are listed in `file.warnings`.
 *
 * @example
 * const file = readDicom(new Uint8Array(await fs.readFile('ct.dcm')), { headerOnly: true });
 * getString(file, file.dataSet, tag(0x0010, 0x0010)); // "Doe^John"
 */
export function readDicom(bytes: Uint8Array, options: ReadOptions = {}): DicomFile {
  return readPrefix(bytes, bytes.length, options);
}

/**
 * Reads from `bytes`, a prefix of a file of `fileSize` bytes. Throws NeedMoreBytes (a DicomError
 * with code DICOM_TRUNCATED) when the prefix ends before what was asked for has been read.
 * Used by readDicom (the prefix is the file) and readHeader.
 */
export function readPrefix(
  bytes: Uint8Array,
  fileSize: number,
  options: ReadOptions,
  recordFileSize = false,
): DicomFile {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const fileEnd = Math.max(fileSize, bytes.length);
  if (fileEnd === 0) throw new DicomError('DICOM_NOT_DICOM', 'the input is empty', { offset: 0 });
  const sniff = Math.min(fileEnd, SNIFF_BYTES);
  if (bytes.length < sniff) throw new NeedMoreBytes(sniff, bytes.length, 'the File Meta Information');

  let ctx = new ReadContext(bytes, fileEnd, maxDepth, maxElements);
  const header = readPart10Header(ctx);
  let enc: Encoding;
  let transferSyntax: TransferSyntax;
  if (header) {
    if (header.transferSyntaxUID !== undefined) {
      transferSyntax = transferSyntaxFromUID(header.transferSyntaxUID);
      if (!isStandardTransferSyntax(header.transferSyntaxUID)) {
        ctx.warn('DICOM_UNKNOWN_TRANSFER_SYNTAX', header.transferSyntaxUID, header.meta.offset);
      }
    } else {
      const found = detectEncoding(bytes, header.dataSetOffset, fileEnd, true) ?? EXPLICIT_LE;
      transferSyntax = syntaxOf(found);
      ctx.warn(
        'DICOM_NO_META',
        `no (0002,0010) Transfer Syntax UID; read as ${transferSyntax.uid}`,
        header.meta.offset,
      );
    }
    enc = { explicitVR: transferSyntax.explicitVR, littleEndian: transferSyntax.littleEndian };
  } else {
    const found = detectEncoding(bytes, 0, fileEnd);
    if (!found) throw new DicomError('DICOM_NOT_DICOM', 'no DICM prefix and no valid first element', { offset: 0 });
    transferSyntax = syntaxOf(found);
    enc = found;
    ctx.warn('DICOM_NO_META', `read as ${transferSyntax.uid}`, 0);
  }

  const dataSetOffset = header?.dataSetOffset ?? 0;
  let sourceIsFile = true;
  if (transferSyntax.deflated) {
    const whole = bytes.length >= fileEnd;
    const inflated = inflateDataSet(
      bytes,
      dataSetOffset,
      whole,
      options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES,
    );
    const warnings = ctx.warnings;
    ctx = new ReadContext(inflated, whole ? inflated.length : Number.POSITIVE_INFINITY, maxDepth, maxElements);
    ctx.warnings.push(...warnings);
    ctx.elementCount = header?.meta.elements.size ?? 0;
    sourceIsFile = false;
  } else if (header && dataSetOffset + 8 <= ctx.available) {
    // Files that say Explicit VR but hold Implicit VR (and the reverse) exist; read what is there.
    const found = detectEncoding(bytes, dataSetOffset, fileEnd, true);
    if (found && found.explicitVR !== enc.explicitVR && found.littleEndian === enc.littleEndian) {
      ctx.warn(
        'DICOM_TRANSFER_SYNTAX_MISMATCH',
        `${transferSyntax.uid} says ${enc.explicitVR ? 'explicit' : 'implicit'} VR, the data set is ${found.explicitVR ? 'explicit' : 'implicit'}`,
        dataSetOffset,
      );
      enc = found;
      transferSyntax = { ...transferSyntax, explicitVR: found.explicitVR };
    }
  }

  let stopTag = options.headerOnly ? FIRST_PIXEL_DATA_TAG : NO_STOP;
  if (options.stopAtTag !== undefined) stopTag = Math.min(stopTag, options.stopAtTag);
  let result: ReturnType<typeof readDataSet>;
  try {
    result = readDataSet(ctx, enc, dataSetOffset, ctx.fileEnd, false, 0, undefined, { stopTag });
  } catch (e) {
    // With a very large maxDepth the JavaScript stack can run out before the limit is reached.
    if (e instanceof RangeError) {
      throw new DicomError('DICOM_NESTING_TOO_DEEP', 'sequences nest deeper than the call stack allows', { cause: e });
    }
    throw e;
  }
  checkCharacterSet(ctx, result.dataSet);
  const file: DicomFile = {
    meta: header?.meta ?? { elements: new Map(), offset: 0, length: 0, undefinedLength: false },
    dataSet: result.dataSet,
    transferSyntax,
    hasPreamble: header?.hasPreamble ?? false,
    source: ctx.bytes,
    sourceIsFile,
    dataSetOffset,
    warnings: ctx.warnings,
    complete: result.stoppedAt === undefined,
    ...(result.stoppedAt === undefined ? {} : { stoppedAt: result.stoppedAt }),
    // A deflated file's source is the inflated buffer, whose size is not the file's.
    ...(recordFileSize && sourceIsFile ? { fileSize } : {}),
  };
  if (result.error) {
    const e = result.error;
    throw new DicomError(e.code, e.detail, { offset: e.offset, cause: e.cause, partial: file });
  }
  return file;
}

/** Warns when the top-level Specific Character Set (0008,0005) names a set we cannot decode. */
function checkCharacterSet(ctx: ReadContext, dataSet: DataSet): void {
  const el = dataSet.elements.get(SPECIFIC_CHARACTER_SET);
  if (!el || el.length === 0 || el.offset + el.length > ctx.available) return;
  let value = '';
  for (let i = el.offset; i < el.offset + el.length; i++) value += String.fromCharCode(ctx.bytes[i]!); // latin1
  value = value.trim();
  if (value !== '' && !isKnownCharacterSet(value)) ctx.warn('DICOM_UNKNOWN_CHARACTER_SET', value, el.offset);
}

function syntaxOf(enc: Encoding): TransferSyntax {
  if (!enc.explicitVR) return transferSyntaxFromUID(IMPLICIT_VR_LITTLE_ENDIAN);
  return transferSyntaxFromUID(enc.littleEndian ? EXPLICIT_VR_LITTLE_ENDIAN : EXPLICIT_VR_BIG_ENDIAN);
}
