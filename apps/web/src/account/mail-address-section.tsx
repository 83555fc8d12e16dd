import { ApiError, getMyMailAddress, setMyMailAddress } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { call } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSave } from '../setup/use-save.js';

/**
 * The user's own address for upload notifications (`PUT /api/me/mail-address`; the Portal
 * validates it, lower-cases it and audits the change). An empty field removes the address.
 *
 * @example
 * <MailAddressSection />
 */
export function MailAddressSection(): ReactNode {
  const { t } = useI18n();
  const save = useSave();
  const address = useQuery({ queryKey: ['my-mail-address'], queryFn: () => call(getMyMailAddress) });
  const [email, setEmail] = useState('');
  const hintId = useId();
  useEffect(() => {
    if (address.data !== undefined) setEmail(address.data.email ?? '');
  }, [address.data]);
  return (
    <section aria-labelledby="account-mail-title" data-testid="account-mail">
      <h2 id="account-mail-title">{t('account.mail')}</h2>
      <p className="hint" id={hintId}>
        {t('account.mailHint')}
      </p>
      <form
        className="inline-form"
        data-testid="account-mail-form"
        data-state={address.isLoading ? 'loading' : 'loaded'}
        onSubmit={async (event) => {
          event.preventDefault();
          const value = email.trim();
          await save.run(
            () => call(setMyMailAddress, { body: { email: value === '' ? null : value } }),
            [['my-mail-address']],
          );
        }}
      >
        <label>
          {t('account.mailAddress')}
          <input
            type="email"
            data-testid="account-mail-address"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="email"
            aria-describedby={hintId}
            maxLength={254}
          />
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="account-mail-save">
          {t('common.save')}
        </button>
      </form>
      {address.error && <ErrorText error={address.error} />}
      {save.error instanceof ApiError && save.error.code === 'VALIDATION_FAILED' ? (
        <p className="error" role="alert" data-testid="account-mail-invalid">
          {t('account.mailInvalid')}
        </p>
      ) : (
        save.error !== null && <ErrorText error={save.error} />
      )}
    </section>
  );
}
