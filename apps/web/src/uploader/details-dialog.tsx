import { lazy, type ReactNode, Suspense } from 'react';
import { Dialog } from '../components/dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDicomDate, formatDicomTime } from './dicom-format.js';
import { formatBytes } from './ignored-text.js';
import { hasPreview } from './preview/middle-instance.js';
import type { SeriesRow } from './series-table.js';

// Decoding code is fetched when a Details popup first shows a preview, not with the Uploader page.
const SeriesPreview = lazy(() => import('./preview/series-preview.js').then((m) => ({ default: m.SeriesPreview })));

/**
 * The Details popup of a series: identifiers, SOP classes, transfer syntaxes, equipment, and for
 * RT objects the label, ROI count and approval status (RTPLAN/RTSTRUCT, PS3.3 C.8.8.16). With the
 * dropped files at hand, an image series also shows its middle slice, decoded on the page.
 *
 * @example
 * <DetailsDialog row={row} files={droppedFilesByPath} onClose={close} />
 */
export function DetailsDialog(props: {
  row: SeriesRow | null;
  /** The dropped Files by the path the scan recorded (for the preview). */
  files?: ReadonlyMap<string, File>;
  onClose(): void;
}): ReactNode {
  const { t, language } = useI18n();
  const d = props.row?.details;
  const line = (label: string, value: ReactNode, testId: string) =>
    value === undefined || value === '' ? null : (
      <>
        <dt>{label}</dt>
        <dd data-testid={testId}>{value}</dd>
      </>
    );
  const rt = d?.rt;
  return (
    <Dialog
      open={props.row !== null}
      title={t('details.title')}
      testId="details-dialog"
      onClose={props.onClose}
      wide
      footer={
        <button type="button" onClick={props.onClose} data-testid="details-close">
          {t('common.close')}
        </button>
      }
    >
      {props.row !== null && props.files !== undefined && hasPreview(props.row.series) && (
        <Suspense fallback={null}>
          <SeriesPreview series={props.row.series} files={props.files} />
        </Suspense>
      )}
      {d !== undefined && (
        <dl className="overview">
          {line(t('series.modality'), d.modality, 'details-modality')}
          {line(t('series.number'), d.seriesNumber?.toString(), 'details-number')}
          {line(t('series.description'), d.description, 'details-description')}
          {line(
            t('series.date'),
            [formatDicomDate(d.date), formatDicomTime(d.time)].filter(Boolean).join(' '),
            'details-date',
          )}
          {line(t('series.instances'), d.instanceCount.toString(), 'details-instances')}
          {line(t('series.size'), formatBytes(d.totalSize, language), 'details-size')}
          {line(t('details.uid'), <code className="uid">{d.seriesInstanceUID}</code>, 'details-uid')}
          {line(t('details.sopClasses'), d.sopClassNames.join(', '), 'details-sop-classes')}
          {line(t('details.transferSyntaxes'), d.transferSyntaxUIDs.join(', '), 'details-transfer-syntaxes')}
          {line(t('details.bodyPart'), d.bodyPartExamined, 'details-body-part')}
          {line(
            t('details.manufacturer'),
            [d.manufacturer, d.manufacturerModelName].filter(Boolean).join(' '),
            'details-manufacturer',
          )}
          {rt !== undefined && line(t('details.rtLabel'), rt.labels.join(', '), 'details-rt-label')}
          {rt !== undefined && line(t('details.roiCount'), rt.roiCount?.toString(), 'details-roi-count')}
          {rt !== undefined && line(t('details.approval'), rt.approvalStatus, 'details-approval')}
        </dl>
      )}
    </Dialog>
  );
}
