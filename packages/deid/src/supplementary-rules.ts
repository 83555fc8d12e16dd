import { type DictionaryEntry, lookupTag, type Tag } from '@courier/dicom';
import type { ProfileRow } from './profile-row.js';

/**
 * Courier's own rows for standard attributes that PS3.15 Table E.1-1 (2024e) does not list but that
 * can identify someone (found by checking every PS3.6 attribute whose VR or name suggests a person,
 * an identifier, a date of the patient or free text). Applied after the table, before the
 * whitelist; written like table rows so options and compound resolution work the same way.
 *
 * | attributes | basic | option | why |
 * | --- | --- | --- | --- |
 * | every PN attribute not in the table, e.g. Secondary Reviewer Name (0014,0104), Evaluator Name (0014,2006), Document Author (Trial) (0040,A067) | Z | — | a person's name |
 * | Patient's Birth / Death Date in Alternative Calendar (0010,0033) (0010,0034) | X | — | like Patient's Birth Date, which no option keeps |
 * | Issuer of Patient ID Qualifiers (0010,0024), Source Patient Group / Group of Patients Identification (0010,0026) (0010,0027) Sequences | X | — | patient identifiers and their issuers |
 * | Requesting Physician Identification Sequence (0032,1031) | X | — | a person, like Referring Physician Identification Sequence (0008,0096) |
 * | Patient Clinical Trial Participation Sequence (0038,0502) | X | — | the subject's IDs in other trials |
 * | Encrypted Attributes Sequence (0400,0500) | X | — | the original attributes, encrypted (PS3.15 E.1.2): ciphertext of the identity still leaves the site |
 * | Graphic Layer Description (0070,0068), Graphic Group Description (0070,0208) (Type 3, PS3.3 C.10.7, C.10.x Graphic Group) | X | Clean Graphics: C | free text of a presentation state's graphics, which E.3.3 asks to clean with the Graphic Annotation Sequence |
 * | Graphic Group Label (0070,0207) (Type 1) | D | Clean Graphics: C | as above; Type 1, so a dummy rather than removal |
 * | Content Description (0070,0081) (Content Identification Macro, PS3.3 Table 10-12, Type 2) | Z | Clean Descriptors: C | a free-text description of a presentation state, SR or segmentation, like Series Description |
 * | every text attribute (LO, SH, ST, LT, UT, UC) whose keyword ends in Comment(s), e.g. Dose Comment (3004,0006), Treatment Status Comment (3008,0202) | X | Clean Descriptors: C | free text, like the table's comment rows |
 */
const EXACT: ReadonlyMap<Tag, Pick<ProfileRow, 'basic' | 'options'>> = new Map([
  [0x00100033, { basic: 'X', options: {} }],
  [0x00100034, { basic: 'X', options: {} }],
  [0x00100024, { basic: 'X', options: {} }],
  [0x00100026, { basic: 'X', options: {} }],
  [0x00100027, { basic: 'X', options: {} }],
  [0x00321031, { basic: 'X', options: {} }],
  [0x00380502, { basic: 'X', options: {} }],
  [0x04000500, { basic: 'X', options: {} }],
  [0x00700068, { basic: 'X', options: { cleanGraphOpt: 'C' } }],
  [0x00700207, { basic: 'D', options: { cleanGraphOpt: 'C' } }],
  [0x00700208, { basic: 'X', options: { cleanGraphOpt: 'C' } }],
  [0x00700081, { basic: 'Z', options: { cleanDescOpt: 'C' } }],
]);

const FREE_TEXT = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

function row(t: Tag, name: string, rule: Pick<ProfileRow, 'basic' | 'options'>): ProfileRow {
  return { tag: t, mask: 0xffffffff, name, inStdCompIOD: true, ...rule };
}

const memo = new Map<Tag, ProfileRow | null>();

/**
 * The supplementary row for a standard attribute Table E.1-1 does not list, or undefined.
 *
 * @example
 * supplementaryRow(tag(0x3004, 0x0006))?.basic; // 'X' (Dose Comment)
 * supplementaryRow(tag(0x0014, 0x2006))?.basic; // 'Z' (Evaluator Name)
 */
export function supplementaryRow(t: Tag, given?: DictionaryEntry): ProfileRow | undefined {
  const known = memo.get(t);
  if (known !== undefined) return known ?? undefined;
  // The dictionary is consulted only on the first sight of a tag (the memo answers after that).
  const entry = given ?? lookupTag(t);
  let found: ProfileRow | undefined;
  const exact = EXACT.get(t);
  if (exact !== undefined) found = row(t, entry?.name ?? 'supplementary', exact);
  else if (entry?.vrs.includes('PN')) found = row(t, entry.name, { basic: 'Z', options: {} });
  else if (entry !== undefined && FREE_TEXT.has(entry.vr) && /Comments?$/.test(entry.keyword)) {
    found = row(t, entry.name, { basic: 'X', options: { cleanDescOpt: 'C' } });
  }
  memo.set(t, found ?? null);
  return found;
}
