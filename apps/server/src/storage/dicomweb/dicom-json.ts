/** One attribute of the DICOM JSON Model (PS3.18 F.2.2): `{ vr, Value }`. */
export interface DicomJsonAttribute {
  vr?: string;
  Value?: unknown[];
}

/** A data set in the DICOM JSON Model (PS3.18 F.2): attributes keyed by 8 upper-case hex digits. */
export type DicomJsonDataset = Record<string, DicomJsonAttribute | undefined>;

/**
 * The first value of an attribute as a string, or undefined (PS3.18 F.2.3: `Value` is an array).
 *
 * @example
 * jsonString(dataset, '00080018'); // the SOP Instance UID
 */
export function jsonString(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * The items of a sequence attribute (VR SQ; an empty sequence has no `Value`, PS3.18 F.2.5).
 *
 * @example
 * jsonItems(stowAnswer, '00081199'); // Referenced SOP Sequence
 */
export function jsonItems(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  const value = dataset[tag]?.Value;
  return Array.isArray(value) ? value.filter((item): item is DicomJsonDataset => typeof item === 'object') : [];
}
