import {
  getNotificationSettings,
  listMailOutbox,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type OutboxMail,
  type StudyOfUser,
  updateNotificationSettings,
} from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages-en.js';
import { Link } from '../router.js';
import { useSave } from './use-save.js';

const KIND_LABELS: Record<NotificationKind, MessageKey> = {
  'slot.assigned': 'notify.kind.assigned',
  'slot.overwritten': 'notify.kind.overwritten',
  'upload.failed': 'notify.kind.failed',
};

const column = createColumnHelper<OutboxMail>();

/**
 * The study's mail notifications: on/off, the imaging contacts, which events, whether the uploader
 * is mailed too; a pointer to "My account" for the user's own address; for admins, the outbox with each mail's
 * delivery status, attempts and last error.
 *
 * @example
 * <NotificationsPanel study={study} showOutbox={can.manageRoles} />
 */
export function NotificationsPanel({ study, showOutbox }: { study: StudyOfUser; showOutbox: boolean }): ReactNode {
  const { t } = useI18n();
  const save = useSave();
  const key = ['notification-settings', study.id];
  const settings = useQuery({
    queryKey: key,
    queryFn: () => call(getNotificationSettings, { params: { studyId: study.id } }),
  });
  const outbox = useQuery({
    queryKey: ['mail-outbox', study.id],
    queryFn: () => call(listMailOutbox, { params: { studyId: study.id }, query: { offset: 0, limit: 50 } }),
    enabled: showOutbox,
    refetchInterval: 15_000,
  });
  const [enabled, setEnabled] = useState(false);
  const [recipients, setRecipients] = useState('');
  const [kinds, setKinds] = useState<NotificationKind[]>([]);
  const [notifyUploader, setNotifyUploader] = useState(true);
  useEffect(() => {
    if (settings.data === undefined) return;
    setEnabled(settings.data.enabled);
    setRecipients(settings.data.recipients.join('\n'));
    setKinds(settings.data.kinds);
    setNotifyUploader(settings.data.notifyUploader);
  }, [settings.data]);
  const columns = useMemo(
    () => [
      column.accessor('createdAt', {
        header: t('notify.created'),
        cell: (c) => c.getValue().slice(0, 16).replace('T', ' '),
      }),
      column.accessor('kind', { header: t('notify.event'), cell: (c) => t(KIND_LABELS[c.getValue()]) }),
      column.accessor('recipient', { header: t('notify.recipient') }),
      column.accessor('status', { header: t('notify.status'), cell: (c) => t(`notify.status.${c.getValue()}`) }),
      column.accessor('attempts', { header: t('notify.attempts') }),
      column.accessor('lastError', { header: t('notify.lastError'), cell: (c) => c.getValue() ?? t('common.none') }),
    ],
    [t],
  );
  return (
    <section data-testid="notifications-panel">
      <p className="hint">{t('notify.intro')}</p>
      {settings.error && <ErrorText error={settings.error} />}
      <form
        className="inline-form"
        data-testid="notifications-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const list = recipients
            .split(/[\s,;]+/)
            .map((r) => r.trim())
            .filter(Boolean);
          await save.run(
            () =>
              call(updateNotificationSettings, {
                params: { studyId: study.id },
                body: { enabled, recipients: list, kinds, notifyUploader },
              }),
            [key],
          );
        }}
      >
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="notifications-enabled"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
          />
          {t('notify.enabled')}
        </label>
        <label>
          {t('notify.recipients')}
          <textarea
            data-testid="notifications-recipients"
            rows={3}
            value={recipients}
            onChange={(e) => setRecipients(e.target.value)}
          />
        </label>
        <fieldset>
          <legend>{t('notify.events')}</legend>
          {NOTIFICATION_KINDS.map((kind) => (
            <label className="checkbox" key={kind}>
              <input
                type="checkbox"
                data-testid={`notifications-kind-${kind}`}
                checked={kinds.includes(kind)}
                onChange={(e) =>
                  setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((selected) => selected !== kind))
                }
              />
              {t(KIND_LABELS[kind])}
            </label>
          ))}
        </fieldset>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="notifications-uploader"
            checked={notifyUploader}
            onChange={(e) => setNotifyUploader(e.target.checked)}
          />
          {t('notify.uploader')}
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="notifications-save">
          {t('common.save')}
        </button>
        {save.error !== null && <ErrorText error={save.error} />}
      </form>
      <p className="hint" data-testid="my-mail-address-hint">
        {t('notify.myAddressHint')} <Link to="/account">{t('shell.account')}</Link>
      </p>
      {showOutbox && (
        <>
          <h2>{t('notify.outbox')}</h2>
          {outbox.error && <ErrorText error={outbox.error} />}
          <DataTable
            testId="mail-outbox-table"
            data={outbox.data?.items ?? []}
            columns={columns}
            rowKey={(mail) => mail.id}
            emptyText={t('notify.outboxEmpty')}
          />
        </>
      )}
    </section>
  );
}
