import { type EventSlot, getSlotHistory, type SlotHistoryEntry } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { call } from '../../api/client.js';
import { Dialog } from '../../components/dialog.js';
import { ErrorText } from '../../components/error-text.js';
import { useI18n } from '../../i18n/i18n.js';
import { formatDateTime } from '../../i18n/translate.js';

/** Props of {@link SlotHistoryDialog}. */
export interface SlotHistoryDialogProps {
  /** The slot whose history is shown; null = closed. */
  slot: EventSlot | null;
  studyId: string;
  subjectId: string;
  eventId: string;
  onClose(): void;
}

/**
 * Every value a slot held, newest first: the Study Instance UID, who assigned it and when, how (an
 * upload, with its id, or an existing study assigned), and who ended it, when, how (replaced or
 * cleared) and why.
 *
 * @example
 * <SlotHistoryDialog slot={slot} studyId={s} subjectId={x} eventId={e} onClose={close} />
 */
export function SlotHistoryDialog(props: SlotHistoryDialogProps): ReactNode {
  const { t, language } = useI18n();
  const slotDefinitionId = props.slot?.slotDefinitionId ?? '';
  const history = useQuery({
    queryKey: ['slot-history', props.studyId, props.subjectId, props.eventId, slotDefinitionId],
    queryFn: () =>
      call(getSlotHistory, {
        params: { studyId: props.studyId, subjectId: props.subjectId, eventId: props.eventId, slotDefinitionId },
      }),
    enabled: props.slot !== null,
  });
  const byAt = (at: string, by: string) => t('history.byAt', { at: formatDateTime(language, at), by });
  const status = (entry: SlotHistoryEntry) =>
    entry.end === null ? t('history.current') : entry.end === 'cleared' ? t('history.cleared') : t('history.replaced');
  return (
    <Dialog
      open={props.slot !== null}
      title={t('history.title', { slot: props.slot?.label ?? '' })}
      testId="history-dialog"
      onClose={props.onClose}
      wide
      footer={
        <button type="button" data-testid="history-close" onClick={props.onClose}>
          {t('common.close')}
        </button>
      }
    >
      {history.error && <ErrorText error={history.error} />}
      {history.data === undefined ? (
        <p className="hint">{t('common.loading')}</p>
      ) : history.data.length === 0 ? (
        <p className="hint" data-testid="history-empty">
          {t('history.empty')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">{t('dicom.studyUid')}</th>
                <th scope="col">{t('history.assigned')}</th>
                <th scope="col">{t('dicom.how')}</th>
                <th scope="col">{t('history.status')}</th>
                <th scope="col">{t('history.ended')}</th>
                <th scope="col">{t('history.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((entry) => (
                <tr
                  key={`${entry.assignedAt}-${entry.studyInstanceUid}-${entry.endedAt ?? 'now'}`}
                  data-testid="history-table-row"
                  data-end={entry.end ?? 'current'}
                >
                  <td>
                    <code className="uid">{entry.studyInstanceUid}</code>
                  </td>
                  <td>{byAt(entry.assignedAt, entry.assignedByName)}</td>
                  <td>
                    {entry.how === 'upload' && entry.uploadId !== null ? (
                      <span title={entry.uploadId}>{t('how.upload', { id: entry.uploadId.slice(0, 8) })}</span>
                    ) : (
                      t('how.assign')
                    )}
                  </td>
                  <td>
                    <span className={entry.end === null ? 'badge filled' : 'badge empty'}>{status(entry)}</span>
                  </td>
                  <td>{entry.endedAt === null ? t('common.none') : byAt(entry.endedAt, entry.endedByName ?? '')}</td>
                  <td data-testid="history-reason">{entry.reason ?? t('common.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
