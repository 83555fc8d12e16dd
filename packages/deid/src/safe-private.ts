/**
 * One private data element known to be safe (PS3.15 E.3.10 Retain Safe Private Option): it is
 * identified by its Private Creator value and its element byte within the creator's block
 * (PS3.5 7.8.1), never by its absolute tag, because the block (gggg,xx00) varies between files.
 *
 * @example
 * const e: SafePrivateEntry = { group: 0x0019, creator: 'SIEMENS MR HEADER', element: 0x0c, name: 'B value' };
 */
export interface SafePrivateEntry {
  readonly group: number;
  readonly creator: string;
  /** The low byte of the element number (ee of (gggg,xxee)). */
  readonly element: number;
  readonly name: string;
}

/**
 * The committed safe-private list. Deliberately short: an element is listed only when it is a
 * number describing the acquisition (never text, never a date or a UID), and its meaning is
 * published. Entries are of the kind PS3.15 E.3.10 names as examples (acquisition parameters
 * such as diffusion b-values, and scaling factors needed for quantitative use), with meanings as
 * published in the vendors' DICOM conformance statements and used by open-source converters.
 * Anything not on this list is removed, including every element of an unknown private creator,
 * and the Private Creator element of a block is kept only when one of its elements is kept.
 *
 * | creator | element | why safe |
 * | --- | --- | --- |
 * | SIEMENS MR HEADER (0019,xx0C) | B_value, IS | diffusion b-value, a number |
 * | SIEMENS MR HEADER (0019,xx0D) | DiffusionDirectionality, CS | enumerated term |
 * | SIEMENS MR HEADER (0019,xx0E) | DiffusionGradientDirection, FD | 3 numbers |
 * | GEMS_PARM_01 (0043,xx39) | slice/b-value information, IS | numbers |
 * | Philips PET Private Group (7053,xx00) | SUV scale factor, DS | a number, needed for SUV |
 * | Philips PET Private Group (7053,xx09) | activity concentration scale factor, DS | a number |
 */
export const SAFE_PRIVATE_ELEMENTS: readonly SafePrivateEntry[] = [
  { group: 0x0019, creator: 'SIEMENS MR HEADER', element: 0x0c, name: 'B_value' },
  { group: 0x0019, creator: 'SIEMENS MR HEADER', element: 0x0d, name: 'DiffusionDirectionality' },
  { group: 0x0019, creator: 'SIEMENS MR HEADER', element: 0x0e, name: 'DiffusionGradientDirection' },
  { group: 0x0043, creator: 'GEMS_PARM_01', element: 0x39, name: 'Slop_int_6...slop_int_9 (b-value)' },
  { group: 0x7053, creator: 'Philips PET Private Group', element: 0x00, name: 'SUV Factor' },
  { group: 0x7053, creator: 'Philips PET Private Group', element: 0x09, name: 'Activity Concentration Scale Factor' },
];

/** Lookup key of a safe-private entry. */
function key(group: number, creator: string, element: number): string {
  return `${group}|${creator.trim().toUpperCase()}|${element}`;
}

/**
 * A fast membership test over a safe-private list.
 *
 * @example
 * const safe = safePrivateSet(SAFE_PRIVATE_ELEMENTS);
 * safe.has(0x0019, 'SIEMENS MR HEADER', 0x0c); // true
 */
export function safePrivateSet(entries: readonly SafePrivateEntry[]): {
  has(group: number, creator: string, element: number): boolean;
} {
  const keys = new Set(entries.map((e) => key(e.group, e.creator, e.element)));
  return { has: (group, creator, element) => keys.has(key(group, creator, element)) };
}
