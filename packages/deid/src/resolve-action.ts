import { DEID_OPTIONS, type DeidOption } from './options.js';
import type { ProfileAction, ProfileOptionColumn, ProfileRow } from './profile-row.js';

/**
 * A single action, after options and compound codes are resolved (PS3.15 E.1.1 legend):
 * X remove; Z zero-length; D dummy value; K keep; C clean; U replace UID consistently;
 * 'U*' keep a sequence and replace the UIDs inside it (the U* of X/Z/U*).
 *
 * @example
 * const a: ResolvedAction = 'Z';
 */
export type ResolvedAction = 'X' | 'Z' | 'D' | 'K' | 'C' | 'U' | 'U*';

/** Protectiveness order used when two selected options name different actions for one row. */
const PROTECTIVENESS: Readonly<Record<ResolvedAction, number>> = { X: 6, Z: 5, D: 4, C: 3, U: 2, 'U*': 1, K: 0 };

/**
 * What the resolver needs to know about the element: whether its present value is empty (an empty
 * value cannot be a Type 1 value of a valid instance, PS3.5 7.4, so Z is as conformant as D there).
 *
 * @example
 * const e: ElementFacts = { empty: false, sequence: false };
 */
export interface ElementFacts {
  readonly empty: boolean;
  readonly sequence: boolean;
}

/**
 * The Table E.1-1 action that applies to a row under a set of options, before compound codes are
 * resolved: an option's action overrides the Basic Profile's (PS3.15 E.3: each option "retains" or
 * "cleans" what the Basic Profile would otherwise remove). If two selected options name different
 * actions for one row (in edition 2024e only the two longitudinal-dates options can, and
 * check-config refuses that pair) the most protective one wins: X > Z > D > C > U > K.
 *
 * @example
 * tableAction(findProfileRow(tag(0x0008, 0x0022))!, new Set(['retainLongitudinalFullDates'])); // 'K'
 */
export function tableAction(row: ProfileRow, options: ReadonlySet<DeidOption>): ProfileAction {
  let chosen: ProfileAction | undefined;
  for (const option of options) {
    const column: ProfileOptionColumn | undefined = DEID_OPTIONS[option].column;
    const action = column === undefined ? undefined : row.options[column];
    if (action === undefined) continue;
    if (chosen === undefined || rank(action) > rank(chosen)) chosen = action;
  }
  return chosen ?? row.basic;
}

function rank(a: ProfileAction): number {
  return PROTECTIVENESS[resolveCompound(a, { empty: false, sequence: false })];
}

/**
 * Resolves a compound code to one action. PS3.15 E.1.1 lets the de-identifier choose per the
 * attribute's Type in the IOD (X for Type 3, Z for Type 2, D for Type 1). Courier resolves without
 * the IOD's module tables, so it takes the choice that is conformant for every Type and leaks
 * nothing (the "safer" choice):
 *
 * | code    | resolved | why |
 * | ------- | -------- | --- |
 * | X/Z     | Z        | present-but-empty satisfies Type 2 and Type 3, and holds no information |
 * | X/D     | D        | a dummy satisfies Type 1; Z if the value is already empty (then it cannot be Type 1) |
 * | Z/D     | D        | as X/D |
 * | X/Z/D   | D        | as X/D |
 * | X/Z/U*  | U*       | the sequence is kept, every UID inside is replaced (and every other attribute inside is de-identified by its own row) |
 *
 * @example
 * resolveCompound('X/Z', { empty: false, sequence: false }); // 'Z'
 * resolveCompound('X/D', { empty: true, sequence: false });  // 'Z'
 */
export function resolveCompound(action: ProfileAction, facts: ElementFacts): ResolvedAction {
  switch (action) {
    case 'X/Z':
      return 'Z';
    case 'X/D':
    case 'Z/D':
    case 'X/Z/D':
      return facts.empty ? 'Z' : 'D';
    case 'X/Z/U*':
      return facts.sequence ? 'U*' : 'Z';
    default:
      return action;
  }
}

/**
 * The action for one element: the table action under the options, with compound codes resolved.
 *
 * @example
 * resolveAction(findProfileRow(tag(0x0010, 0x0010))!, new Set(), { empty: false, sequence: false }); // 'Z'
 */
export function resolveAction(row: ProfileRow, options: ReadonlySet<DeidOption>, facts: ElementFacts): ResolvedAction {
  return resolveCompound(tableAction(row, options), facts);
}
