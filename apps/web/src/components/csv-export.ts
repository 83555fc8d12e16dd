/** A cell value of an exported table. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP "CSV
 * Injection"): `=`, `+`, `-`, `@`, and tab / carriage return, which some spreadsheets strip before
 * looking at the next character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as RFC 4180 text: a text beginning with a formula character gets a leading `'` so it
 * stays text in Excel and LibreOffice; a cell with a comma, quote, CR or LF is quoted with inner
 * quotes doubled. Numbers are written as they are (a negative number is a number, not a formula).
 *
 * @example
 * csvCell('=HYPERLINK("x")'); // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A whole table as CSV (RFC 4180: comma-separated, CRLF line ends, header first).
 *
 * @example
 * toCsv(['Label', 'Sex'], [['S01-001', 'F']]); // 'Label,Sex\r\nS01-001,F\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

/** The byte order mark Excel needs to read a CSV file as UTF-8 (umlauts, accents). */
export const UTF8_BOM = '\uFEFF';

/**
 * The file of a table: BOM + CSV, as a Blob of type text/csv.
 *
 * @example
 * const blob = csvBlob(['Label'], [['S01-001']]);
 */
export function csvBlob(header: readonly string[], rows: readonly (readonly CsvCell[])[]): Blob {
  return new Blob([UTF8_BOM, toCsv(header, rows)], { type: 'text/csv;charset=utf-8' });
}

/**
 * Offers a table as a CSV download (an object URL clicked through a temporary link).
 *
 * @example
 * downloadCsv('subjects.csv', ['Label', 'Sex'], subjects.map((s) => [s.label, s.sex]));
 */
export function downloadCsv(fileName: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]): void {
  const url = URL.createObjectURL(csvBlob(header, rows));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A file name for an export: the table name and today's date, e.g. `subjects-2026-11-25.csv`.
 *
 * @example
 * csvFileName('subjects', 'FIX-01'); // 'FIX-01-subjects-2026-11-25.csv'
 */
export function csvFileName(table: string, prefix?: string, now: Date = new Date()): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_');
  const date = now.toISOString().slice(0, 10);
  return `${prefix === undefined ? '' : `${safe(prefix)}-`}${safe(table)}-${date}.csv`;
}
