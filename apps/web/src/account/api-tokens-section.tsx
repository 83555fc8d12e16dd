import { type ApiTokenCreated, type ApiTokenView, createApiToken, listApiTokens, revokeApiToken } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { Dialog } from '../components/dialog.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDateTime } from '../i18n/translate.js';
import { useSave } from '../setup/use-save.js';
import { cliLoginLine } from './cli-login-line.js';
import { CopyButton } from './copy-button.js';

const column = createColumnHelper<ApiTokenView>();

/**
 * Personal API tokens for the `courier` command line: the list (name, created, last used, revoked),
 * a form to create one, and Revoke with a confirmation. A new token's secret is shown once, in the
 * page (never in a toast that might linger), with copy buttons for it and for the
 * `courier login --portal … --token …` line; the Portal keeps only its hash.
 *
 * @example
 * <ApiTokensSection />
 */
export function ApiTokensSection(): ReactNode {
  const { t, language } = useI18n();
  const create = useSave();
  const revoke = useSave();
  const tokens = useQuery({ queryKey: ['api-tokens'], queryFn: () => call(listApiTokens) });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const columns = useMemo(
    () => [
      column.accessor('name', { header: t('account.tokenName') }),
      column.accessor((token) => formatDateTime(language, token.createdAt), {
        id: 'created',
        header: t('account.tokenCreated'),
      }),
      column.accessor(
        (token) => (token.lastUsedAt === null ? t('account.never') : formatDateTime(language, token.lastUsedAt)),
        {
          id: 'lastUsed',
          header: t('account.tokenLastUsed'),
        },
      ),
      column.display({
        id: 'status',
        header: t('account.tokenStatus'),
        cell: ({ row }) =>
          row.original.revokedAt === null ? (
            <button
              type="button"
              className="small danger"
              data-testid="token-revoke"
              aria-label={t('account.revokeNamed', { name: row.original.name })}
              onClick={() => setRevoking(row.original)}
            >
              {t('account.revoke')}
            </button>
          ) : (
            <span data-testid="token-revoked">
              {t('account.revokedAt', { at: formatDateTime(language, row.original.revokedAt) })}
            </span>
          ),
      }),
    ],
    [t, language],
  );
  const line = created === null ? '' : cliLoginLine(window.location.origin, created.token);
  return (
    <section aria-labelledby="account-tokens-title" data-testid="account-tokens">
      <h2 id="account-tokens-title">{t('account.tokens')}</h2>
      <p className="hint">{t('account.tokensHint')}</p>
      {tokens.error && <ErrorText error={tokens.error} />}
      <DataTable
        testId="tokens-table"
        data={tokens.data ?? []}
        columns={columns}
        rowKey={(token) => token.id}
        emptyText={t('account.noTokens')}
      />
      <form
        className="inline-form"
        data-testid="token-form"
        onSubmit={async (event) => {
          event.preventDefault();
          let answer: ApiTokenCreated | null = null;
          const ok = await create.run(async () => {
            answer = await call(createApiToken, { body: { name: name.trim() } });
          }, [['api-tokens']]);
          if (ok) {
            setCreated(answer);
            setName('');
          }
        }}
      >
        <label>
          {t('account.tokenName')}
          <input
            data-testid="token-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            placeholder={t('account.tokenNamePlaceholder')}
            required
          />
        </label>
        <button type="submit" className="primary" disabled={create.busy} data-testid="token-create">
          {t('account.createToken')}
        </button>
      </form>
      {create.error !== null && <ErrorText error={create.error} />}
      {created !== null && (
        <div className="notice token-created" data-testid="token-created" role="status">
          <p>{t('account.tokenShownOnce', { name: created.name })}</p>
          <div className="copy-row">
            <code className="token-value" data-testid="token-secret">
              {created.token}
            </code>
            <CopyButton text={created.token} label={t('account.copyToken')} testId="token-copy" />
          </div>
          <p>{t('account.cliLine')}</p>
          <div className="copy-row">
            <code className="token-value" data-testid="token-cli-line">
              {line}
            </code>
            <CopyButton text={line} label={t('account.copyCommand')} testId="token-cli-copy" />
          </div>
          <button type="button" className="small" data-testid="token-created-close" onClick={() => setCreated(null)}>
            {t('account.tokenStored')}
          </button>
        </div>
      )}
      <Dialog
        open={revoking !== null}
        title={t('account.revokeTitle')}
        testId="token-revoke-dialog"
        onClose={() => setRevoking(null)}
        footer={
          <>
            <button type="button" data-testid="token-revoke-cancel" onClick={() => setRevoking(null)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              data-testid="token-revoke-confirm"
              disabled={revoke.busy}
              onClick={async () => {
                const target = revoking;
                if (target === null) return;
                const ok = await revoke.run(
                  () => call(revokeApiToken, { params: { tokenId: target.id } }),
                  [['api-tokens']],
                );
                if (ok) setRevoking(null);
              }}
            >
              {t('account.revoke')}
            </button>
          </>
        }
      >
        <p>{t('account.revokeText', { name: revoking?.name ?? '' })}</p>
        {revoke.error !== null && <ErrorText error={revoke.error} />}
      </Dialog>
    </section>
  );
}
