/**
 * The attribute name most keywords were made from (PS3.6 6: keywords are names without spaces and
 * punctuation): a space before each capital that starts a word, "PatientID" → "Patient ID".
 * The generated dictionary stores a name only where this rule does not give it back.
 *
 * @example
 * nameFromKeyword('StudyInstanceUID'); // "Study Instance UID"
 */
export function nameFromKeyword(keyword: string): string {
  return keyword.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}
