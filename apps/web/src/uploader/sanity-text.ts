import type { SanityCheckCode, SanityCheckResult } from '@courier/uploader';
import type { Language } from '../i18n/translate.js';

// German texts of the sanity findings; English is the scan library's own message. A Record over
// every code, so a new check without a German text does not compile.
const GERMAN: Record<SanityCheckCode, string> = {
  SANITY_NO_SERIES_SELECTED: 'Keine Serie ist ausgewählt.',
  SANITY_PATIENT_SEX_MISMATCH: 'Patient’s Sex (0010,0040) weicht vom Geschlecht des Probanden ab.',
  SANITY_PATIENT_SEX_MISSING: 'Patient’s Sex (0010,0040) ist leer und kann nicht verglichen werden.',
  SANITY_BIRTH_DATE_MISMATCH: 'Patient’s Birth Date (0010,0030) weicht vom Geburtsdatum des Probanden ab.',
  SANITY_BIRTH_DATE_MISSING: 'Patient’s Birth Date (0010,0030) ist leer und kann nicht verglichen werden.',
  SANITY_MULTIPLE_PATIENT_IDS:
    'Die gewählten Serien enthalten mehr als eine Patient ID (0010,0020): Daten mehrerer Patienten könnten vermischt sein.',
  SANITY_MULTIPLE_PATIENT_NAMES: 'Die gewählten Serien enthalten mehr als einen Patient’s Name (0010,0010).',
  SANITY_MULTIPLE_BIRTH_DATES: 'Die gewählten Serien enthalten mehr als ein Patient’s Birth Date (0010,0030).',
  SANITY_MULTIPLE_STUDIES: 'Die gewählten Serien gehören zu mehr als einer Studie (Study Instance UID).',
  SANITY_MULTIPLE_STUDY_DATES: 'Die gewählten Serien enthalten mehr als ein Study Date (0008,0020).',
  SANITY_MULTIPLE_STUDY_DESCRIPTIONS: 'Die gewählten Serien enthalten mehr als eine Study Description (0008,1030).',
  SANITY_STUDY_DATE_OUTSIDE_WINDOW: 'Study Date (0008,0020) liegt zu weit vom Datum der Visite entfernt.',
  SANITY_STUDY_DATE_MISSING:
    'Study Date (0008,0020) ist leer und kann nicht mit dem Datum der Visite verglichen werden.',
  SANITY_UNEXPECTED_MODALITY: 'Der Slot erwartet keine Serien dieser Modalität.',
  SANITY_REFERENCED_SERIES_MISSING:
    'Von den gewählten Serien referenzierte Objekte sind nicht Teil des Uploads: der RT-Satz ist unvollständig.',
  SANITY_REFERENCED_INSTANCES_MISSING:
    'Einige von den gewählten Serien referenzierte Bilder fehlen in ihrer Serie: die Serie ist unvollständig.',
  SANITY_BURNED_IN_ANNOTATION:
    'Burned In Annotation (0028,0301) ist YES: die Pixel können identifizierenden Text zeigen, den die Header-De-Identifizierung nicht entfernt.',
  SANITY_SECONDARY_CAPTURE:
    'Secondary-Capture- oder Bildschirmfoto-Bilder: die Pixel können einen Namen oder anderen identifizierenden Text zeigen.',
  SANITY_ENCRYPTED_ATTRIBUTES:
    'Encrypted Attributes Sequence (0400,0500) ist vorhanden: ihr Inhalt kann weder geprüft noch de-identifiziert werden.',
  SANITY_DEID_CONFIGURATION: 'Konfiguration der De-Identifizierung fehlerhaft.',
};

/**
 * A sanity finding in the app's language.
 *
 * @example
 * sanityText('de', result); // 'Patient’s Sex (0010,0040) weicht vom Geschlecht des Probanden ab.'
 */
export function sanityText(language: Language, result: SanityCheckResult): string {
  if (language !== 'de') return result.message;
  // The configuration finding carries the server's own detail after the colon; keep it.
  if (result.code === 'SANITY_DEID_CONFIGURATION') return `${GERMAN[result.code]} ${result.message}`;
  return GERMAN[result.code];
}
