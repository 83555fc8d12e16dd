import type { Tag } from '@courier/dicom';
import { PROFILE_ROWS } from './profile.generated.js';
import type { ProfileRow } from './profile-row.js';

const exactRows: ReadonlyMap<Tag, ProfileRow> = new Map(
  PROFILE_ROWS.filter((r) => r.mask === 0xffffffff).map((r) => [r.tag, r]),
);
const privateRow: ProfileRow = PROFILE_ROWS.find((r) => r.mask === 0x00010000)!;
const patternRows: readonly ProfileRow[] = PROFILE_ROWS.filter((r) => r.mask !== 0xffffffff && r !== privateRow);

/**
 * The PS3.15 Table E.1-1 row that governs a tag, or undefined when the table does not list it.
 * Private tags (odd group, PS3.5 7.8) always get the "Private Attributes" row, before any pattern:
 * (6001,3000) is private, not Overlay Data. Repeating groups (50xx,xxxx), (60xx,3000), (60xx,4000)
 * match their pattern rows (PS3.5 7.6 repeating groups are the even groups 5000-501E / 6000-601E).
 *
 * @example
 * findProfileRow(tag(0x0010, 0x0010))?.basic; // 'Z'
 * findProfileRow(tag(0x6002, 0x3000))?.name;  // 'Overlay Data'
 */
export function findProfileRow(t: Tag): ProfileRow | undefined {
  if ((t >>> 16) & 1) return privateRow; // odd group: private (PS3.5 7.8)
  const exact = exactRows.get(t);
  if (exact !== undefined) return exact;
  for (const row of patternRows) if ((t & row.mask) >>> 0 === row.tag) return row;
  return undefined;
}

/** The private-attributes row of the table (basic X, Retain Safe Private C). */
export const PRIVATE_ATTRIBUTES_ROW: ProfileRow = privateRow;
