/**
 * Date shifting for the Retain Longitudinal Temporal Information with Modified Dates Option
 * (PS3.15 E.3.6): every DA and DT value of one subject is moved by the same whole number of days
 * (the subject's offset, from the Portal), so intervals between dates survive. TM values are
 * left unchanged: a time of day without its date identifies no one, and shifting whole days keeps
 * it exact. Partial precision is kept: "YYYY" and "YYYYMM" are shifted from their first day and
 * written back at the same precision. Unparseable values return undefined (the caller then falls
 * back to the Basic Profile's action).
 */

const DAY_MS = 86_400_000;

function shiftYmd(ymd: string, days: number): string | undefined {
  if (!/^\d{4}(\d{2}(\d{2})?)?$/.test(ymd)) return undefined;
  const y = Number(ymd.slice(0, 4));
  const m = ymd.length >= 6 ? Number(ymd.slice(4, 6)) : 1;
  const d = ymd.length === 8 ? Number(ymd.slice(6, 8)) : 1;
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  const out = `${String(date.getUTCFullYear()).padStart(4, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
  if (date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return undefined;
  return out.slice(0, ymd.length);
}

/**
 * Shifts a DA value (one or more dates, backslash-separated; a range "A-B" shifts both ends).
 *
 * @example
 * shiftDate('20240301', -1);   // '20240229'
 * shiftDate('202403', 40);     // '202404'
 */
export function shiftDate(value: string, days: number): string | undefined {
  const parts: string[] = [];
  for (const one of value.trim().split('\\')) {
    const ends = one.trim().split('-');
    const shifted: string[] = [];
    for (const end of ends) {
      if (end === '' && ends.length === 2) {
        shifted.push('');
        continue;
      }
      const s = shiftYmd(end, days);
      if (s === undefined) return undefined;
      shifted.push(s);
    }
    parts.push(shifted.join('-'));
  }
  return parts.join('\\');
}

/**
 * Shifts a DT value: the date part (first 4, 6 or 8 digits) moves, the time, fraction and UTC
 * offset are kept.
 *
 * @example
 * shiftDateTime('20240301123000.5+0100', 1); // '20240302123000.5+0100'
 */
export function shiftDateTime(value: string, days: number): string | undefined {
  const parts: string[] = [];
  for (const one of value.trim().split('\\')) {
    const m = /^(\d{4}(?:\d{2}(?:\d{2})?)?)(.*)$/.exec(one.trim());
    if (!m) return undefined;
    const date = shiftYmd(m[1] ?? '', days);
    if (date === undefined) return undefined;
    parts.push(`${date}${m[2] ?? ''}`);
  }
  return parts.join('\\');
}
