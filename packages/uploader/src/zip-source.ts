import { Inflate } from 'fflate';
import type { FileSource } from './file-source.js';

/**
 * Zip archives as FileSources: the central directory (APPNOTE 6.3.10 section 4.3.12-4.3.16, with
 * Zip64 records 4.3.14/4.3.15 and extra field 4.5.3) lists the members with exact sizes, and each
 * member reads its byte ranges through fflate's streaming Inflate. A read inflates from the start of
 * the member only up to the range asked, so scanning a member's 64 KiB prefix inflates 64 KiB,
 * whatever the member's size. Stored (method 0) and deflated (method 8) members are supported.
 */

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const READ_CHUNK = 256 * 1024;

/**
 * True when the bytes start like a zip archive (local file header or empty archive, APPNOTE 4.3.7).
 *
 * @example
 * isZipPrefix(await source.read(0, 4)); // true for "PK\x03\x04"
 */
export function isZipPrefix(prefix: Uint8Array): boolean {
  return (
    prefix.length >= 4 &&
    prefix[0] === 0x50 &&
    prefix[1] === 0x4b &&
    ((prefix[2] === 0x03 && prefix[3] === 0x04) || (prefix[2] === 0x05 && prefix[3] === 0x06))
  );
}

/**
 * The file members of a zip archive as FileSources named "<archive path>/<member path>".
 * Directories are skipped; encrypted members or unsupported methods throw (the scanner reports
 * the archive as unreadable).
 *
 * @example
 * const members = await zipMemberSources(blobFileSource(zipFile, 'export.zip'));
 */
export async function zipMemberSources(archive: FileSource): Promise<FileSource[]> {
  const directory = await readCentralDirectory(archive);
  const members: FileSource[] = [];
  for (const entry of directory) {
    if (entry.name.endsWith('/')) continue;
    if ((entry.flags & 1) !== 0) throw new Error(`${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8)
      throw new Error(`${entry.name} uses compression method ${entry.method}`);
    members.push(memberSource(archive, entry));
  }
  return members;
}

interface CentralEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

async function readCentralDirectory(archive: FileSource): Promise<CentralEntry[]> {
  // The End of Central Directory record is in the last 22 + 65535 (comment) bytes (APPNOTE 4.3.16).
  const tailLength = Math.min(archive.size, 22 + 65535 + 20);
  const tailStart = archive.size - tailLength;
  const tail = await archive.read(tailStart, tailLength);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory record: not a complete zip archive');
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const zip64Offset = Number(view.getBigUint64(eocd - 12, true));
    const record = await archive.read(zip64Offset, 56);
    const rv = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (record.length < 56 || rv.getUint32(0, true) !== ZIP64_EOCD)
      throw new Error('bad Zip64 end of central directory');
    count = Number(rv.getBigUint64(32, true));
    cdSize = Number(rv.getBigUint64(40, true));
    cdOffset = Number(rv.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > archive.size) throw new Error('the central directory lies beyond the end of the archive');
  const cd = await archive.read(cdOffset, cdSize);
  const cv = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const entries: CentralEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cv.getUint32(p, true) !== CENTRAL_HEADER) throw new Error('damaged central directory');
    const flags = cv.getUint16(p + 8, true);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let size = cv.getUint32(p + 24, true);
    const nameLength = cv.getUint16(p + 28, true);
    const extraLength = cv.getUint16(p + 30, true);
    const commentLength = cv.getUint16(p + 32, true);
    let localHeaderOffset = cv.getUint32(p + 42, true);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: UTF-8 names (APPNOTE 4.4.4); otherwise CP437, read as Latin-1 (same for ASCII names).
    const name = new TextDecoder((flags & 0x800) !== 0 ? 'utf-8' : 'latin1').decode(nameBytes);
    // Zip64 extended information extra field (APPNOTE 4.5.3): present values replace 0xFFFFFFFF ones, in order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cv.getUint16(e, true);
      const length = cv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(cv.getBigUint64(q, true));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(cv.getBigUint64(q, true));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cv.getBigUint64(q, true));
      }
      e += 4 + length;
    }
    entries.push({ name, flags, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return entries;
}

function memberSource(archive: FileSource, entry: CentralEntry): FileSource {
  let dataStart: number | undefined;
  const start = async (): Promise<number> => {
    if (dataStart !== undefined) return dataStart;
    const header = await archive.read(entry.localHeaderOffset, 30);
    const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (header.length < 30 || hv.getUint32(0, true) !== LOCAL_HEADER)
      throw new Error(`${entry.name}: bad local header`);
    dataStart = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
    return dataStart;
  };
  return {
    path: `${archive.path}/${entry.name}`,
    size: entry.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const from = Math.max(0, Math.min(offset, entry.size));
      const to = Math.max(from, Math.min(offset + length, entry.size));
      const base = await start();
      if (entry.method === 0) return archive.read(base + from, to - from);
      return inflateRange(archive, base, entry.compressedSize, from, to);
    },
  };
}

/** Inflates a member from its start until byte `to`, keeping only [from, to). */
async function inflateRange(
  archive: FileSource,
  base: number,
  compressedSize: number,
  from: number,
  to: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(to - from);
  let produced = 0;
  let failure: unknown;
  const inflate = new Inflate((chunk) => {
    const chunkStart = produced;
    produced += chunk.length;
    const a = Math.max(from, chunkStart);
    const b = Math.min(to, produced);
    if (b > a) out.set(chunk.subarray(a - chunkStart, b - chunkStart), a - from);
  });
  for (let read = 0; read < compressedSize && produced < to; read += READ_CHUNK) {
    const chunk = await archive.read(base + read, Math.min(READ_CHUNK, compressedSize - read));
    try {
      inflate.push(chunk, read + chunk.length >= compressedSize);
    } catch (e) {
      failure = e;
      break;
    }
  }
  if (failure !== undefined || produced < to) {
    throw new Error(`inflating failed after ${produced} of ${to} bytes`, { cause: failure });
  }
  return out;
}
