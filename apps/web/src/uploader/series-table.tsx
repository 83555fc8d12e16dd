import {
  deselectSeries,
  type RtGraph,
  type SelectionState,
  type SeriesDetails,
  type SeriesNode,
  selectionStatus,
  selectSeries,
  seriesDetails,
} from '@courier/uploader';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo } from 'react';
import { DataTable } from '../components/data-table.js';
import { useI18n } from '../i18n/i18n.js';
import { formatDicomDate } from './dicom-format.js';
import { formatBytes } from './ignored-text.js';

/** A row: the series with its details for the popup. */
export interface SeriesRow {
  series: SeriesNode;
  details: SeriesDetails;
}

const column = createColumnHelper<SeriesRow>();

/**
 * The selection checkbox of a series: checked when chosen, a minus (indeterminate, aria-checked
 * "mixed") when implied by a chosen series that references it.
 *
 * @example
 * <SelectBox status="implied" label="Select CT 1" impliedTitle="…" onToggle={toggle} />
 */
export function SelectBox(props: {
  status: 'explicit' | 'implied' | 'none';
  label: string;
  onToggle(): void;
  impliedTitle: string;
  /**
   * Inside a tree item, which takes the keyboard itself and says "selected" with aria-selected:
   * the box is for the mouse only (out of the tab order and of the accessibility tree).
   */
  inTree?: boolean;
}): ReactNode {
  return (
    <input
      type="checkbox"
      tabIndex={props.inTree ? -1 : undefined}
      aria-hidden={props.inTree ? true : undefined}
      data-testid="series-select"
      data-status={props.status}
      aria-label={props.label}
      title={props.status === 'implied' ? props.impliedTitle : undefined}
      checked={props.status === 'explicit'}
      aria-checked={props.status === 'implied' ? 'mixed' : props.status === 'explicit'}
      ref={(element) => {
        // An implied series shows the "minus" mark: selected because a chosen series references it.
        if (element !== null) element.indeterminate = props.status === 'implied';
      }}
      onChange={props.onToggle}
    />
  );
}

/**
 * The series table (the Uploader's default view): a checkbox per series (implied ones marked with
 * a minus), number, modality, description, date, instances, size and a Details button.
 *
 * @example
 * <SeriesTable series={study.series} graph={graph} selection={selection} onSelect={set} onDetails={open} />
 */
export function SeriesTable(props: {
  series: readonly SeriesNode[];
  graph: RtGraph;
  selection: SelectionState;
  onSelect(selection: SelectionState): void;
  onDetails(row: SeriesRow): void;
  /** Series named by a sanity warning or error: their Details button is yellow. */
  flagged: ReadonlySet<string>;
}): ReactNode {
  const { t, language } = useI18n();
  const rows = useMemo(
    () => props.series.map((series) => ({ series, details: seriesDetails(series) })),
    [props.series],
  );
  const { graph, selection, onSelect } = props;
  const columns = [
    column.display({
      id: 'select',
      header: t('series.select'),
      cell: ({ row }) => {
        const uid = row.original.series.seriesInstanceUID;
        const status = selectionStatus(graph, selection, uid);
        return (
          <SelectBox
            status={status}
            label={`${t('series.select')} ${row.original.series.modality} ${row.original.series.seriesNumber ?? ''}`}
            impliedTitle={t('series.implied')}
            onToggle={() =>
              onSelect(
                status === 'explicit' ? deselectSeries(graph, selection, uid) : selectSeries(graph, selection, uid),
              )
            }
          />
        );
      },
    }),
    column.accessor((r) => r.series.seriesNumber ?? '', { id: 'number', header: t('series.number') }),
    column.accessor((r) => r.series.modality, { id: 'modality', header: t('series.modality') }),
    column.accessor((r) => r.details.description ?? '', { id: 'description', header: t('series.description') }),
    column.accessor((r) => formatDicomDate(r.details.date), { id: 'date', header: t('series.date') }),
    column.accessor((r) => r.series.instances.length, { id: 'instances', header: t('series.instances') }),
    column.accessor((r) => formatBytes(r.series.totalSize, language), { id: 'size', header: t('series.size') }),
    column.display({
      id: 'details',
      header: t('series.details'),
      cell: ({ row }) => (
        <button
          type="button"
          className={props.flagged.has(row.original.series.seriesInstanceUID) ? 'small warn' : 'small'}
          data-testid="series-details"
          data-flagged={props.flagged.has(row.original.series.seriesInstanceUID)}
          onClick={() => props.onDetails(row.original)}
        >
          {t('series.details')}
        </button>
      ),
    }),
  ];
  return (
    <DataTable
      testId="series-table"
      data={rows}
      columns={columns}
      rowKey={(r) => r.series.seriesInstanceUID}
      virtualiseAbove={100}
    />
  );
}
