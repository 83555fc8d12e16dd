/**
 * A DICOM DA value (PS3.5 6.2, `YYYYMMDD`) as an ISO date `YYYY-MM-DD`; anything else unchanged
 * (the legacy `YYYY.MM.DD` form of ACR-NEMA is converted too).
 *
 * @example
 * formatDicomDate('20260302'); // '2026-03-02'
 */
export function formatDicomDate(value: string | undefined): string {
  if (value === undefined) return '';
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  return match === null ? value : `${match[1]}-${match[2]}-${match[3]}`;
}

/**
 * A DICOM TM value (PS3.5 6.2, `HHMMSS.FFFFFF`, trailing components optional) as `HH:MM[:SS]`.
 *
 * @example
 * formatDicomTime('101500.123'); // '10:15:00'
 */
export function formatDicomTime(value: string | undefined): string {
  if (value === undefined) return '';
  const match = /^(\d{2})(\d{2})?(\d{2})?(\.\d+)?$/.exec(value.trim());
  if (match === null) return value;
  return [match[1], match[2] ?? '00', match[3]].filter((part) => part !== undefined).join(':');
}
