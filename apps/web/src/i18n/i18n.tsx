import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { MessageKey } from './messages-en.js';
import { LANGUAGES, type Language, translate } from './translate.js';

const STORAGE_KEY = 'courier.language';

/** What components read from the language context. */
export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  if (stored !== null && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/**
 * Provides the language (remembered in localStorage, shared with the Uploader window of the same
 * origin) and the `t` function.
 *
 * @example
 * <I18nProvider><App /></I18nProvider>
 */
export function I18nProvider({ children }: { children: ReactNode }): ReactNode {
  const [language, setState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * The language context.
 *
 * @example
 * const { t } = useI18n();
 * return <h1>{t('login.title')}</h1>;
 */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}
