import type { EventSlot, ScheduledEvent, Subject } from '@courier/api';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useState } from 'react';
import { DataTable } from '../components/data-table.js';
import { Dialog } from '../components/dialog.js';
import { useToast } from '../components/toast.js';
import { useI18n } from '../i18n/i18n.js';
import { slotSummaryColumns } from './slot-summary-columns.js';
import { uploaderUrl } from './uploader-link.js';

const column = createColumnHelper<EventSlot>();

/** Props of {@link UploadNewDialog}. */
export interface UploadNewDialogProps {
  open: boolean;
  onClose(): void;
  studyId: string;
  subject: Subject;
  event: ScheduledEvent;
  slots: EventSlot[];
}

/**
 * "Upload and Assign DICOM Study": the event's slots with their status and a command per slot that
 * opens the Uploader in a new window. A slot that holds a study asks first — the warning comes from
 * the slot's own value, never from a PACS lookup that might miss the study.
 *
 * @example
 * <UploadNewDialog open studyId={id} subject={s} event={e} slots={slots} onClose={close} />
 */
export function UploadNewDialog(props: UploadNewDialogProps): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const [confirming, setConfirming] = useState<EventSlot | null>(null);

  const open = (slot: EventSlot) => {
    const url = uploaderUrl({
      studyId: props.studyId,
      subjectId: props.subject.id,
      eventId: props.event.id,
      slotDefinitionId: slot.slotDefinitionId,
    });
    const opened = window.open(url, '_blank');
    if (opened === null) toast(t('upload.popupBlocked'), 'error');
    else toast(t('upload.opened', { slot: slot.label }));
  };

  // Rebuilt each render: cheap, and the command cells must call the current `open`.
  const columns = [
    ...slotSummaryColumns(t),
    column.display({
      id: 'commands',
      header: t('upload.commands'),
      cell: ({ row }) => (
        <button
          type="button"
          className={row.original.value === null ? 'primary small' : 'small'}
          data-testid="slot-command"
          onClick={() => (row.original.value === null ? open(row.original) : setConfirming(row.original))}
        >
          {row.original.value === null ? t('upload.command') : t('upload.replace')}
        </button>
      ),
    }),
  ];

  return (
    <>
      <Dialog
        open={props.open && confirming === null}
        title={t('upload.title')}
        testId="upload-dialog"
        onClose={props.onClose}
        wide
        footer={
          <button type="button" data-testid="upload-dialog-close" onClick={props.onClose}>
            {t('common.close')}
          </button>
        }
      >
        <p>
          {t('upload.intro', { label: props.subject.label, event: `${props.event.name} ${props.event.occurrence}` })}
        </p>
        <DataTable testId="upload-slots" data={props.slots} columns={columns} rowKey={(s) => s.slotDefinitionId} />
      </Dialog>
      <Dialog
        open={confirming !== null}
        title={t('overwrite.title')}
        testId="overwrite-dialog"
        onClose={() => setConfirming(null)}
        footer={
          <>
            <button type="button" data-testid="overwrite-cancel" onClick={() => setConfirming(null)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              data-testid="overwrite-confirm"
              onClick={() => {
                const slot = confirming;
                setConfirming(null);
                if (slot !== null) open(slot);
              }}
            >
              {t('overwrite.confirm')}
            </button>
          </>
        }
      >
        {confirming !== null && (
          <p>{t('overwrite.text', { slot: confirming.label, uid: confirming.value?.studyInstanceUid ?? '' })}</p>
        )}
      </Dialog>
    </>
  );
}
