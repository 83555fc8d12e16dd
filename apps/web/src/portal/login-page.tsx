import { ApiError } from '@courier/api';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { LanguageSwitch } from './language-switch.js';
import { logIn } from './session.js';

/**
 * The login form. A wrong password gets one neutral message (no hint whether the user exists).
 *
 * @example
 * <LoginPage next="/pacs" />
 */
export function LoginPage({ next }: { next: string }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(queryClient, username.trim(), password);
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (caught) {
      setPassword('');
      if (caught instanceof ApiError && caught.code === 'RATE_LIMITED') setError(t('login.rateLimited'));
      else if (caught instanceof ApiError && caught.code === 'INVALID_CREDENTIALS') setError(t('login.wrong'));
      else setError(t('common.error', { message: caught instanceof Error ? caught.message : String(caught) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="login-head">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </div>
        <h1>{t('login.title')}</h1>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            data-testid="login-username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            data-testid="login-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
        </label>
        {error !== null && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
