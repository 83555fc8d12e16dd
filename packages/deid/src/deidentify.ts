import { type DicomFile, type OutputPart, writeDicom } from '@courier/dicom';
import type { DeidConfig } from './config.js';
import { type PlanOptions, planDeidentification } from './plan-deidentification.js';

/**
 * De-identifies one instance: plan + `writeDicom`. Returns the output parts: new bytes and ranges
 * of the caller's file (Pixel Data is referenced, never copied). The output is always a Part 10
 * file: a raw data set input gets File Meta Information. Use planDeidentification when the
 * report (new UIDs, warnings, log) is needed too.
 *
 * @example
 * const file = readDicom(bytes, { headerOnly: true });
 * const parts = deidentify(file, config);
 * const out = concatParts(parts, bytes); // Node; in a browser: new Blob(parts → slices)
 */
export function deidentify(file: DicomFile, config: DeidConfig, options: PlanOptions = {}): OutputPart[] {
  const { edit, metaEdit } = planDeidentification(file, config, options);
  return writeDicom(file, edit, {
    metaEdit,
    // A raw data set (no File Meta Information) comes out as a Part 10 file: STOW-RS needs one.
    addMeta: file.meta.elements.size === 0,
    ...(options.fileSize !== undefined ? { fileSize: options.fileSize } : {}),
  });
}
