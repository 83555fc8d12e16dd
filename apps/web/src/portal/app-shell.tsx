import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Dialog } from '../components/dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { LanguageSwitch } from './language-switch.js';
import { abilities, logOut, switchStudy } from './session.js';
import { useUploadBroadcast } from './upload-broadcast.js';
import { useActiveStudy } from './use-active-study.js';

/**
 * The Portal frame: header (user, "My account", language, logout), the active study above the menu with
 * "change study", the menu, and the page.
 *
 * @example
 * <AppShell><SubjectsEventsDicomPage /></AppShell>
 */
export function AppShell({ children }: { children: ReactNode }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const { me, study, studies } = useActiveStudy();
  const { path } = useLocation();
  const [choosing, setChoosing] = useState(false);
  const can = abilities(me, study);
  // The Uploader window says when it assigned a study: the DICOM tab refreshes at once.
  useUploadBroadcast();

  const menuLink = (to: string, label: string, testId: string) => (
    <li>
      <Link to={to} data-testid={testId} aria-current={path.startsWith(to) ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );

  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <span className="spacer" />
        <span className="user" data-testid="current-user">
          {t('shell.loggedInAs', { name: me.user.displayName })}
        </span>
        <Link
          to="/account"
          className="account-link"
          data-testid="menu-account"
          aria-current={path.startsWith('/account') ? 'page' : undefined}
        >
          {t('shell.account')}
        </Link>
        <LanguageSwitch />
        <button
          type="button"
          data-testid="logout"
          onClick={async () => {
            await logOut(queryClient);
            navigate('/login', { replace: true });
          }}
        >
          {t('shell.logout')}
        </button>
      </header>
      <nav className="sidebar" aria-label="Menu">
        <section className="study-box" data-testid="active-study">
          <div className="label">{t('shell.activeStudy')}</div>
          <div className="study-name" data-testid="active-study-name">
            {study === undefined ? t('shell.noStudy') : study.identifier}
          </div>
          {study !== undefined && <div className="study-title">{study.name}</div>}
          {studies.length > 1 && (
            <button type="button" className="link" data-testid="change-study" onClick={() => setChoosing(true)}>
              {t('shell.changeStudy')}
            </button>
          )}
        </section>
        {study !== undefined && (
          <>
            <div className="menu-group">{t('menu.pacs')}</div>
            <ul className="menu">{menuLink('/pacs', t('menu.subjectsEventsDicom'), 'menu-subjects-events-dicom')}</ul>
            {(can.setUp || can.readAudit) && <div className="menu-group" />}
            <ul className="menu">
              {can.setUp && menuLink('/setup', t('menu.setup'), 'menu-setup')}
              {can.readAudit && menuLink('/audit', t('menu.audit'), 'menu-audit')}
            </ul>
          </>
        )}
      </nav>
      <main className="content">{children}</main>
      <Dialog open={choosing} title={t('shell.chooseStudy')} testId="study-chooser" onClose={() => setChoosing(false)}>
        <ul className="study-list">
          {studies.map((candidate) => (
            <li key={candidate.id}>
              <button
                type="button"
                data-testid="study-option"
                aria-current={candidate.id === study?.id}
                onClick={async () => {
                  await switchStudy(queryClient, candidate.id);
                  setChoosing(false);
                  navigate('/', { replace: true });
                }}
              >
                <strong>{candidate.identifier}</strong> {candidate.name}
              </button>
            </li>
          ))}
        </ul>
      </Dialog>
    </div>
  );
}
