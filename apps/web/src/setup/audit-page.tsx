import { type AuditEntry, listAudit } from '@courier/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useDeferredValue, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDateTime } from '../i18n/translate.js';
import { useActiveStudy } from '../portal/use-active-study.js';

const PAGE = 50;
const column = createColumnHelper<AuditEntry>();

/**
 * The audit log of the active study, newest first, paged, filterable by action.
 *
 * @example
 * <AuditPage />
 */
export function AuditPage(): ReactNode {
  const { t, language } = useI18n();
  const { study } = useActiveStudy();
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState('');
  const deferredAction = useDeferredValue(action.trim());
  const studyId = study?.id;
  const page = useQuery({
    queryKey: ['audit', studyId, deferredAction, offset],
    queryFn: () => call(listAudit, { query: { studyId, action: deferredAction, offset, limit: PAGE } }),
    placeholderData: keepPreviousData,
    enabled: studyId !== undefined,
  });
  const columns = useMemo(
    () => [
      column.accessor((e) => formatDateTime(language, e.at), { id: 'at', header: t('audit.at') }),
      column.accessor((e) => e.username ?? t('common.none'), { id: 'user', header: t('audit.user') }),
      column.accessor('action', { header: t('audit.action') }),
      column.accessor((e) => (e.targetType === null ? t('common.none') : `${e.targetType} ${e.targetId ?? ''}`), {
        id: 'target',
        header: t('audit.target'),
      }),
      column.accessor((e) => e.ip ?? t('common.none'), { id: 'ip', header: t('audit.ip') }),
      column.accessor((e) => JSON.stringify(e.details), {
        id: 'details',
        header: t('audit.details'),
        cell: (info) => <code className="details">{info.getValue()}</code>,
      }),
    ],
    [t, language],
  );
  const data = page.data;
  return (
    <div className="page audit" data-testid="audit-page">
      <h1>{t('audit.title')}</h1>
      <div className="toolbar">
        <input
          type="search"
          className="search"
          data-testid="audit-filter"
          aria-label={t('audit.filter')}
          placeholder={t('audit.filter')}
          value={action}
          onChange={(e) => {
            setAction(e.target.value);
            setOffset(0);
          }}
        />
      </div>
      {page.error && <ErrorText error={page.error} />}
      <DataTable testId="audit-table" data={data?.items ?? []} columns={columns} rowKey={(e) => String(e.id)} />
      {data !== undefined && (
        <div className="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t('common.previous')}
          </button>
          <span>
            {t('common.pageInfo', {
              from: data.total === 0 ? 0 : offset + 1,
              to: Math.min(offset + PAGE, data.total),
              total: data.total,
            })}
          </span>
          <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
            {t('common.next')}
          </button>
        </div>
      )}
    </div>
  );
}
