import type { AttributeType } from './iod-types.js';
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
 * value cannot be a Type 1 value of a valid instance, PS3.5 7.4, so Z is as conformant as D there),
 * and its Type in the instance's IOD when known (src/iod-types.ts; top-level attributes only).
 *
 * @example
 * const e: ElementFacts = { empty: false, sequence: false, type: '3' };
 */
export interface ElementFacts {
  readonly empty: boolean;
  readonly sequence: boolean;
  readonly type?: AttributeType | undefined;
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
 * Resolves a compound code to one action. PS3.15 E.1.1: X/Z, X/D, Z/D and X/Z/D mean "the first
 * unless the next is required to maintain IOD conformance" (Type 3 versus 2 versus 1). With the
 * attribute's Type in the instance's IOD (`facts.type`):
 *
 * | code  | Type 1 | Type 2 | Type 3 |
 * | ----- | ------ | ------ | ------ |
 * | X/Z   | Z      | Z      | X      |
 * | X/D   | D      | D      | X      |
 * | Z/D   | D      | Z      | Z      |
 * | X/Z/D | D      | Z      | X      |
 *
 * (D becomes Z when the value is already empty: it then cannot be a Type 1 value.) Without the
 * Type — an IOD not in the tables, or an attribute its modules do not list — Courier takes the
 * choice that is conformant for every Type and leaks nothing:
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
  const dummy: ResolvedAction = facts.empty ? 'Z' : 'D';
  if (facts.type !== undefined && action !== 'X/Z/U*') {
    const type = facts.type;
    switch (action) {
      case 'X/Z':
        return type === '3' ? 'X' : 'Z';
      case 'X/D':
        return type === '3' ? 'X' : dummy;
      case 'Z/D':
        return type === '1' ? dummy : 'Z';
      case 'X/Z/D':
        return type === '3' ? 'X' : type === '2' ? 'Z' : dummy;
    }
  }
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
