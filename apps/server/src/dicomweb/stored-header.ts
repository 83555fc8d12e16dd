import { ApiError } from '@courier/api';
import { type DicomFile, readHeader } from '@courier/dicom';
import type { DicomStore, StoredInstance } from '../storage/dicom-store.js';

/** First prefix tried: a CT header is 2–10 KB; 64 KiB is one read of the file store's streams. */
const FIRST_PREFIX = 64 * 1024;

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  chunks.length = 0;
  chunks.push(out);
  return out;
}

/**
 * Reads the header (everything before Pixel Data) of a stored instance: streams the stored bytes
 * only until readHeader of @courier/dicom has what it needs, then stops the stream, so a 500 MB
 * multi-frame costs one 64 KiB read. Throws NOT_FOUND when the store no longer holds the instance.
 *
 * @example
 * const file = await readStoredHeader(store, instance);
 * getString(file, file.dataSet, tag(0x0010, 0x0020)); // Patient ID
 */
export async function readStoredHeader(store: DicomStore, instance: StoredInstance): Promise<DicomFile> {
  const source = await store.read(instance);
  if (source === null) throw new ApiError('NOT_FOUND', 'the instance is no longer stored');
  const chunks: Uint8Array[] = [];
  let length = 0;
  let need = Math.min(instance.size, FIRST_PREFIX);
  for await (const chunk of source) {
    chunks.push(chunk);
    length += chunk.length;
    if (length < need) continue;
    const found = readHeader(concat(chunks, length), instance.size);
    // Leaving the loop ends the iteration, which closes the underlying file or HTTP stream.
    if ('file' in found) return found.file;
    need = found.needBytes;
  }
  const found = readHeader(concat(chunks, length), Math.max(length, instance.size));
  if ('file' in found) return found.file;
  throw new ApiError('INTERNAL_ERROR', `stored instance ${instance.sopInstanceUid} is shorter than recorded`);
}
