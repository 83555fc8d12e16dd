import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { isAuthError } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../portal/language-switch.js';
import { parseUploaderSearch } from '../portal/uploader-link.js';
import { useLocation } from '../router.js';
import { type Connection, connect } from './connect.js';
import { ScanPanel } from './scan-panel.js';
import { loadSlotOverview } from './slot-overview.js';

/**
 * The Uploader window, opened by a slot command of the Portal. It shows the slot (study, site,
 * subject pseudonym, event, item); "Connect" verifies the Portal session and fetches the slot's
 * parameters.
 *
 * @example
 * <UploaderPage />
 */
export function UploaderPage(): ReactNode {
  const { t } = useI18n();
  const { search } = useLocation();
  const ref = parseUploaderSearch(search);
  const [connection, setConnection] = useState<Connection | null>(null);
  const [connecting, setConnecting] = useState(false);
  const [connectError, setConnectError] = useState<unknown>(null);
  const overview = useQuery({
    queryKey: ['slot-overview', ref],
    queryFn: () => loadSlotOverview(ref!),
    enabled: ref !== null,
    retry: false,
  });

  if (ref === null) {
    return (
      <main className="uploader">
        <p className="error" role="alert" data-testid="uploader-bad-link">
          {t('uploader.badLink')}
        </p>
      </main>
    );
  }

  const needsLogin = isAuthError(overview.error) || isAuthError(connectError);
  const doConnect = async () => {
    setConnecting(true);
    setConnectError(null);
    try {
      setConnection(await connect(ref));
      await overview.refetch();
    } catch (error) {
      setConnectError(error);
      setConnection(null);
    } finally {
      setConnecting(false);
    }
  };

  const o = overview.data;
  const p = connection?.kind === 'session' ? connection.parameters : null;
  const row = (label: string, value: ReactNode, testId: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value ?? t('common.none')}</dd>
    </>
  );

  return (
    <main className="uploader" data-testid="uploader-page">
      <header className="topbar">
        <span className="brand">{t('uploader.title')}</span>
        <span className="spacer" />
        <span
          className={connection === null ? 'status-pill off' : 'status-pill on'}
          data-testid="connection-status"
          data-state={connection === null ? 'disconnected' : 'connected'}
        >
          {connection === null ? t('uploader.notConnected') : t('uploader.connected')}
        </span>
        <LanguageSwitch />
      </header>
      <section className="panel" aria-labelledby="slot-heading">
        <h1 id="slot-heading">{t('uploader.slot')}</h1>
        <dl className="overview" data-testid="slot-overview" data-state={o === undefined ? 'loading' : 'loaded'}>
          {row(t('uploader.study'), o && `${o.studyIdentifier} — ${o.studyName}`, 'overview-study')}
          {row(t('uploader.site'), o && `${o.siteCode} — ${o.siteName}`, 'overview-site')}
          {row(t('uploader.subject'), o?.pseudonym, 'overview-subject')}
          {row(t('uploader.event'), o && `${o.eventName} ${o.eventOccurrence}`, 'overview-event')}
          {row(t('uploader.item'), o?.slotLabel, 'overview-item')}
        </dl>
        {overview.error !== null && !needsLogin && <ErrorText error={overview.error} />}
        {needsLogin && (
          <div className="notice" role="alert" data-testid="uploader-login-prompt">
            <p>{t('uploader.loginFirst')}</p>
            <a href="/login" target="_blank" rel="noopener opener" data-testid="uploader-open-login">
              {t('uploader.openLogin')}
            </a>
          </div>
        )}
        <div className="actions">
          <button
            type="button"
            className="primary"
            data-testid="uploader-connect"
            disabled={connecting}
            onClick={doConnect}
          >
            {connecting ? t('uploader.connecting') : t('uploader.connect')}
          </button>
        </div>
        {connectError !== null && !needsLogin && <ErrorText error={connectError} />}
      </section>
      {connection !== null && o !== undefined && (
        <section className="panel" aria-labelledby="parameters-heading" data-testid="slot-parameters">
          <h2 id="parameters-heading">{t('uploader.parameters')}</h2>
          <dl className="overview">
            {row(
              t('uploader.expected'),
              (p?.expectedModalities ?? o.expectedModalities).join(', ') || t('uploader.any'),
              'parameter-modalities',
            )}
            {row(t('uploader.deid'), p && `${p.deid.profile} ${p.deid.options.join(', ')}`, 'parameter-deid')}
            {row(t('uploader.dateHandling'), p?.dateHandling, 'parameter-dates')}
            {row(
              t('uploader.currentValue'),
              (p?.currentValue?.studyInstanceUid ?? o.currentStudyInstanceUid) || t('upload.empty'),
              'parameter-current',
            )}
            {row(
              t('uploader.session'),
              connection.kind === 'session' ? connection.uploadId : t('uploader.sessionPending'),
              'parameter-session',
            )}
            {p !== null &&
              row(
                t('uploader.limits'),
                `${p.limits.maxBatchInstances} / ${Math.round(p.limits.maxBatchBytes / 1048576)} MiB`,
                'parameter-limits',
              )}
          </dl>
        </section>
      )}
      {connection !== null && o !== undefined && (
        <ScanPanel
          sanity={{
            subject:
              p === null
                ? {}
                : { sex: p.sex, birthYear: p.birthYear, ...(p.birthDate === null ? {} : { birthDate: p.birthDate }) },
            slot: { expectedModalities: p?.expectedModalities ?? o.expectedModalities },
          }}
          {...(connection.kind === 'session'
            ? {
                upload: {
                  uploadId: connection.uploadId,
                  slotHolds: connection.parameters.currentValue?.studyInstanceUid ?? null,
                },
              }
            : {})}
        />
      )}
    </main>
  );
}
