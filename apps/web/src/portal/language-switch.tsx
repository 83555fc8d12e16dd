import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { LANGUAGES } from '../i18n/translate.js';

/**
 * EN/DE buttons; the pressed one is the current language.
 *
 * @example
 * <LanguageSwitch />
 */
export function LanguageSwitch(): ReactNode {
  const { language, setLanguage, t } = useI18n();
  return (
    <fieldset className="language-switch" aria-label={t('app.language')} data-testid="language-switch">
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          data-testid={`language-${code}`}
          aria-pressed={language === code}
          lang={code}
          onClick={() => setLanguage(code)}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}
