import { clearSlot } from '@courier/api';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { call } from '../../api/client.js';
import { Dialog } from '../../components/dialog.js';
import { ErrorText } from '../../components/error-text.js';
import { useToast } from '../../components/toast.js';
import { useI18n } from '../../i18n/i18n.js';
import { REASON_STYLE } from './reason-style.js';
import type { FilledSlot } from './slot-table.js';

/** Props of {@link ClearSlotDialog}. */
export interface ClearSlotDialogProps {
  /** The slot to clear; null = closed. */
  slot: FilledSlot | null;
  studyId: string;
  subjectId: string;
  eventId: string;
  onClose(): void;
  /** After the slot was cleared (refresh the tables). */
  onCleared(): void;
}

/**
 * "Clear slot" for study managers and admins: says what happens (the stored study stays, the
 * history keeps the value), asks for the reason (required: the button stays disabled without
 * one), and clears. Render it with `key` = the slot id so every slot gets a fresh form.
 *
 * @example
 * <ClearSlotDialog slot={slot} studyId={s} subjectId={x} eventId={e} onClose={close} onCleared={refresh} />
 */
export function ClearSlotDialog(props: ClearSlotDialogProps): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const slot = props.slot;
  const clear = useMutation({
    mutationFn: (input: { slotDefinitionId: string; reason: string }) =>
      call(clearSlot, {
        params: {
          studyId: props.studyId,
          subjectId: props.subjectId,
          eventId: props.eventId,
          slotDefinitionId: input.slotDefinitionId,
        },
        body: { reason: input.reason },
      }),
    onSuccess: () => {
      toast(t('clear.done', { slot: slot?.label ?? '' }));
      props.onCleared();
      props.onClose();
    },
  });
  const trimmed = reason.trim();
  return (
    <Dialog
      open={slot !== null}
      title={t('clear.title', { slot: slot?.label ?? '' })}
      testId="clear-dialog"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" data-testid="clear-cancel" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="clear-confirm"
            disabled={trimmed === '' || clear.isPending || slot === null}
            onClick={() => slot !== null && clear.mutate({ slotDefinitionId: slot.slotDefinitionId, reason: trimmed })}
          >
            {t('clear.confirm')}
          </button>
        </>
      }
    >
      {slot !== null && <p>{t('clear.text', { uid: slot.value.studyInstanceUid })}</p>}
      <label htmlFor={reasonId}>{t('clear.reason')}</label>
      <textarea
        id={reasonId}
        data-testid="clear-reason"
        required
        aria-required="true"
        rows={3}
        maxLength={500}
        style={REASON_STYLE}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      {clear.error && <ErrorText error={clear.error} />}
    </Dialog>
  );
}
