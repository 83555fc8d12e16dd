import { DicomError } from './errors.js';
import { formatTag, type Tag } from './tag.js';
import type { DicomWarning, DicomWarningCode } from './warnings.js';
import { DICOM_WARNING_CODES } from './warnings.js';

/** How the elements of a data set are encoded (PS3.5 7.1.1-7.1.3, 7.3). */
export interface Encoding {
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
}

/** Explicit VR Little Endian: the File Meta Information and most data sets (PS3.10 7.1). */
export const EXPLICIT_LE: Encoding = { explicitVR: true, littleEndian: true };
/** Implicit VR Little Endian: the default transfer syntax and the content of UN of undefined length. */
export const IMPLICIT_LE: Encoding = { explicitVR: false, littleEndian: true };

/** Default bound on sequence nesting (real RT and SR objects nest fewer than 15 levels). */
export const DEFAULT_MAX_DEPTH = 64;
/** Default bound on elements, items and fragments in one file. */
export const DEFAULT_MAX_ELEMENTS = 1_000_000;
/** At most this many warnings are kept per file, so a damaged file cannot grow the list without bound. */
const MAX_WARNINGS = 100;

/**
 * Where an element sits: a chain of (sequence tag, item index) up to the root, formatted only when
 * an error message needs it, e.g. "(3006,0039)[2] > (3006,0040)[0] > (3006,0050)".
 */
export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly tag: Tag;
  readonly item: number;
}

/**
 * The path of an element for messages.
 *
 * @example
 * formatPath({ parent: undefined, tag: 0x30060039, item: 2 }, 0x30060050); // "(3006,0039)[2] > (3006,0050)"
 */
export function formatPath(path: PathNode | undefined, last?: Tag): string {
  const parts: string[] = [];
  for (let p = path; p; p = p.parent) parts.unshift(`${formatTag(p.tag)}[${p.item}]`);
  if (last !== undefined) parts.push(formatTag(last));
  return parts.length === 0 ? 'the data set' : parts.join(' > ');
}

/**
 * Thrown when a header-only read of a prefix needs bytes beyond the prefix (never escapes
 * readHeader, which turns it into `{ needBytes }`). It is a DicomError so that any other caller
 * still sees a truncation.
 */
export class NeedMoreBytes extends DicomError {
  readonly needEnd: number;
  constructor(needEnd: number, available: number, where: string) {
    super('DICOM_TRUNCATED', `at byte ${available} in ${where}: more bytes needed up to ${needEnd}`, {
      offset: available,
    });
    this.needEnd = needEnd;
  }
}

/** State of one read: the bytes, how far they go, limits and collected warnings. */
export class ReadContext {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Bytes present (the prefix length for a header-only read of a prefix). */
  readonly available: number;
  /** Size of the whole input; larger than `available` when reading a prefix; Infinity when unknown. */
  readonly fileEnd: number;
  readonly maxDepth: number;
  readonly maxElements: number;
  elementCount = 0;
  readonly warnings: DicomWarning[] = [];

  constructor(bytes: Uint8Array, fileEnd: number, maxDepth: number, maxElements: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.available = bytes.length;
    this.fileEnd = fileEnd;
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  warn(code: DicomWarningCode, detail: string, offset?: number): void {
    if (this.warnings.length >= MAX_WARNINGS) return;
    const message = `${DICOM_WARNING_CODES[code]}: ${detail}`;
    this.warnings.push(offset === undefined ? { code, message } : { code, message, offset });
  }

  /**
   * Ensures bytes [.., end) can be read. Past the end of the input: DICOM_TRUNCATED (or, when
   * `limit` is the end of an enclosing item or sequence, DICOM_INVALID_LENGTH). Past a prefix
   * that is shorter than the input: NeedMoreBytes.
   */
  need(end: number, limit: number, path: PathNode | undefined, t?: Tag): void {
    if (end <= this.available && end <= limit) return;
    if (end > limit && limit < this.fileEnd) {
      throw new DicomError(
        'DICOM_INVALID_LENGTH',
        `${formatPath(path, t)} runs to byte ${end}, past the end of its item or sequence at byte ${limit}`,
        { offset: limit },
      );
    }
    if (end > this.fileEnd) {
      throw new DicomError(
        'DICOM_TRUNCATED',
        `at byte ${this.fileEnd} in ${formatPath(path, t)} (needs bytes up to ${end})`,
        { offset: this.fileEnd },
      );
    }
    throw new NeedMoreBytes(end, this.available, formatPath(path, t));
  }

  countElement(offset: number): void {
    if (++this.elementCount > this.maxElements) {
      throw new DicomError('DICOM_TOO_MANY_ELEMENTS', `more than ${this.maxElements} elements, items and fragments`, {
        offset,
      });
    }
  }

  u16(pos: number, little: boolean): number {
    return this.view.getUint16(pos, little);
  }

  u32(pos: number, little: boolean): number {
    return this.view.getUint32(pos, little);
  }

  /** A tag: group then element, each 16 bits in the data set's byte order (PS3.5 7.1.1). */
  tagAt(pos: number, little: boolean): Tag {
    return ((this.view.getUint16(pos, little) << 16) | this.view.getUint16(pos + 2, little)) >>> 0;
  }
}
