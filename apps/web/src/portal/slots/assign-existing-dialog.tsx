import {
  assignSlot,
  type EventSlot,
  listStoredStudies,
  type ScheduledEvent,
  type StoredStudy,
  type Subject,
} from '@courier/api';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { call } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Dialog } from '../../components/dialog.js';
import { ErrorText } from '../../components/error-text.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/i18n.js';
import { slotSummaryColumns } from '../slot-summary-columns.js';
import { REASON_STYLE } from './reason-style.js';

const slotColumn = createColumnHelper<EventSlot>();
const studyColumn = createColumnHelper<StoredStudy>();

/** Props of {@link AssignExistingDialog}. */
export interface AssignExistingDialogProps {
  open: boolean;
  onClose(): void;
  studyId: string;
  subject: Subject;
  event: ScheduledEvent;
  slots: EventSlot[];
  /** Opens the history of a slot. */
  onHistory(slot: EventSlot): void;
  /** After a study was assigned (refresh the tables). */
  onAssigned(): void;
}

/** The series of a stored study in short, by Series Number: `#1 CT (3) · #3 RTSTRUCT (1)`. */
export function seriesSummary(study: Pick<StoredStudy, 'series'>): string {
  return study.series
    .map((s) => `${s.seriesNumber === null ? '' : `#${s.seriesNumber} `}${s.modality ?? '?'} (${s.instanceCount})`)
    .join(' · ');
}

/**
 * "Assign Existing DICOM Study": the same slot summary as Upload New (each slot with its status,
 * a Choose command and its history), the DICOM studies stored for the subject from any earlier
 * upload (date, description, modalities, series, where each is assigned now), and Assign. The
 * study a slot already holds cannot be assigned to it again; a filled slot asks for confirmation
 * (with an optional reason kept in the history) before its value is replaced.
 *
 * @example
 * <AssignExistingDialog open studyId={id} subject={s} event={e} slots={slots} onClose={close} onHistory={h} onAssigned={r} />
 */
export function AssignExistingDialog(props: AssignExistingDialogProps): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const reasonId = useId();
  const [slotId, setSlotId] = useState<string | null>(null);
  const [studyUid, setStudyUid] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const stored = useQuery({
    queryKey: ['stored-studies', props.studyId, props.subject.id],
    queryFn: () => call(listStoredStudies, { params: { studyId: props.studyId, subjectId: props.subject.id } }),
    enabled: props.open,
  });
  const assign = useMutation({
    mutationFn: (input: { slotDefinitionId: string; studyInstanceUid: string; overwrite: boolean; reason: string }) =>
      call(assignSlot, {
        params: {
          studyId: props.studyId,
          subjectId: props.subject.id,
          eventId: props.event.id,
          slotDefinitionId: input.slotDefinitionId,
        },
        body: {
          studyInstanceUid: input.studyInstanceUid,
          overwrite: input.overwrite,
          ...(input.reason === '' ? {} : { reason: input.reason }),
        },
      }),
    onSuccess: (slot) => {
      toast(t('assign.done', { slot: slot.label }));
      setConfirming(false);
      props.onAssigned();
      props.onClose();
    },
    onError: () => setConfirming(false),
  });
  const { reset } = assign;
  // Every opening starts from nothing chosen.
  useEffect(() => {
    if (props.open) {
      setSlotId(null);
      setStudyUid(null);
      setReason('');
      setConfirming(false);
      reset();
    }
  }, [props.open, reset]);

  const slot = props.slots.find((s) => s.slotDefinitionId === slotId) ?? null;
  const study = stored.data?.find((s) => s.studyInstanceUid === studyUid) ?? null;
  const same = slot?.value != null && study !== null && slot.value.studyInstanceUid === study.studyInstanceUid;
  const submit = (overwrite: boolean) => {
    if (slot === null || study === null) return;
    assign.mutate({
      slotDefinitionId: slot.slotDefinitionId,
      studyInstanceUid: study.studyInstanceUid,
      overwrite,
      reason: reason.trim(),
    });
  };

  const slotColumns = [
    ...slotSummaryColumns(t),
    slotColumn.display({
      id: 'commands',
      header: t('upload.commands'),
      cell: ({ row }) => {
        const chosen = row.original.slotDefinitionId === slotId;
        return (
          <>
            <button
              type="button"
              className={chosen ? 'primary small' : 'small'}
              data-testid="assign-choose-slot"
              aria-pressed={chosen}
              aria-label={`${chosen ? t('assign.chosen') : t('assign.choose')}: ${row.original.label}`}
              onClick={() => setSlotId(row.original.slotDefinitionId)}
            >
              {chosen ? t('assign.chosen') : t('assign.choose')}
            </button>{' '}
            <button
              type="button"
              className="small"
              data-testid="assign-slot-history"
              aria-label={`${t('dicom.history')}: ${row.original.label}`}
              onClick={() => props.onHistory(row.original)}
            >
              {t('dicom.history')}
            </button>
          </>
        );
      },
    }),
  ];

  const studyColumns = [
    studyColumn.accessor((s) => [s.studyDate, s.studyTime].filter((x) => x !== null).join(' ') || t('common.none'), {
      id: 'date',
      header: t('dicom.studyDate'),
    }),
    studyColumn.accessor((s) => s.description || t('common.none'), {
      id: 'description',
      header: t('assign.description'),
    }),
    studyColumn.accessor((s) => s.modalities.join(', ') || t('common.none'), {
      id: 'modalities',
      header: t('dicom.modalities'),
    }),
    studyColumn.accessor((s) => seriesSummary(s), { id: 'series', header: t('dicom.series') }),
    studyColumn.accessor('instanceCount', { header: t('dicom.instances') }),
    studyColumn.accessor((s) => s.assignedTo.map((a) => `${a.eventName} ${a.occurrence} / ${a.slotLabel}`).join(', '), {
      id: 'assignedTo',
      header: t('assign.assignedTo'),
      cell: (info) => info.getValue() || t('common.none'),
    }),
    studyColumn.accessor('studyInstanceUid', {
      header: t('dicom.studyUid'),
      cell: (info) => <code className="uid">{info.getValue()}</code>,
    }),
    studyColumn.display({
      id: 'choose',
      header: t('upload.commands'),
      cell: ({ row }) => {
        const chosen = row.original.studyInstanceUid === studyUid;
        return (
          <button
            type="button"
            className={chosen ? 'primary small' : 'small'}
            data-testid="assign-choose-study"
            aria-pressed={chosen}
            aria-label={`${chosen ? t('assign.chosen') : t('assign.choose')}: ${row.original.studyInstanceUid}`}
            onClick={() => setStudyUid(row.original.studyInstanceUid)}
          >
            {chosen ? t('assign.chosen') : t('assign.choose')}
          </button>
        );
      },
    }),
  ];

  const hint =
    slot === null
      ? t('assign.pickSlot')
      : study === null
        ? t('assign.pickStudy')
        : same
          ? t('assign.sameStudy', { slot: slot.label })
          : null;

  return (
    <>
      <Dialog
        open={props.open && !confirming}
        title={t('assign.title')}
        testId="assign-dialog"
        onClose={props.onClose}
        wide
        footer={
          <>
            <button type="button" data-testid="assign-close" onClick={props.onClose}>
              {t('common.close')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="assign-submit"
              disabled={hint !== null || assign.isPending}
              onClick={() => (slot?.value != null ? setConfirming(true) : submit(false))}
            >
              {t('assign.submit')}
            </button>
          </>
        }
      >
        <p>
          {t('assign.intro', { label: props.subject.label, event: `${props.event.name} ${props.event.occurrence}` })}
        </p>
        <h3>{t('assign.slots')}</h3>
        <DataTable testId="assign-slots" data={props.slots} columns={slotColumns} rowKey={(s) => s.slotDefinitionId} />
        <h3>{t('assign.studies', { label: props.subject.label })}</h3>
        {stored.error && <ErrorText error={stored.error} />}
        <DataTable
          testId="assign-studies"
          data={stored.data ?? []}
          columns={studyColumns}
          rowKey={(s) => s.studyInstanceUid}
          selectedKey={studyUid}
          emptyText={stored.isLoading ? t('common.loading') : t('assign.noStudies')}
        />
        {hint !== null && (
          <p className={same ? 'error' : 'hint'} role="status" data-testid="assign-hint">
            {hint}
          </p>
        )}
        {assign.error && <ErrorText error={assign.error} />}
      </Dialog>
      <Dialog
        open={props.open && confirming}
        title={t('assign.confirmTitle')}
        testId="assign-confirm-dialog"
        onClose={() => setConfirming(false)}
        footer={
          <>
            <button type="button" data-testid="assign-confirm-cancel" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              data-testid="assign-confirm"
              disabled={assign.isPending}
              onClick={() => submit(true)}
            >
              {t('assign.confirm')}
            </button>
          </>
        }
      >
        {slot?.value != null && study !== null && (
          <p>
            {t('assign.confirmText', {
              slot: slot.label,
              uid: slot.value.studyInstanceUid,
              newUid: study.studyInstanceUid,
            })}
          </p>
        )}
        <label htmlFor={reasonId}>{t('assign.reason')}</label>
        <textarea
          id={reasonId}
          data-testid="assign-reason"
          rows={2}
          maxLength={500}
          style={REASON_STYLE}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </Dialog>
    </>
  );
}
