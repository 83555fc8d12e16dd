import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useActiveStudy } from './use-active-study.js';

/**
 * The landing page after login.
 *
 * @example
 * <HomePage />
 */
export function HomePage(): ReactNode {
  const { t } = useI18n();
  const { me, study } = useActiveStudy();
  return (
    <div className="page" data-testid="home-page">
      <h1>{t('home.welcome', { name: me.user.displayName })}</h1>
      <p>{study === undefined ? t('home.noStudy') : t('home.hint')}</p>
    </div>
  );
}
