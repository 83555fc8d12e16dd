import type { Language } from '../i18n/translate.js';

// The upload dialog's words, EN and DE, kept beside the dialog (the German record must have every
// English key or it does not compile, as in src/i18n).
const EN = {
  title: 'Upload',
  analysed: 'Analysed',
  uploaded: 'Uploaded',
  verified: 'Verified',
  progress: 'Upload progress',
  retry: 'Retry',
  retryHint: 'The upload stopped. What the Portal already holds is kept: Retry sends only the rest.',
  logFile: 'LogFile',
  finish: 'Finish',
  done: 'The study is verified and assigned to the slot. You can close this window.',
  errors: 'Errors',
  file: 'File',
  step: 'Step',
  reason: 'Reason',
  loginRequired: 'Your Portal session has ended. Log in again in the Portal, then press Connect: the upload goes on.',
  openLogin: 'Open the Portal login',
  connect: 'Connect',
  overwriteTitle: 'The slot already holds a study',
  overwriteText: 'Uploading replaces the study {uid} in this slot (the Portal keeps it in the history).',
  overwriteConfirm: 'Yes, replace it',
  running: 'Uploading…',
  missingFile: 'file(s) of the selection are no longer available; drop the folder again',
} as const;

type UploadTextKey = keyof typeof EN;

const DE: Record<UploadTextKey, string> = {
  title: 'Hochladen',
  analysed: 'Analysiert',
  uploaded: 'Hochgeladen',
  verified: 'Verifiziert',
  progress: 'Fortschritt',
  retry: 'Wiederholen',
  retryHint:
    'Der Upload wurde unterbrochen. Was das Portal bereits hat, bleibt erhalten: Wiederholen sendet nur den Rest.',
  logFile: 'LogFile',
  finish: 'Fertig',
  done: 'Die Studie ist verifiziert und dem Slot zugeordnet. Sie können dieses Fenster schließen.',
  errors: 'Fehler',
  file: 'Datei',
  step: 'Schritt',
  reason: 'Grund',
  loginRequired:
    'Ihre Portal-Sitzung ist abgelaufen. Melden Sie sich im Portal erneut an und drücken Sie dann Verbinden: der Upload geht weiter.',
  openLogin: 'Portal-Anmeldung öffnen',
  connect: 'Verbinden',
  overwriteTitle: 'Der Slot enthält bereits eine Studie',
  overwriteText: 'Das Hochladen ersetzt die Studie {uid} in diesem Slot (das Portal behält sie in der Historie).',
  overwriteConfirm: 'Ja, ersetzen',
  running: 'Wird hochgeladen…',
  missingFile: 'Datei(en) der Auswahl sind nicht mehr verfügbar; bitte den Ordner erneut ablegen',
};

/**
 * A text of the upload dialog in a language, `{name}` placeholders filled.
 *
 * @example
 * uploadText('de', 'verified'); // 'Verifiziert'
 */
export function uploadText(language: Language, key: UploadTextKey, values: Record<string, string> = {}): string {
  const text = language === 'de' ? DE[key] : EN[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
