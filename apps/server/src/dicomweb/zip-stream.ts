import { crc32 } from 'node:zlib';

/** One member of a streamed zip: its name, its exact size and its bytes, opened only when written. */
export interface ZipMember {
  /** Path inside the archive, `/`-separated (APPNOTE 4.4.17), stored as UTF-8 (flag bit 11). */
  name: string;
  /** Exact byte size; the member is refused mid-stream if its source yields another count. */
  size: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Options of {@link zipStream}. */
export interface ZipOptions {
  /** Modification time written for every member (DOS format, local time of the archive). */
  modified: Date;
  /**
   * Sizes and offsets at or above this use ZIP64 fields (APPNOTE 4.5.3). The format's limit is
   * 0xFFFFFFFF; tests lower it to exercise the ZIP64 records with small members.
   */
  zip64Threshold?: number;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Bit 3: CRC-32 in a data descriptor after the data (APPNOTE 4.3.9); bit 11: UTF-8 names (4.4.4). */
const FLAGS = 0x0008 | 0x0800;
/** Version made by: UNIX (3) in the high byte, so the external attributes carry file modes (4.4.2). */
const MADE_BY = (3 << 8) | 45;

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

class Writer {
  readonly bytes: Buffer;
  private at = 0;
  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }
  u16(v: number): this {
    this.at = this.bytes.writeUInt16LE(v, this.at);
    return this;
  }
  u32(v: number): this {
    this.at = this.bytes.writeUInt32LE(v >>> 0, this.at);
    return this;
  }
  u64(v: number): this {
    this.at = this.bytes.writeBigUInt64LE(BigInt(v), this.at);
    return this;
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.at);
    this.at += b.length;
    return this;
  }
}

interface Placed {
  member: ZipMember;
  name: Buffer;
  offset: number;
  zip64: boolean;
  crc: number;
}

function localHeader(p: Placed, stamp: { time: number; date: number }): Buffer {
  // ZIP64 extra (APPNOTE 4.5.3) with zero sizes: they follow in the 8-byte data descriptor.
  const extra = p.zip64 ? 20 : 0;
  const w = new Writer(30 + p.name.length + extra)
    .u32(0x04034b50)
    .u16(p.zip64 ? 45 : 20)
    .u16(FLAGS)
    .u16(0) // stored: the DICOM files are passed through as they are
    .u16(stamp.time)
    .u16(stamp.date)
    .u32(0)
    .u32(p.zip64 ? MAX32 : 0)
    .u32(p.zip64 ? MAX32 : 0)
    .u16(p.name.length)
    .u16(extra)
    .raw(p.name);
  if (p.zip64) w.u16(0x0001).u16(16).u64(0).u64(0);
  return w.bytes;
}

function dataDescriptor(p: Placed): Buffer {
  const size = p.member.size;
  return p.zip64
    ? new Writer(24).u32(0x08074b50).u32(p.crc).u64(size).u64(size).bytes
    : new Writer(16).u32(0x08074b50).u32(p.crc).u32(size).u32(size).bytes;
}

function centralHeader(p: Placed, stamp: { time: number; date: number }, threshold: number): Buffer {
  const big = p.member.size >= threshold;
  const far = p.offset >= threshold;
  // ZIP64 extra in the central directory: only the fields whose 32-bit slot holds 0xFFFFFFFF (4.5.3).
  const extra = big || far ? 4 + (big ? 16 : 0) + (far ? 8 : 0) : 0;
  const w = new Writer(46 + p.name.length + extra)
    .u32(0x02014b50)
    .u16(MADE_BY)
    .u16(p.zip64 ? 45 : 20)
    .u16(FLAGS)
    .u16(0)
    .u16(stamp.time)
    .u16(stamp.date)
    .u32(p.crc)
    .u32(big ? MAX32 : p.member.size)
    .u32(big ? MAX32 : p.member.size)
    .u16(p.name.length)
    .u16(extra)
    .u16(0)
    .u16(0)
    .u16(0)
    .u32((0o100644 << 16) >>> 0)
    .u32(far ? MAX32 : p.offset)
    .raw(p.name);
  if (extra > 0) {
    w.u16(0x0001).u16(extra - 4);
    if (big) w.u64(p.member.size).u64(p.member.size);
    if (far) w.u64(p.offset);
  }
  return w.bytes;
}

function endRecords(count: number, cdOffset: number, cdSize: number, threshold: number): Buffer {
  const zip64 = count >= MAX16 || cdOffset >= threshold || cdSize >= threshold;
  const end = new Writer(22)
    .u32(0x06054b50)
    .u16(0)
    .u16(0)
    .u16(zip64 ? MAX16 : count)
    .u16(zip64 ? MAX16 : count)
    .u32(zip64 ? MAX32 : cdSize)
    .u32(zip64 ? MAX32 : cdOffset)
    .u16(0).bytes;
  if (!zip64) return end;
  // APPNOTE 4.3.14 / 4.3.15: the ZIP64 end of central directory record and its locator.
  const record = new Writer(56)
    .u32(0x06064b50)
    .u64(44)
    .u16(MADE_BY)
    .u16(45)
    .u32(0)
    .u32(0)
    .u64(count)
    .u64(count)
    .u64(cdSize)
    .u64(cdOffset).bytes;
  const locator = new Writer(20)
    .u32(0x07064b50)
    .u32(0)
    .u64(cdOffset + cdSize)
    .u32(1).bytes;
  return Buffer.concat([record, locator, end]);
}

/** Lays the members out: offsets and ZIP64 choice are known before any byte is read (stored, sizes given). */
function place(members: readonly ZipMember[], threshold: number): { placed: Placed[]; end: number } {
  let offset = 0;
  const placed = members.map((member) => {
    const name = Buffer.from(member.name, 'utf8');
    const zip64 = member.size >= threshold || offset >= threshold;
    const p: Placed = { member, name, offset, zip64, crc: 0 };
    offset += 30 + name.length + (zip64 ? 20 : 0) + member.size + (zip64 ? 24 : 16);
    return p;
  });
  return { placed, end: offset };
}

/**
 * The exact byte length {@link zipStream} will produce for these members (usable as Content-Length).
 *
 * @example
 * reply.header('content-length', String(zipLength(members, options)));
 */
export function zipLength(members: readonly ZipMember[], options: ZipOptions): number {
  const threshold = options.zip64Threshold ?? MAX32;
  const stamp = dosDateTime(options.modified);
  const { placed, end } = place(members, threshold);
  const cdSize = placed.reduce((sum, p) => sum + centralHeader(p, stamp, threshold).length, 0);
  return end + cdSize + endRecords(placed.length, end, cdSize, threshold).length;
}

/**
 * A zip archive of stored (uncompressed) members, written as it is read (APPNOTE.TXT 6.3.10): each
 * member's local header, its bytes passed through chunk by chunk while the CRC-32 is computed, a
 * data descriptor with the CRC; then the central directory. Nothing is buffered beyond one chunk,
 * so archives of any size stream in constant memory. Members of 4 GiB or more, members starting
 * beyond 4 GiB and archives of 65,535 members or more use the ZIP64 records (APPNOTE 4.5), which
 * Info-ZIP unzip 6, 7-Zip, Windows Explorer and macOS read. A source yielding another byte count
 * than its `size` ends the stream with an error (the archive's layout was fixed by the sizes).
 *
 * @example
 * return Readable.from(zipStream(members, { modified: new Date() }));
 */
export async function* zipStream(
  members: readonly ZipMember[],
  options: ZipOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const threshold = options.zip64Threshold ?? MAX32;
  const stamp = dosDateTime(options.modified);
  const { placed, end } = place(members, threshold);
  for (const p of placed) {
    yield localHeader(p, stamp);
    let crc = 0;
    let size = 0;
    for await (const chunk of await p.member.open()) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > p.member.size) break;
      yield chunk;
    }
    if (size !== p.member.size) {
      throw new Error(`zip member ${p.member.name}: expected ${p.member.size} bytes, the source had ${size}`);
    }
    p.crc = crc;
    yield dataDescriptor(p);
  }
  const central = placed.map((p) => centralHeader(p, stamp, threshold));
  const cdSize = central.reduce((sum, b) => sum + b.length, 0);
  yield Buffer.concat(central);
  yield endRecords(placed.length, end, cdSize, threshold);
}
