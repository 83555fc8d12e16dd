import { type EventSlot, getSubject, listEventSlots, listSubjectEvents, type StudyOfUser } from '@courier/api';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { call } from '../api/client.js';
import { csvFileName, downloadCsv } from '../components/csv-export.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { AssignExistingDialog } from './slots/assign-existing-dialog.js';
import { ClearSlotDialog } from './slots/clear-slot-dialog.js';
import { slotAbilities } from './slots/slot-abilities.js';
import { SlotHistoryDialog } from './slots/slot-history-dialog.js';
import { type FilledSlot, SlotTable } from './slots/slot-table.js';
import { UploadNewDialog } from './upload-new-dialog.js';

/**
 * The DICOM studies assigned to the slots of the selected event (each row expands into its
 * series), "Upload New", "Assign Existing", the slot history, "Clear slot" for study managers and
 * admins, and the table as CSV.
 *
 * @example
 * <DicomTab study={study} subjectId={s} eventId={e} />
 */
export function DicomTab(props: { study: StudyOfUser; subjectId: string; eventId: string }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const params = { studyId: props.study.id, subjectId: props.subjectId, eventId: props.eventId };
  const [dialog, setDialog] = useState<'upload' | 'assign' | null>(null);
  const [historyOf, setHistoryOf] = useState<EventSlot | null>(null);
  const [clearing, setClearing] = useState<FilledSlot | null>(null);
  const can = slotAbilities(props.study);
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
  const ready = slots.data !== undefined && subject.data !== undefined && event !== undefined;
  // What an assignment or a clear changes: this event's slots, the events' fill counts, the
  // stored studies' "held by" and every slot history of the subject.
  const refresh = () =>
    Promise.all(
      [
        ['slots', props.study.id, props.subjectId],
        ['events', props.study.id, props.subjectId],
        ['stored-studies', props.study.id, props.subjectId],
        ['slot-history', props.study.id, props.subjectId],
      ].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );

  const exportCsv = () => {
    const header = [
      t('dicom.slot'),
      t('dicom.expected'),
      t('dicom.studyUid'),
      t('dicom.studyDate'),
      t('dicom.modalities'),
      t('dicom.series'),
      t('dicom.instances'),
      t('dicom.assignedBy'),
      t('dicom.assignedAt'),
      t('dicom.how'),
    ];
    const rows = filled.map((s) => [
      s.label,
      s.modalities.join(' '),
      s.value.studyInstanceUid,
      s.value.studyDate,
      s.value.modalities.join(' '),
      s.value.seriesCount,
      s.value.instanceCount,
      s.value.assignedBy,
      s.value.assignedAt,
      s.value.uploadId === null ? t('how.assign') : t('how.upload', { id: s.value.uploadId }),
    ]);
    const name = `${subject.data?.label ?? 'subject'}-${event?.name ?? 'event'}-${event?.occurrence ?? ''}-studies`;
    downloadCsv(csvFileName(name, props.study.identifier), header, rows);
  };

  return (
    <section data-testid="dicom-panel">
      <div className="toolbar">
        <h2 className="context" data-testid="dicom-context">
          {subject.data?.label ?? '…'} · {event === undefined ? '…' : `${event.name} ${event.occurrence}`}
        </h2>
        <span className="spacer" />
        <button
          type="button"
          data-testid="export-studies"
          aria-label={t('csv.exportLabel', { table: t('csv.studies') })}
          disabled={slots.data === undefined}
          onClick={exportCsv}
        >
          {t('csv.export')}
        </button>
        {can.assign && (
          <button type="button" data-testid="assign-existing" disabled={!ready} onClick={() => setDialog('assign')}>
            {t('dicom.assignExisting')}
          </button>
        )}
        <button
          type="button"
          className="primary"
          data-testid="upload-new"
          disabled={!ready}
          onClick={() => setDialog('upload')}
        >
          {t('dicom.uploadNew')}
        </button>
      </div>
      {(slots.error ?? subject.error) && <ErrorText error={slots.error ?? subject.error} />}
      <SlotTable
        studyId={props.study.id}
        subjectId={props.subjectId}
        slots={filled}
        emptyText={slots.isLoading ? t('common.loading') : t('dicom.noStudies')}
        canClear={can.clear}
        canDownload={can.download}
        onHistory={setHistoryOf}
        onClear={setClearing}
      />
      {subject.data !== undefined && event !== undefined && slots.data !== undefined && (
        <>
          <UploadNewDialog
            open={dialog === 'upload'}
            onClose={() => setDialog(null)}
            studyId={props.study.id}
            subject={subject.data}
            event={event}
            slots={slots.data}
          />
          <AssignExistingDialog
            open={dialog === 'assign'}
            onClose={() => setDialog(null)}
            studyId={props.study.id}
            subject={subject.data}
            event={event}
            slots={slots.data}
            onHistory={setHistoryOf}
            onAssigned={refresh}
          />
        </>
      )}
      <SlotHistoryDialog
        slot={historyOf}
        studyId={props.study.id}
        subjectId={props.subjectId}
        eventId={props.eventId}
        onClose={() => setHistoryOf(null)}
      />
      <ClearSlotDialog
        key={clearing?.slotDefinitionId ?? 'closed'}
        slot={clearing}
        studyId={props.study.id}
        subjectId={props.subjectId}
        eventId={props.eventId}
        onClose={() => setClearing(null)}
        onCleared={refresh}
      />
    </section>
  );
}
