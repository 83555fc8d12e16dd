import { IGNORED_REASONS, type IgnoredReason } from '@courier/uploader';
import type { Language } from '../i18n/translate.js';

const GERMAN: Record<IgnoredReason, string> = {
  IGNORED_NOT_DICOM: 'Keine DICOM-Datei.',
  IGNORED_DICOMDIR: 'DICOMDIR: ein Verzeichnis der übrigen Dateien einer CD oder eines USB-Sticks, kein Bild.',
  IGNORED_UNREADABLE: 'Eine beschädigte oder abgeschnittene DICOM-Datei, die nicht gelesen werden kann.',
  IGNORED_READ_FAILED: 'Die Datei konnte nicht gelesen werden (verschoben, gelöscht oder nicht erlaubt).',
  IGNORED_HEADER_TOO_LARGE: 'Der DICOM-Header ist größer, als der Scanner annimmt.',
  IGNORED_UNSUPPORTED_SOP_CLASS: 'Kein speicherbares Bild- oder RT-Objekt (nicht unterstützte SOP-Klasse).',
  IGNORED_MISSING_UIDS: 'Erforderliche Kennungen (UIDs) fehlen, die Datei lässt sich keiner Studie zuordnen.',
  IGNORED_DUPLICATE_INSTANCE: 'Eine andere Datei hat dieselbe SOP Instance UID, aber anderen Inhalt.',
  IGNORED_ARCHIVE_UNREADABLE: 'Ein ZIP-Archiv (oder ein Teil davon), das sich nicht öffnen lässt.',
};

/**
 * The user-facing reason a file was ignored, in the app's language (English is the scan library's
 * own catalogue text, so the two never drift).
 *
 * @example
 * ignoredText('de', 'IGNORED_NOT_DICOM'); // 'Keine DICOM-Datei.'
 */
export function ignoredText(language: Language, reason: IgnoredReason): string {
  return language === 'de' ? (GERMAN[reason] ?? IGNORED_REASONS[reason]) : IGNORED_REASONS[reason];
}

/**
 * Bytes for people: `1.4 MB`, `820 kB`, `12 B` (decimal units, as file managers show them).
 *
 * @example
 * formatBytes(1_400_000, 'en'); // '1.4 MB'
 */
export function formatBytes(bytes: number, language: Language): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}
