import type { Tag } from '@courier/dicom';

/**
 * The action codes of PS3.15 Table E.1-1 (legend in PS3.15 E.1.1): D dummy value, Z zero-length,
 * X remove, K keep, C clean, U replace UID; and the compound codes that let the de-identifier pick
 * per the attribute's Type in the IOD (X/Z, X/D, Z/D, X/Z/D, X/Z/U*).
 *
 * @example
 * const a: ProfileAction = 'X/Z';
 */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*';

/**
 * The option columns of PS3.15 Table E.1-1, named as in the standard JSON the table is generated from.
 *
 * @example
 * const o: ProfileOptionColumn = 'rtnLongFullDatesOpt';
 */
export type ProfileOptionColumn =
  | 'rtnSafePrivOpt'
  | 'rtnUIDsOpt'
  | 'rtnDevIdOpt'
  | 'rtnInstIdOpt'
  | 'rtnPatCharsOpt'
  | 'rtnLongFullDatesOpt'
  | 'rtnLongModifDatesOpt'
  | 'cleanDescOpt'
  | 'cleanStructContOpt'
  | 'cleanGraphOpt';

/** Every option column, in the order of PS3.15 Table E.1-1. */
export const PROFILE_OPTION_COLUMNS: readonly ProfileOptionColumn[] = [
  'rtnSafePrivOpt',
  'rtnUIDsOpt',
  'rtnDevIdOpt',
  'rtnInstIdOpt',
  'rtnPatCharsOpt',
  'rtnLongFullDatesOpt',
  'rtnLongModifDatesOpt',
  'cleanDescOpt',
  'cleanStructContOpt',
  'cleanGraphOpt',
];

/**
 * One row of PS3.15 Table E.1-1. A row matches a tag `t` when `(t & mask) === tag`: plain rows
 * have mask 0xFFFFFFFF; "x" digits of the table become 0 bits of the mask, e.g. (50xx,xxxx) is
 * tag 0x50000000 mask 0xFF000000 and (60xx,4000) is tag 0x60004000 mask 0xFF00FFFF; the private
 * row "(gggg,eeee) where gggg is odd" is tag 0x00010000 mask 0x00010000 (the low bit of the group).
 *
 * @example
 * const row: ProfileRow = { tag: 0x00100010, mask: 0xffffffff, name: "Patient's Name", inStdCompIOD: true, basic: 'Z', options: {} };
 */
export interface ProfileRow {
  readonly tag: Tag;
  readonly mask: number;
  readonly name: string;
  /** "In Std. Comp. IOD": the attribute belongs to a standard composite IOD (PS3.15 E.1.1). */
  readonly inStdCompIOD: boolean;
  /** The action of the Basic Profile column. */
  readonly basic: ProfileAction;
  /** The action of each option column that names one for this row. */
  readonly options: Readonly<Partial<Record<ProfileOptionColumn, ProfileAction>>>;
}
