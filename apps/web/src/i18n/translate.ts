import { MESSAGES_DE } from './messages-de.js';
import { MESSAGES_EN, type MessageKey } from './messages-en.js';

/** The languages of the app. */
export const LANGUAGES: readonly ['en', 'de'] = ['en', 'de'];
/** A language of the app. */
export type Language = (typeof LANGUAGES)[number];

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en: MESSAGES_EN, de: MESSAGES_DE };

/**
 * The text of a key in a language, with `{name}` placeholders filled; a placeholder without a value
 * stays visible so a missing value is noticed rather than hidden.
 *
 * @example
 * translate('de', 'toast.eventsLoaded', { count: 3, label: 'S01-001' }); // 'Visiten geladen: 3 für Proband S01-001'
 */
export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return DICTIONARIES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * Formats an ISO instant for the language (local time zone), e.g. `25.11.2026, 13:05`.
 *
 * @example
 * formatDateTime('en', '2026-11-25T12:05:00.000Z');
 */
export function formatDateTime(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
