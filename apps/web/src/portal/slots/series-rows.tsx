import { downloadSeriesZip, endpointPath, getStoredStudy, type StoredSeries } from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { call } from '../../api/client.js';
import { ErrorText } from '../../components/error-text.js';
import { useI18n } from '../../i18n/i18n.js';

/** A series' date and time as stored (`YYYY-MM-DD HH:MM:SS`), or what there is of it. */
export function seriesDateTime(series: Pick<StoredSeries, 'seriesDate' | 'seriesTime'>): string {
  return [series.seriesDate, series.seriesTime].filter((part) => part !== null).join(' ');
}

/** Props of {@link SeriesRows}. */
export interface SeriesRowsProps {
  studyId: string;
  subjectId: string;
  studyInstanceUid: string;
  slotLabel: string;
  /** Offer each series as a zip (capability `download`). */
  canDownload: boolean;
}

/**
 * The row expansion of an assigned study in the DICOM tab: its series (number, modality,
 * description, instance count, date and time) from the Portal's stored-study catalogue, each
 * with its zip download when the user may download.
 *
 * @example
 * <SeriesRows studyId={s} subjectId={x} studyInstanceUid={uid} slotLabel="Planning CT" />
 */
export function SeriesRows(props: SeriesRowsProps): ReactNode {
  const { t } = useI18n();
  const study = useQuery({
    queryKey: ['stored-study', props.studyId, props.subjectId, props.studyInstanceUid],
    queryFn: () =>
      call(getStoredStudy, {
        params: { studyId: props.studyId, subjectId: props.subjectId, studyInstanceUid: props.studyInstanceUid },
      }),
    retry: false,
  });
  if (study.error) return <ErrorText error={study.error} />;
  if (study.data === undefined) return <p className="hint">{t('common.loading')}</p>;
  if (study.data.series.length === 0) return <p className="hint">{t('series.none')}</p>;
  return (
    <table className="data-table series-table" data-testid="series-table">
      <caption className="hint">{t('series.caption', { slot: props.slotLabel })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('series.number')}</th>
          <th scope="col">{t('series.modality')}</th>
          <th scope="col">{t('series.description')}</th>
          <th scope="col">{t('series.instances')}</th>
          <th scope="col">{t('series.time')}</th>
          {props.canDownload && <th scope="col">{t('dicom.commands')}</th>}
        </tr>
      </thead>
      <tbody>
        {study.data.series.map((series) => (
          <tr key={series.seriesInstanceUid} data-testid="series-table-row" title={series.seriesInstanceUid}>
            <td>{series.seriesNumber ?? t('common.none')}</td>
            <td>{series.modality ?? t('common.none')}</td>
            <td>{series.description || t('common.none')}</td>
            <td>{series.instanceCount}</td>
            <td>{seriesDateTime(series) || t('common.none')}</td>
            {props.canDownload && (
              <td>
                <a
                  href={endpointPath(downloadSeriesZip, {
                    studyId: props.studyId,
                    studyInstanceUid: props.studyInstanceUid,
                    seriesInstanceUid: series.seriesInstanceUid,
                  })}
                  download
                  data-testid="download-series"
                  aria-label={t('series.downloadOf', {
                    modality: series.modality ?? '',
                    number: series.seriesNumber ?? '',
                  })}
                >
                  {t('dicom.download')}
                </a>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
