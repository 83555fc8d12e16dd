/**
 * Deflated Explicit VR Little Endian (PS3.5 A.5): everything after the File Meta Information is
 * one raw DEFLATE stream (RFC 1951). A few writers wrap it in a zlib header (RFC 1950); both are
 * accepted. Inflation is streamed so its output can be bounded before it is allocated.
 */
import { Inflate, Unzlib } from 'fflate';
import { DicomError } from './errors.js';

/** Default bound on the inflated size of a deflated data set. */
export const DEFAULT_MAX_INFLATED_BYTES: number = 512 * 1024 * 1024;

/** True when two bytes form a zlib header: CM 8 (deflate) and FCHECK (RFC 1950 2.2). */
function hasZlibHeader(bytes: Uint8Array, pos: number): boolean {
  const cmf = bytes[pos] ?? 0;
  const flg = bytes[pos + 1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Returns a new buffer: bytes [0, dataSetOffset) of `bytes` (preamble and meta, copied so element
 * offsets stay valid) followed by the inflated data set. With `final` false, `bytes` is a prefix
 * of the file and only what it holds is inflated.
 */
export function inflateDataSet(bytes: Uint8Array, dataSetOffset: number, final: boolean, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = dataSetOffset;
  const onData = (chunk: Uint8Array): void => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new DicomError('DICOM_INFLATE_FAILED', `the inflated data set exceeds ${maxBytes} bytes`, {
        offset: dataSetOffset,
      });
    }
    chunks.push(chunk);
  };
  const compressed = bytes.subarray(dataSetOffset);
  if (compressed.length > 0) {
    const stream = hasZlibHeader(bytes, dataSetOffset) ? new Unzlib(onData) : new Inflate(onData);
    try {
      stream.push(compressed, final);
    } catch (e) {
      if (e instanceof DicomError) throw e;
      throw new DicomError('DICOM_INFLATE_FAILED', `at byte ${dataSetOffset}: ${(e as Error).message}`, {
        offset: dataSetOffset,
        cause: e,
      });
    }
  }
  const out = new Uint8Array(total);
  out.set(bytes.subarray(0, dataSetOffset), 0);
  let pos = dataSetOffset;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
