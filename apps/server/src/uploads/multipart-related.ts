/**
 * A streaming reader of `multipart/related` bodies (RFC 2387 over RFC 2046 5.1), the format of a
 * STOW-RS request (PS3.18 10.5.1.1). The body is read chunk by chunk and each part's content is
 * handed to a sink as it arrives, so a batch is never held whole in memory: at most one chunk plus
 * a delimiter's length of look-behind is buffered.
 *
 * Content bytes are not copied: the sink gets views of the received chunks. Only the bytes at the
 * end of a chunk that could begin a delimiter (a CR followed by what matches the delimiter so far)
 * are held back and joined with the next chunk, which is rare in DICOM content and at most once
 * per real delimiter.
 */

/** Receives the content of one part, in order; `end` is called once the closing delimiter is seen. */
export interface PartSink {
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

/** Why a body could not be read as multipart/related. */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/**
 * The boundary of a `multipart/related` Content-Type whose `type` is `application/dicom` (the
 * parameter may be quoted, RFC 2045 5.1); undefined when the media type is another or no
 * boundary is given.
 *
 * @example
 * stowBoundaryOf('multipart/related; type="application/dicom"; boundary=b1'); // 'b1'
 */
export function stowBoundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [media = '', ...params] = contentType.split(';');
  if (media.trim().toLowerCase() !== 'multipart/related') return undefined;
  const values = new Map<string, string>();
  for (const param of params) {
    const at = param.indexOf('=');
    if (at < 0) continue;
    const value = param
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    values.set(param.slice(0, at).trim().toLowerCase(), value);
  }
  const type = values.get('type')?.toLowerCase();
  // PS3.18 10.5.1.1: the root type of a STOW-RS request with DICOM parts is application/dicom.
  if (type !== undefined && type !== 'application/dicom') return undefined;
  const boundary = values.get('boundary');
  // RFC 2046 5.1.1: 1 to 70 characters.
  return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? boundary : undefined;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const CR = 0x0d;

/** A Buffer view of the same memory (Buffer.from(Uint8Array) would copy it). */
function view(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Where the bytes at the end of `buffer` that could be the start of `delimiter` begin: the first
 * CR in the last `delimiter.length - 1` bytes from which the rest of the buffer equals the
 * delimiter's beginning; `buffer.length` when no such suffix exists (call it only when the
 * delimiter is not in the buffer).
 *
 * @example
 * possibleDelimiterStart(Buffer.from('abc\r\n--b'), Buffer.from('\r\n--b1')); // 3
 */
export function possibleDelimiterStart(buffer: Buffer, delimiter: Buffer): number {
  const end = buffer.length;
  for (let at = buffer.indexOf(CR, Math.max(0, end - delimiter.length + 1)); at >= 0; at = buffer.indexOf(CR, at + 1)) {
    if (buffer.compare(delimiter, 0, end - at, at, end) === 0) return at;
  }
  return end;
}

/**
 * Reads a multipart body and calls `openPart(headers)` for each part, then streams the part's
 * content into the returned sink. Throws MultipartError for a malformed or truncated body (a
 * part without its closing delimiter is never ended, so a cut upload stores nothing half).
 *
 * @example
 * await readMultipart(request.raw, boundary, async (headers) => fileSink(path));
 */
export async function readMultipart(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  openPart: (headers: Map<string, string>) => Promise<PartSink>,
): Promise<number> {
  // Every delimiter is CRLF "--" boundary (RFC 2046 5.1.1); the first one may start the body, so a
  // CRLF is put before the body to find it the same way.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'content' | 'epilogue' = 'preamble';
  let sink: PartSink | undefined;
  let parts = 0;

  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) {
          if (buffer.length >= 2 && buffer.subarray(0, 2).toString('latin1') === '--') {
            state = 'epilogue';
            return true;
          }
          return false;
        }
        const rest = buffer.subarray(0, eol).toString('latin1');
        if (rest.startsWith('--')) state = 'epilogue';
        else if (rest.trim() !== '') throw new MultipartError('text after a boundary delimiter');
        else state = 'headers';
        buffer = buffer.subarray(eol + 2);
        return true;
      }
      case 'headers': {
        // A part with no header lines starts right after the delimiter line.
        let end = buffer.indexOf(CRLF_CRLF);
        let skip = 4;
        if (buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a) {
          end = 0;
          skip = 2;
        }
        if (end < 0) {
          if (buffer.length > 16 * 1024) throw new MultipartError('part headers longer than 16 KiB');
          return false;
        }
        const headers = new Map<string, string>();
        for (const line of buffer.subarray(0, end).toString('latin1').split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        buffer = buffer.subarray(end + skip);
        sink = await openPart(headers);
        parts++;
        state = 'content';
        return true;
      }
      case 'content': {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          // Keep only what could be the start of a delimiter split across chunks (RFC 2046 5.1.1:
          // every delimiter begins with CRLF "--"), usually nothing.
          const keep = possibleDelimiterStart(buffer, delimiter);
          if (keep > 0) {
            await sink!.write(buffer.subarray(0, keep));
            buffer = buffer.subarray(keep);
          }
          return false;
        }
        if (at > 0) await sink!.write(buffer.subarray(0, at));
        await sink!.end();
        sink = undefined;
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'epilogue':
        buffer = Buffer.alloc(0);
        return false;
    }
  };

  for await (const chunk of body) {
    // Joined only when something is left over (a header split across chunks, a possible delimiter).
    buffer = buffer.length === 0 ? view(chunk) : Buffer.concat([buffer, chunk]);
    while (await step()) {}
  }
  while (await step()) {}
  const last = state as string;
  if (last !== 'epilogue') {
    throw new MultipartError(
      last === 'content' ? 'the body ended inside a part' : 'the body ended before the closing delimiter',
    );
  }
  return parts;
}
