import { type EventSlot, getSubject, listEventSlots, listSubjectEvents, type StudyOfUser } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDateTime } from '../i18n/translate.js';
import { UploadNewDialog } from './upload-new-dialog.js';

type FilledSlot = EventSlot & { value: NonNullable<EventSlot['value']> };
const column = createColumnHelper<FilledSlot>();

/**
 * The DICOM studies assigned to the slots of the selected event, and "Upload New".
 *
 * @example
 * <DicomTab study={study} subjectId={s} eventId={e} />
 */
export function DicomTab(props: { study: StudyOfUser; subjectId: string; eventId: string }): ReactNode {
  const { t, language } = useI18n();
  const params = { studyId: props.study.id, subjectId: props.subjectId, eventId: props.eventId };
  const [dialogOpen, setDialogOpen] = useState(false);
  const subject = useQuery({
    queryKey: ['subject', props.study.id, props.subjectId],
    queryFn: () => call(getSubject, { params }),
  });
  const events = useQuery({
    queryKey: ['events', props.study.id, props.subjectId],
    queryFn: () => call(listSubjectEvents, { params }),
  });
  const slots = useQuery({
    queryKey: ['slots', props.study.id, props.subjectId, props.eventId],
    queryFn: () => call(listEventSlots, { params }),
    // The Uploader window assigns studies; refresh when the user comes back to this window.
    refetchOnWindowFocus: true,
  });
  const event = events.data?.find((e) => e.id === props.eventId);
  const filled = (slots.data ?? []).filter((slot): slot is FilledSlot => slot.value !== null);
  const columns = useMemo(
    () => [
      column.accessor('label', { header: t('dicom.slot') }),
      column.accessor((s) => s.modalities.join(', ') || t('common.none'), {
        id: 'expected',
        header: t('dicom.expected'),
      }),
      column.accessor((s) => s.value.studyInstanceUid, {
        id: 'uid',
        header: t('dicom.studyUid'),
        cell: (info) => <code className="uid">{info.getValue()}</code>,
      }),
      column.accessor((s) => s.value.assignedBy, { id: 'by', header: t('dicom.uploadedBy') }),
      column.accessor((s) => formatDateTime(language, s.value.assignedAt), { id: 'at', header: t('dicom.uploadedAt') }),
    ],
    [t, language],
  );

  return (
    <section data-testid="dicom-panel">
      <div className="toolbar">
        <h2 className="context" data-testid="dicom-context">
          {subject.data?.label ?? '…'} · {event === undefined ? '…' : `${event.name} ${event.occurrence}`}
        </h2>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          data-testid="upload-new"
          disabled={slots.data === undefined || subject.data === undefined || event === undefined}
          onClick={() => setDialogOpen(true)}
        >
          {t('dicom.uploadNew')}
        </button>
      </div>
      {(slots.error ?? subject.error) && <ErrorText error={slots.error ?? subject.error} />}
      <DataTable
        testId="dicom-table"
        data={filled}
        columns={columns}
        rowKey={(s) => s.slotDefinitionId}
        emptyText={slots.isLoading ? t('common.loading') : t('dicom.noStudies')}
      />
      {subject.data !== undefined && event !== undefined && slots.data !== undefined && (
        <UploadNewDialog
          open={dialogOpen}
          onClose={() => setDialogOpen(false)}
          studyId={props.study.id}
          subject={subject.data}
          event={event}
          slots={slots.data}
        />
      )}
    </section>
  );
}
