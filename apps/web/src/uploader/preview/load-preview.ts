import { readDicom } from '@courier/dicom';
import type { FileSource } from '@courier/uploader';
import { type DecodedFrame, decodeFrame, type FrameFailure } from './decode-frame.js';

/** Largest file a preview reads into memory (a preview is not worth more). */
export const PREVIEW_MAX_BYTES: number = 512 * 1024 * 1024;

/** A preview's outcome: the frame, or why there is none. */
export type PreviewResult =
  | { readonly ok: true; readonly frame: DecodedFrame }
  | {
      readonly ok: false;
      readonly failure: FrameFailure | { readonly reason: 'too-large' | 'unreadable'; readonly detail?: string };
    };

/**
 * Reads a dropped file (entirely: the preview needs its pixels) and decodes its middle frame.
 * Never throws: an unreadable file or an undecodable syntax becomes a failure the popup explains.
 *
 * @example
 * const result = await loadPreview(blobFileSource(file, path));
 * if (result.ok) drawFrame(canvas, result.frame);
 */
export async function loadPreview(source: FileSource): Promise<PreviewResult> {
  if (source.size > PREVIEW_MAX_BYTES) return { ok: false, failure: { reason: 'too-large' } };
  try {
    const bytes = await source.read(0, source.size);
    const result = decodeFrame(readDicom(bytes));
    return 'kind' in result ? { ok: true, frame: result } : { ok: false, failure: result };
  } catch (error) {
    return {
      ok: false,
      failure: { reason: 'unreadable', detail: error instanceof Error ? error.message : String(error) },
    };
  }
}
