import {
  buildRtTree,
  deselectSeries,
  type RtGraph,
  type RtTreeNode,
  type SelectionState,
  type SeriesNode,
  selectionStatus,
  selectSeries,
} from '@courier/uploader';
import { type ReactNode, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { SelectBox } from './series-table.js';

/**
 * The "RT Series" tab: image series as roots, then RTSTRUCT → RTPLAN → RTDOSE/RTIMAGE, built from
 * the DICOM references. Selecting a series marks everything it references as implied (minus).
 *
 * @example
 * <RtSeriesTree series={study.series} graph={graph} selection={selection} onSelect={set} />
 */
export function RtSeriesTree(props: {
  series: readonly SeriesNode[];
  graph: RtGraph;
  selection: SelectionState;
  onSelect(selection: SelectionState): void;
}): ReactNode {
  const { t } = useI18n();
  const roots = useMemo(() => buildRtTree(props.graph), [props.graph]);
  const byUid = useMemo(() => new Map(props.series.map((s) => [s.seriesInstanceUID, s])), [props.series]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const { graph, selection, onSelect } = props;

  const renderNode = (node: RtTreeNode, path: string): ReactNode => {
    const key = `${path}/${node.id}`;
    const series = byUid.get(node.id);
    const open = !collapsed.has(key);
    const status = node.status === 'present' ? selectionStatus(graph, selection, node.id) : 'none';
    return (
      <li
        key={key}
        data-testid="rt-node"
        data-modality={node.modality}
        data-status={node.status === 'missing' ? 'missing' : status}
      >
        <div className="rt-node">
          {node.children.length > 0 ? (
            <button
              type="button"
              className="twisty"
              aria-expanded={open}
              aria-label={`${node.modality} ${series?.seriesNumber ?? ''}`}
              onClick={() =>
                setCollapsed((previous) => {
                  const next = new Set(previous);
                  if (open) next.add(key);
                  else next.delete(key);
                  return next;
                })
              }
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="twisty" />
          )}
          {node.status === 'present' && !node.repeated ? (
            <SelectBox
              status={status}
              label={`${t('series.select')} ${node.modality} ${series?.seriesNumber ?? ''}`}
              impliedTitle={t('series.implied')}
              onToggle={() =>
                onSelect(
                  status === 'explicit'
                    ? deselectSeries(graph, selection, node.id)
                    : selectSeries(graph, selection, node.id),
                )
              }
            />
          ) : (
            <span className="select-placeholder" />
          )}
          <span className={`modality ${node.status}`}>{node.modality}</span>
          {series !== undefined && (
            <span className="rt-label">
              {series.seriesNumber !== undefined && `#${series.seriesNumber} `}
              {series.instances[0]?.rt?.label ?? series.instances[0]?.seriesAttributes.seriesDescription ?? ''} ·{' '}
              {series.instances.length}
            </span>
          )}
        </div>
        {open && node.children.length > 0 && <ul>{node.children.map((child) => renderNode(child, key))}</ul>}
      </li>
    );
  };

  return (
    <ul className="rt-tree" data-testid="rt-tree" aria-label={t('series.rtTab')}>
      {roots.map((root) => renderNode(root, ''))}
    </ul>
  );
}
