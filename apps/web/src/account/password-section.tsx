import { ApiError, changePassword } from '@courier/api';
import { type ReactNode, useState } from 'react';
import { call } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';

/** The Portal's minimum (packages/api ChangePasswordRequestSchema). */
const MIN_LENGTH = 12;

/**
 * Change one's password (`POST /api/me/password`): the current one, the new one twice. The Portal
 * checks the current password (a failure counts towards the login rate limit) and ends the user's
 * other sessions; this one stays logged in.
 *
 * @example
 * <PasswordSection />
 */
export function PasswordSection(): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <section aria-labelledby="account-password-title" data-testid="account-password">
      <h2 id="account-password-title">{t('account.password')}</h2>
      <form
        className="inline-form"
        data-testid="account-password-form"
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          if (next.length < MIN_LENGTH) return setProblem(t('account.passwordTooShort', { min: MIN_LENGTH }));
          if (next !== repeat) return setProblem(t('account.passwordMismatch'));
          setProblem(null);
          setBusy(true);
          try {
            await call(changePassword, { body: { currentPassword: current, newPassword: next } });
            setCurrent('');
            setNext('');
            setRepeat('');
            toast(t('account.passwordChanged'));
          } catch (caught) {
            if (caught instanceof ApiError && caught.code === 'INVALID_CREDENTIALS') {
              setProblem(t('account.passwordWrong'));
            } else setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          {t('account.currentPassword')}
          <input
            type="password"
            data-testid="account-current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        <label>
          {t('account.newPassword')}
          <input
            type="password"
            data-testid="account-new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            minLength={MIN_LENGTH}
            required
          />
        </label>
        <label>
          {t('account.repeatPassword')}
          <input
            type="password"
            data-testid="account-repeat-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            required
          />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="account-password-save">
          {t('account.changePassword')}
        </button>
      </form>
      {problem !== null && (
        <p className="error" role="alert" data-testid="account-password-problem">
          {problem}
        </p>
      )}
      {error !== null && <ErrorText error={error} />}
    </section>
  );
}
