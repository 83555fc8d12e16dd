/**
 * The bytes [start, end) of a stream, passed through chunk by chunk: what comes before `start` is
 * read and dropped (the store interface streams whole instances), the stream is closed as soon as
 * `end` is reached.
 *
 * @example
 * for await (const chunk of byteRange(await store.read(key), pixel.offset, pixel.offset + frameSize)) send(chunk);
 */
export async function* byteRange(
  source: AsyncIterable<Uint8Array>,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  let position = 0;
  if (end <= start) return;
  for await (const chunk of source) {
    const chunkEnd = position + chunk.length;
    if (chunkEnd > start) {
      const from = Math.max(0, start - position);
      const to = Math.min(chunk.length, end - position);
      yield chunk.subarray(from, to);
    }
    position = chunkEnd;
    // Leaving the loop closes the source (for-await calls its return()).
    if (position >= end) return;
  }
}
