import type { IgnoredFile } from '@courier/uploader';
import { createColumnHelper } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { DataTable } from '../components/data-table.js';
import { Dialog } from '../components/dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { formatBytes, ignoredText } from './ignored-text.js';

const column = createColumnHelper<IgnoredFile>();

/**
 * The "Ignored" popup: every file left out, with its reason (virtualised when long).
 *
 * @example
 * <IgnoredDialog open files={ignored} onClose={close} />
 */
export function IgnoredDialog(props: { open: boolean; files: readonly IgnoredFile[]; onClose(): void }): ReactNode {
  const { t, language } = useI18n();
  const columns = [
    column.accessor('path', { header: t('ignored.path') }),
    column.accessor((f) => ignoredText(language, f.reason), { id: 'reason', header: t('ignored.reason') }),
    column.accessor((f) => formatBytes(f.size, language), { id: 'size', header: t('ignored.size') }),
  ];
  return (
    <Dialog
      open={props.open}
      title={t('ignored.title')}
      testId="ignored-dialog"
      onClose={props.onClose}
      wide
      footer={
        <button type="button" onClick={props.onClose} data-testid="ignored-close">
          {t('common.close')}
        </button>
      }
    >
      <DataTable testId="ignored-table" data={[...props.files]} columns={columns} rowKey={(f) => f.path} />
    </Dialog>
  );
}
