/**
 * "C" (clean) for text, PS3.15 E.3.5 Clean Descriptors Option: "any information that is
 * identifying ... shall be removed, but information that is not identifying ... retained".
 * Courier cannot understand free text, so it keeps a value only when it passes every check below,
 * and otherwise falls back to the Basic Profile's action for the attribute (remove, empty or
 * dummy). The checks compare bytes (see text-value.ts), case-insensitively for ASCII:
 *
 * 1. it contains none of the identifiers found anywhere in the same instance, at any depth: any
 *    part (two letters or more) of any person name (every PN value: patient, other names, birth
 *    names, physicians, operators, observers), Patient ID, Other Patient IDs, Issuer of Patient
 *    ID, Accession Number, Requested Procedure ID, Patient's Birth Date in the forms YYYYMMDD,
 *    YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY;
 * 2. it holds nothing that looks like a date (8 digits starting 19/20, or d/m/y with separators,
 *    or a month name with a day or year next to it);
 * 3. it holds nothing that looks like a person's name: a PN caret ("Doe^Jane"), or a title
 *    (Dr, Prof, Mr, Mrs, Ms, Herr, Frau) followed by a capitalised word;
 * 4. it holds no e-mail address or phone-like run of 7 or more digits.
 *
 * Examples that pass: "CT THORAX W/O CONTRAST", "AX T1 POST GD", "Planning CT 2.5mm".
 * Examples that fail: "CT for DOE JANE", "f/u 03/04/2021", "Dr. Smith protocol", "MRN 1234567".
 */

/**
 * The identifying strings of one instance the cleaner looks for, as byte-preserving strings.
 *
 * @example
 * const ids: Identifiers = { tokens: ['DOE', 'JANE', 'PID123', '19700101'] };
 */
export interface Identifiers {
  readonly tokens: readonly string[];
}

const MONTHS =
  'jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember';
const DATE_PATTERNS: readonly RegExp[] = [
  /(?<!\d)(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)/,
  /(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?!\d)/,
  new RegExp(`(?<![a-z])(${MONTHS})(?![a-z])\\.?\\s*\\d{1,4}`, 'i'),
  new RegExp(`\\d{1,2}\\.?\\s*(${MONTHS})(?![a-z])`, 'i'),
];
const NAME_PATTERNS: readonly RegExp[] = [/\^/, /(?<![A-Za-z])(dr|prof|mr|mrs|ms|miss|herr|frau|mme|mlle)\.?\s+[A-Z]/i];
const CONTACT_PATTERNS: readonly RegExp[] = [/[^\s@]+@[^\s@]+\.[a-z]{2,}/i, /\d[\d ()/-]{5,}\d/];

function isAsciiLetterOrDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Word-boundary containment: "ANN" is found in "ANN SMITH" but not in "ANNOTATION". */
function containsToken(haystack: string, token: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(token, from);
    if (at < 0) return false;
    const before = at === 0 ? 0 : haystack.charCodeAt(at - 1);
    const after = at + token.length >= haystack.length ? 0 : haystack.charCodeAt(at + token.length);
    if (!isAsciiLetterOrDigit(before) && !isAsciiLetterOrDigit(after)) return true;
    from = at + 1;
  }
}

/**
 * Splits names and IDs into the tokens the cleaner searches for (upper-cased ASCII, two
 * characters or more; a PN's components and the words inside them, PS3.5 6.2.1), plus the
 * common spellings of a birth date.
 *
 * @example
 * identifierTokens({ names: ['Doe^Jane Mary'], ids: ['PID-7'], dates: ['19700102'] }).tokens;
 * // ['DOE', 'JANE', 'MARY', 'PID-7', '19700102', '1970-01-02', '02.01.1970', '02/01/1970', '01/02/1970']
 */
export function identifierTokens(input: {
  names: readonly string[];
  ids: readonly string[];
  dates: readonly string[];
}): Identifiers {
  const tokens = new Set<string>();
  for (const name of input.names) {
    for (const part of name.split(/[\^=\\\s,]+/)) if (part.length >= 2) tokens.add(part.toUpperCase());
  }
  for (const id of input.ids) {
    for (const part of id.split('\\')) if (part.trim().length >= 2) tokens.add(part.trim().toUpperCase());
  }
  for (const d of input.dates) {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d.trim());
    if (!m) continue;
    const [, y, mo, da] = m;
    for (const s of [
      `${y}${mo}${da}`,
      `${y}-${mo}-${da}`,
      `${da}.${mo}.${y}`,
      `${da}/${mo}/${y}`,
      `${mo}/${da}/${y}`,
    ]) {
      tokens.add(s);
    }
  }
  return { tokens: [...tokens] };
}

/**
 * True when a text value may be kept under a Clean option (see the rules at the top of this file).
 *
 * @example
 * isCleanText('CT THORAX W/O CONTRAST', ids); // true
 * isCleanText('CT for DOE JANE', ids);        // false when DOE or JANE is one of ids' tokens
 */
export function isCleanText(value: string, ids: Identifiers): boolean {
  const upper = value.toUpperCase();
  for (const token of ids.tokens) if (containsToken(upper, token)) return false;
  for (const p of DATE_PATTERNS) if (p.test(value)) return false;
  for (const p of NAME_PATTERNS) if (p.test(value)) return false;
  for (const p of CONTACT_PATTERNS) if (p.test(value)) return false;
  return true;
}
