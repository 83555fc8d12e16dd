import type { DicomErrorCode } from '@courier/dicom';

/**
 * Why the scanner left a file out, in words a site user understands. Stable codes (never reused);
 * a parse failure also carries the reader's DicomError code (packages/dicom errors.ts).
 *
 * @example
 * IGNORED_REASONS.IGNORED_DICOMDIR; // 'DICOMDIR: an index of the other files …'
 */
export const IGNORED_REASONS = {
  IGNORED_NOT_DICOM: 'Not a DICOM file.',
  IGNORED_DICOMDIR: 'DICOMDIR: an index of the other files on a CD or USB stick, not an image.',
  IGNORED_UNREADABLE: 'A damaged or truncated DICOM file that cannot be read.',
  IGNORED_READ_FAILED: 'The file could not be read (moved, deleted or not permitted).',
  IGNORED_HEADER_TOO_LARGE: 'The DICOM header is larger than the scanner accepts.',
  IGNORED_UNSUPPORTED_SOP_CLASS: 'Not an image or RT object that can be stored (unsupported SOP class).',
  IGNORED_MISSING_UIDS: 'Required identifiers (UIDs) are missing, so the file cannot be placed in a study.',
  IGNORED_DUPLICATE_INSTANCE: 'Another file has the same SOP Instance UID but different content.',
  IGNORED_ARCHIVE_UNREADABLE: 'A zip archive (or one of its members) that cannot be opened.',
} as const;

/**
 * A reason code of the catalogue.
 *
 * @example
 * const reason: IgnoredReason = 'IGNORED_NOT_DICOM';
 */
export type IgnoredReason = keyof typeof IGNORED_REASONS;

/**
 * One file left out of the scan, with its reason.
 *
 * @example
 * { path: 'DICOMDIR', size: 2048, reason: 'IGNORED_DICOMDIR', message: IGNORED_REASONS.IGNORED_DICOMDIR }
 */
export interface IgnoredFile {
  readonly path: string;
  readonly size: number;
  readonly reason: IgnoredReason;
  /** The user-facing sentence: IGNORED_REASONS[reason]. */
  readonly message: string;
  /** Technical detail: the parse error text, the SOP class name, the missing attributes, the other file. */
  readonly detail?: string;
  /** For IGNORED_UNREADABLE and IGNORED_NOT_DICOM: the reader's error code. */
  readonly dicomErrorCode?: DicomErrorCode;
  /** For IGNORED_DUPLICATE_INSTANCE: the path of the file that was kept. */
  readonly duplicateOf?: string;
}

/**
 * Builds an IgnoredFile with the catalogue message.
 *
 * @example
 * ignoredFile(file, 'IGNORED_MISSING_UIDS', { detail: 'Series Instance UID (0020,000E)' });
 */
export function ignoredFile(
  file: { readonly path: string; readonly size: number },
  reason: IgnoredReason,
  extra: Pick<IgnoredFile, 'detail' | 'dicomErrorCode' | 'duplicateOf'> = {},
): IgnoredFile {
  return { path: file.path, size: file.size, reason, message: IGNORED_REASONS[reason], ...extra };
}
