import type { EventSlot } from '@courier/api';
import { type ColumnDef, createColumnHelper } from '@tanstack/react-table';
import type { I18n } from '../i18n/i18n.js';

const column = createColumnHelper<EventSlot>();

/**
 * The slot summary both slot dialogs open with (Upload New, Assign Existing): slot label, expected
 * modalities and the empty/filled badge. Each dialog appends its own "Commands" column.
 *
 * @example
 * const columns = [...slotSummaryColumns(t), column.display({ id: 'commands', ... })];
 */
// biome-ignore lint/suspicious/noExplicitAny: TanStack's column value type differs per column.
export function slotSummaryColumns(t: I18n['t']): ColumnDef<EventSlot, any>[] {
  return [
    column.accessor('label', { header: t('dicom.slot') }),
    column.accessor((s) => s.modalities.join(', ') || t('common.none'), {
      id: 'expected',
      header: t('dicom.expected'),
    }),
    column.display({
      id: 'status',
      header: t('upload.status'),
      cell: ({ row }) =>
        row.original.value === null ? (
          <span className="badge empty" data-testid="slot-status">
            {t('upload.empty')}
          </span>
        ) : (
          <span className="badge filled" data-testid="slot-status" title={row.original.value.studyInstanceUid}>
            {t('upload.filled')}
          </span>
        ),
    }),
  ];
}
