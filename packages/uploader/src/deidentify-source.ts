import { type DeidConfig, DeidError, type DeidReport, planDeidentification, type UidMapper } from '@courier/deid';
import { type DicomFile, type OutputPart, partsLength, readDicom, readHeader, writeDicom } from '@courier/dicom';
import type { FileSource } from './file-source.js';

/**
 * One file de-identified for sending: the writer's parts (new header bytes + ranges of the file),
 * the value-free report (new UIDs, counts, warnings) and the output size.
 *
 * @example
 * const { parts, report, size } = await deidentifySource(source, config, uids);
 */
export interface DeidentifiedSource {
  readonly parts: readonly OutputPart[];
  readonly report: DeidReport;
  /** Bytes of the de-identified Part 10 file. */
  readonly size: number;
  /** True when the whole file had to be read (elements after Pixel Data, encapsulated pixels). */
  readonly readWhole: boolean;
}

const PREFIX_BYTES = 64 * 1024;

async function readHeaderOf(source: FileSource): Promise<DicomFile> {
  let prefix = await source.read(0, Math.min(source.size, PREFIX_BYTES));
  for (;;) {
    const r = readHeader(prefix, source.size);
    if ('file' in r) return r.file;
    prefix = await source.read(0, r.needBytes);
  }
}

/**
 * Reads a file's header (a 64 KiB prefix, more when the header is longer), plans its
 * de-identification (PS3.15 Annex E, packages/deid) and writes it with the zero-copy writer. When
 * the plan needs every element (DEID_INCOMPLETE_INPUT: something may follow Pixel Data, or Pixel
 * Data is encapsulated) the whole file is read and planned again; pixels are still never decoded.
 * The output depends only on the file, the configuration and the UID secret, so calling this again
 * for a retry or a resumed upload produces the same bytes.
 *
 * @example
 * const uids = new UidMapper(config.uidSecret);
 * const out = await deidentifySource(await nodeFileSource(path), config, uids);
 */
export async function deidentifySource(
  source: FileSource,
  config: DeidConfig,
  uids: UidMapper,
): Promise<DeidentifiedSource> {
  const header = await readHeaderOf(source);
  try {
    const plan = planDeidentification(header, config, { uids, fileSize: source.size });
    const parts = writeDicom(header, plan.edit, { metaEdit: plan.metaEdit, fileSize: source.size });
    return { parts, report: plan.report, size: partsLength(parts), readWhole: false };
  } catch (e) {
    if (!(e instanceof DeidError && e.code === 'DEID_INCOMPLETE_INPUT')) throw e;
  }
  const whole = readDicom(await source.read(0, source.size));
  const plan = planDeidentification(whole, config, { uids, fileSize: source.size });
  const parts = writeDicom(whole, plan.edit, { metaEdit: plan.metaEdit, fileSize: source.size });
  return { parts, report: plan.report, size: partsLength(parts), readWhole: true };
}
