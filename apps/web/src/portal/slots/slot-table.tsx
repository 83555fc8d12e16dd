import { downloadStudyZip, type EventSlot, endpointPath, type SlotValue } from '@courier/api';
import { Fragment, type ReactNode, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { formatDateTime } from '../../i18n/translate.js';
import { ViewerLink } from '../../viewer/viewer-link.js';
import { SeriesRows } from './series-rows.js';

/** A slot that holds a study. */
export type FilledSlot = EventSlot & { value: SlotValue };

/** Props of {@link SlotTable}. */
export interface SlotTableProps {
  studyId: string;
  subjectId: string;
  slots: FilledSlot[];
  emptyText: string;
  canClear: boolean;
  /** Offer the study and series zips (capability `download`). */
  canDownload: boolean;
  onHistory(slot: EventSlot): void;
  onClear(slot: FilledSlot): void;
}

/**
 * The DICOM tab's table: one row per filled slot (slot, Study Instance UID, study date,
 * modalities, series and instance counts, when and by whom it was assigned, and how), a toggle
 * that expands the row into the study's series, and the View, Download (zip), History and
 * Clear slot commands. Rows
 * keep the `dicom-table-row` test id of the earlier table.
 *
 * @example
 * <SlotTable studyId={s} subjectId={x} slots={filled} canClear onHistory={open} onClear={ask} emptyText="…" />
 */
export function SlotTable(props: SlotTableProps): ReactNode {
  const { t, language } = useI18n();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const headers = [
    '',
    t('dicom.slot'),
    t('dicom.studyUid'),
    t('dicom.studyDate'),
    t('dicom.modalities'),
    t('dicom.seriesInstances'),
    t('dicom.assigned'),
    t('dicom.how'),
    t('dicom.commands'),
  ];
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="dicom-table">
        <thead>
          <tr>
            {headers.map((header, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the header list is fixed
              <th key={i} scope="col">
                {i === 0 ? <span className="sr-only">{t('dicom.series')}</span> : header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.slots.length === 0 && (
            <tr>
              <td colSpan={headers.length} className="empty" data-testid="dicom-table-empty">
                {props.emptyText}
              </td>
            </tr>
          )}
          {props.slots.map((slot) => {
            const open = expanded.has(slot.slotDefinitionId);
            const value = slot.value;
            const detailsId = `series-${slot.slotDefinitionId}`;
            return (
              <Fragment key={slot.slotDefinitionId}>
                <tr data-testid="dicom-table-row" data-key={slot.slotDefinitionId}>
                  <td>
                    <button
                      type="button"
                      className="small"
                      data-testid="dicom-expand"
                      aria-expanded={open}
                      aria-controls={open ? detailsId : undefined}
                      aria-label={t(open ? 'dicom.hideSeries' : 'dicom.showSeries', { slot: slot.label })}
                      onClick={() => toggle(slot.slotDefinitionId)}
                    >
                      {open ? '▾' : '▸'}
                    </button>
                  </td>
                  <td title={slot.modalities.join(', ')}>{slot.label}</td>
                  <td>
                    <code className="uid">{value.studyInstanceUid}</code>
                  </td>
                  <td>{value.studyDate ?? t('common.none')}</td>
                  <td>{value.modalities.join(', ') || t('common.none')}</td>
                  <td>
                    {value.seriesCount} / {value.instanceCount}
                  </td>
                  <td>{t('history.byAt', { at: formatDateTime(language, value.assignedAt), by: value.assignedBy })}</td>
                  <td data-testid="dicom-how">
                    {value.uploadId === null ? t('how.assign') : t('how.upload', { id: value.uploadId.slice(0, 8) })}
                  </td>
                  <td className="commands">
                    <ViewerLink studyId={props.studyId} studyInstanceUid={value.studyInstanceUid} />{' '}
                    {props.canDownload && (
                      <a
                        href={endpointPath(downloadStudyZip, {
                          studyId: props.studyId,
                          studyInstanceUid: value.studyInstanceUid,
                        })}
                        download
                        data-testid="download-study"
                        aria-label={t('dicom.downloadStudyOf', { slot: slot.label })}
                      >
                        {t('dicom.download')}
                      </a>
                    )}{' '}
                    <button
                      type="button"
                      className="small"
                      data-testid="slot-history"
                      onClick={() => props.onHistory(slot)}
                    >
                      {t('dicom.history')}
                    </button>{' '}
                    {props.canClear && (
                      <button
                        type="button"
                        className="small danger"
                        data-testid="slot-clear"
                        onClick={() => props.onClear(slot)}
                      >
                        {t('dicom.clear')}
                      </button>
                    )}
                  </td>
                </tr>
                {open && (
                  <tr data-testid="dicom-series-row" id={detailsId}>
                    <td />
                    <td colSpan={headers.length - 1}>
                      <SeriesRows
                        studyId={props.studyId}
                        subjectId={props.subjectId}
                        studyInstanceUid={value.studyInstanceUid}
                        slotLabel={slot.label}
                        canDownload={props.canDownload}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
