import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useActiveStudy } from '../portal/use-active-study.js';
import { ApiTokensSection } from './api-tokens-section.js';
import { MailAddressSection } from './mail-address-section.js';
import { PasswordSection } from './password-section.js';
import { ProfileSection } from './profile-section.js';
import './account.css';

/**
 * "My account" (`/account`), for every user whatever their role, site uploaders included: who they
 * are and their roles per study, their address for notifications, their password, and their
 * personal API tokens for the `courier` command line. Token logins (the CLI) have no session, so
 * the password section is shown only to a browser session; the Portal refuses it to tokens anyway.
 *
 * @example
 * <AccountPage />
 */
export function AccountPage(): ReactNode {
  const { t } = useI18n();
  const { me, studies } = useActiveStudy();
  return (
    <div className="page account-page" data-testid="account-page">
      <h1>{t('account.title')}</h1>
      <ProfileSection me={me} studies={studies} />
      <MailAddressSection />
      {me.authenticatedBy === 'session' && <PasswordSection />}
      <ApiTokensSection />
    </div>
  );
}
