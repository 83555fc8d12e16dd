import type { OutputPart } from '@courier/dicom';

/** Joins written parts into one file: new bytes as they are, ranges copied from the source. */
export function concat(parts: readonly OutputPart[], source: Uint8Array): Uint8Array {
  let size = 0;
  for (const p of parts) size += p instanceof Uint8Array ? p.length : p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    const bytes = p instanceof Uint8Array ? p : source.subarray(p.offset, p.offset + p.length);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
