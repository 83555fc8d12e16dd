import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SlotRef } from './uploader-link.js';

/** The BroadcastChannel the Uploader window and the Portal tabs of one origin share. */
export const UPLOAD_CHANNEL = 'courier-uploads';

/**
 * "A study was assigned to this slot": sent by the Uploader window when its upload is committed.
 * Identifiers only, like the Uploader URL (no label, pseudonym or UID of the patient's data).
 */
export interface SlotAssignedMessage extends SlotRef {
  readonly type: 'slot-assigned';
}

/**
 * Whether a message from the channel is a {@link SlotAssignedMessage} (anything of the same origin
 * may post on it, so the shape is checked).
 *
 * @example
 * if (isSlotAssigned(event.data)) refresh(event.data);
 */
export function isSlotAssigned(data: unknown): data is SlotAssignedMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return (
    m.type === 'slot-assigned' &&
    typeof m.studyId === 'string' &&
    typeof m.subjectId === 'string' &&
    typeof m.eventId === 'string' &&
    typeof m.slotDefinitionId === 'string'
  );
}

/**
 * The Portal queries an assignment changes: the subject's event slots (the DICOM tab), the events'
 * fill counts, the stored studies' "held by", the slot histories and the subject list.
 *
 * @example
 * queriesToRefresh(message).forEach((queryKey) => queryClient.invalidateQueries({ queryKey }));
 */
export function queriesToRefresh(message: SlotAssignedMessage): QueryKey[] {
  const { studyId, subjectId } = message;
  return [
    ['slots', studyId, subjectId],
    ['events', studyId, subjectId],
    ['stored-studies', studyId, subjectId],
    ['slot-history', studyId, subjectId],
    ['subjects', studyId],
  ];
}

/**
 * Tells every Portal tab that the slot now holds a study (no-op where BroadcastChannel is missing).
 *
 * @example
 * announceSlotAssigned({ type: 'slot-assigned', ...slotRef });
 */
export function announceSlotAssigned(message: SlotAssignedMessage): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(UPLOAD_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

/**
 * Listens on the channel and refreshes what an assignment changed, so the DICOM tab of a Portal
 * tab shows the new study as soon as the Uploader window commits it — without waiting for the
 * tab to get the focus back.
 *
 * @example
 * useUploadBroadcast(); // in the Portal frame
 */
export function useUploadBroadcast(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(UPLOAD_CHANNEL);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (!isSlotAssigned(event.data)) return;
      for (const queryKey of queriesToRefresh(event.data)) void queryClient.invalidateQueries({ queryKey });
    };
    return () => channel.close();
  }, [queryClient]);
}
