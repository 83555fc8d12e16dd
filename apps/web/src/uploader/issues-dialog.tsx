import type { SanityCheckResult, UploadGate } from '@courier/uploader';
import { createColumnHelper } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { DataTable } from '../components/data-table.js';
import { Dialog } from '../components/dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { sanityText } from './sanity-text.js';

const column = createColumnHelper<SanityCheckResult>();

/**
 * "Issues": the sanity findings of the selection. Warnings carry an "Accept warning" button (the
 * acknowledgement is recorded); errors cannot be accepted, only fixed by another selection.
 *
 * @example
 * <IssuesDialog open results={results} gate={gate} onAcknowledge={ack} onClose={close} />
 */
export function IssuesDialog(props: {
  open: boolean;
  results: readonly SanityCheckResult[];
  gate: UploadGate;
  onAcknowledge(result: SanityCheckResult): void;
  onClose(): void;
}): ReactNode {
  const { t, language } = useI18n();
  const accepted = new Set(props.gate.acknowledged.map((a) => a.result.id));
  const columns = [
    column.accessor((r) => t(`issues.${r.severity}`), {
      id: 'severity',
      header: t('issues.severity'),
      cell: (info) => <span className={`badge severity-${info.row.original.severity}`}>{info.getValue()}</span>,
    }),
    column.accessor(
      (r) => {
        const found = r.found.length > 0 ? `${t('issues.found')}: ${r.found.join(', ')}` : '';
        const expected = r.expected === undefined ? '' : `${t('issues.expected')}: ${r.expected}`;
        const detail = [expected, found].filter(Boolean).join('; ');
        const message = sanityText(language, r);
        return detail === '' ? message : `${message} (${detail})`;
      },
      { id: 'message', header: t('issues.message') },
    ),
    column.display({
      id: 'action',
      header: t('issues.action'),
      cell: ({ row }) =>
        row.original.severity !== 'warning' ? null : accepted.has(row.original.id) ? (
          <span className="badge filled" data-testid="issue-accepted">
            {t('issues.acknowledged')}
          </span>
        ) : (
          <button
            type="button"
            className="small"
            data-testid="issue-acknowledge"
            onClick={() => props.onAcknowledge(row.original)}
          >
            {t('issues.acknowledge')}
          </button>
        ),
    }),
  ];
  return (
    <Dialog
      open={props.open}
      title={t('issues.title')}
      testId="issues-dialog"
      onClose={props.onClose}
      wide
      footer={
        <button type="button" onClick={props.onClose} data-testid="issues-close">
          {t('common.close')}
        </button>
      }
    >
      <p>{t('issues.intro')}</p>
      <DataTable testId="issues-table" data={[...props.results]} columns={columns} rowKey={(r) => r.id} />
    </Dialog>
  );
}
