import type { Tag } from './tag.js';
import type { VR } from './value-representation.js';

/**
 * One parsed element: its tag, VR and where its value lies in `DicomFile.source`.
 * Values are not decoded here; read them with the accessors in `values.ts`.
 * Offsets are absolute positions in the bytes the file was parsed from, so a writer
 * can copy an untouched value as a range of the source instead of copying bytes.
 */
export interface DicomElement {
  readonly tag: Tag;
  /** The explicit VR from the stream, or the dictionary VR for implicit VR ("UN" when unknown). */
  readonly vr: VR;
  /** Offset of the element's first byte (its tag) in the source. */
  readonly headerOffset: number;
  /** Offset of the value's first byte in the source. */
  readonly offset: number;
  /**
   * Value length in bytes. For an undefined-length sequence or encapsulated Pixel Data, the length
   * actually found up to (not including) the Sequence Delimitation Item.
   */
  readonly length: number;
  /** True when the stream used the undefined length 0xFFFFFFFF (PS3.5 7.1.2). */
  readonly undefinedLength: boolean;
  /** Items of a sequence (VR SQ, or an undefined-length UN read as implicit VR LE per PS3.5 6.2.2). */
  readonly items?: readonly DataSet[];
  /** Fragments of encapsulated Pixel Data (PS3.5 A.4), the Basic Offset Table first. */
  readonly fragments?: readonly ByteRange[];
}

/** A run of bytes in the source: [offset, offset + length). */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/**
 * A data set: the top-level one of a file, or one item of a sequence.
 * `elements` iterates in ascending tag order, as the stream must hold them (PS3.5 7.1).
 */
export interface DataSet {
  readonly elements: ReadonlyMap<Tag, DicomElement>;
  /** Offset of the item's first value byte (after the item tag and length); 0-based in the source. */
  readonly offset: number;
  /** Length of the data set's bytes in the source (for items: excluding the item delimiter). */
  readonly length: number;
  /** True for a sequence item that used undefined length. */
  readonly undefinedLength: boolean;
}

/** How the data set (not the File Meta Information, always explicit VR LE) is encoded. */
export interface TransferSyntax {
  readonly uid: string;
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
  readonly deflated: boolean;
  readonly encapsulated: boolean;
}

/**
 * A parsed Part 10 file (or a raw data set without File Meta Information).
 *
 * `source` is the byte array element offsets refer to. For all transfer syntaxes except
 * Deflated it is the caller's buffer (shared, not copied) and `sourceIsFile` is true. For
 * Deflated Explicit VR Little Endian the data set is inflated into a new buffer: meta
 * elements and data-set elements then both refer to that buffer (meta copied in front of the
 * inflated bytes) and `sourceIsFile` is false.
 */
export interface DicomFile {
  /** File Meta Information (group 0002), empty when the input had none. */
  readonly meta: DataSet;
  readonly dataSet: DataSet;
  readonly transferSyntax: TransferSyntax;
  /** True when the input had a 128-byte preamble and "DICM" (PS3.10 7.1). */
  readonly hasPreamble: boolean;
  readonly source: Uint8Array;
  readonly sourceIsFile: boolean;
  /** Offset in `source` where the data set after the meta group starts. */
  readonly dataSetOffset: number;
  /**
   * False when parsing stopped on purpose before the end (header-only read: stopped at
   * Pixel Data or another "stop" tag). The elements after that point are not listed.
   */
  readonly complete: boolean;
  /**
   * Size in bytes of the whole file when known (set by a header-only read of a prefix), so a writer
   * can reference the unread tail [stoppedAt.headerOffset, fileSize) without the caller passing it.
   */
  readonly fileSize?: number;
  /** The tag parsing stopped at, and its header offset, when `complete` is false. */
  readonly stoppedAt?: { readonly tag: Tag; readonly headerOffset: number };
  /** Recoverable oddities found while reading; see warnings.ts for the catalogue. */
  readonly warnings: readonly import('./warnings.js').DicomWarning[];
}
