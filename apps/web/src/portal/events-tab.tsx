import { listSubjectEvents, type ScheduledEvent, type StudyOfUser } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo } from 'react';
import { call } from '../api/client.js';
import { csvFileName, downloadCsv } from '../components/csv-export.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import type { PacsSelection } from './pacs-selection.js';

const column = createColumnHelper<ScheduledEvent>();

/**
 * The events scheduled for the selected subject; picking one opens the DICOM tab.
 *
 * @example
 * <EventsTab study={study} subjectId={id} selection={selection} />
 */
export function EventsTab(props: { study: StudyOfUser; subjectId: string; selection: PacsSelection }): ReactNode {
  const { t } = useI18n();
  const events = useQuery({
    queryKey: ['events', props.study.id, props.subjectId],
    queryFn: () => call(listSubjectEvents, { params: { studyId: props.study.id, subjectId: props.subjectId } }),
  });
  const columns = useMemo(
    () => [
      column.accessor('name', { header: t('events.name') }),
      column.accessor('occurrence', { header: t('events.occurrence') }),
      column.accessor((e) => e.date ?? t('common.none'), { id: 'date', header: t('events.date') }),
      column.accessor((e) => t(`status.${e.status}`), { id: 'status', header: t('events.status') }),
      column.accessor((e) => `${e.filledSlots} / ${e.totalSlots}`, { id: 'slots', header: t('events.slots') }),
    ],
    [t],
  );
  const exportCsv = () =>
    downloadCsv(
      csvFileName('events', props.study.identifier),
      [t('events.name'), t('events.occurrence'), t('events.date'), t('events.status'), t('events.slots')],
      (events.data ?? []).map((e) => [
        e.name,
        e.occurrence,
        e.date,
        t(`status.${e.status}`),
        `${e.filledSlots}/${e.totalSlots}`,
      ]),
    );
  return (
    <section data-testid="events-panel">
      <div className="toolbar">
        <span className="spacer" />
        <button
          type="button"
          data-testid="export-events"
          aria-label={t('csv.exportLabel', { table: t('csv.events') })}
          disabled={events.data === undefined}
          onClick={exportCsv}
        >
          {t('csv.export')}
        </button>
      </div>
      {events.error && <ErrorText error={events.error} />}
      <DataTable
        testId="events-table"
        data={events.data ?? []}
        columns={columns}
        rowKey={(e) => e.id}
        selectedKey={props.selection.eventId}
        onRowClick={(event) => props.selection.select({ eventId: event.id, tab: 'dicom' })}
        emptyText={events.isLoading ? t('common.loading') : undefined}
      />
    </section>
  );
}
