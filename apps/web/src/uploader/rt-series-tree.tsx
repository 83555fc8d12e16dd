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
import { type KeyboardEvent, type ReactNode, useMemo, useRef, useState } from 'react';
import { treeKeyMove, visibleTreeItems } from '../components/tree-navigation.js';
import { useI18n } from '../i18n/i18n.js';
import { SelectBox } from './series-table.js';

/**
 * The "RT Series" tab: image series as roots, then RTSTRUCT → RTPLAN → RTDOSE/RTIMAGE, built from
 * the DICOM references. Selecting a series marks everything it references as implied (minus).
 * A WAI-ARIA tree (tree/treeitem/group, aria-expanded, aria-selected, aria-level) with one tab stop:
 * arrow keys move and expand/collapse, Space or Enter toggles the selection (tree-navigation.ts);
 * the checkbox and the twisty are for the mouse.
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
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const elements = useRef(new Map<string, HTMLLIElement>());
  const { graph, selection, onSelect } = props;
  const items = useMemo(
    () =>
      visibleTreeItems(
        roots,
        (n) => n.children,
        (n) => n.id,
        collapsed,
      ),
    [roots, collapsed],
  );
  // Roving tab index: the last focused item, or the first one, is the tree's single tab stop.
  const tabStop = items.some((item) => item.key === focusKey) ? focusKey : (items[0]?.key ?? null);
  const nodeByKey = useMemo(() => {
    const map = new Map<string, RtTreeNode>();
    const walk = (nodes: readonly RtTreeNode[], path: string) => {
      for (const node of nodes) {
        map.set(`${path}/${node.id}`, node);
        walk(node.children, `${path}/${node.id}`);
      }
    };
    walk(roots, '');
    return map;
  }, [roots]);

  const setOpen = (key: string, open: boolean) =>
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (open) next.delete(key);
      else next.add(key);
      return next;
    });
  const selectable = (node: RtTreeNode) => node.status === 'present' && !node.repeated;
  const toggle = (node: RtTreeNode) => {
    if (!selectable(node)) return;
    const status = selectionStatus(graph, selection, node.id);
    onSelect(
      status === 'explicit' ? deselectSeries(graph, selection, node.id) : selectSeries(graph, selection, node.id),
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>, key: string) => {
    // Keys pressed in a child item bubble through its ancestors: only the item itself acts.
    if (event.target !== event.currentTarget) return;
    const move = treeKeyMove(items, key, event.key);
    if (move.kind === 'none') return;
    event.preventDefault();
    if (move.kind === 'focus') {
      setFocusKey(move.key);
      elements.current.get(move.key)?.focus();
    } else if (move.kind === 'expand' || move.kind === 'collapse') setOpen(move.key, move.kind === 'expand');
    else {
      const node = nodeByKey.get(move.key);
      if (node !== undefined) toggle(node);
    }
  };

  const renderNode = (node: RtTreeNode, path: string, level: number): ReactNode => {
    const key = `${path}/${node.id}`;
    const series = byUid.get(node.id);
    const open = !collapsed.has(key);
    const status = node.status === 'present' ? selectionStatus(graph, selection, node.id) : 'none';
    const name = `${node.modality} ${series?.seriesNumber ?? ''}`.trim();
    const note = node.status === 'missing' ? t('series.missing') : status === 'implied' ? t('series.implied') : '';
    return (
      <li
        key={key}
        ref={(element) => {
          if (element === null) elements.current.delete(key);
          else elements.current.set(key, element);
        }}
        role="treeitem"
        aria-level={level}
        aria-expanded={node.children.length > 0 ? open : undefined}
        aria-selected={selectable(node) ? status !== 'none' : undefined}
        tabIndex={key === tabStop ? 0 : -1}
        onFocus={(event) => {
          if (event.target === event.currentTarget) setFocusKey(key);
        }}
        onKeyDown={(event) => onKeyDown(event, key)}
        data-testid="rt-node"
        data-modality={node.modality}
        data-status={node.status === 'missing' ? 'missing' : status}
      >
        <div className="rt-node">
          {node.children.length > 0 ? (
            <button
              type="button"
              className="twisty"
              tabIndex={-1}
              aria-hidden="true"
              onClick={() => setOpen(key, !open)}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="twisty" />
          )}
          {selectable(node) ? (
            <SelectBox
              status={status}
              label={`${t('series.select')} ${name}`}
              impliedTitle={t('series.implied')}
              inTree
              onToggle={() => toggle(node)}
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
          {/* Said by screen readers with the item's name; sighted users see the minus mark or the grey text. */}
          {note !== '' && <span className="sr-only">, {note}</span>}
        </div>
        {open && node.children.length > 0 && (
          // biome-ignore lint/a11y/useSemanticElements: WAI-ARIA tree pattern: a treeitem's children sit in role="group", not a fieldset
          <ul role="group">{node.children.map((child) => renderNode(child, key, level + 1))}</ul>
        )}
      </li>
    );
  };

  return (
    <ul
      className="rt-tree"
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: WAI-ARIA tree pattern (APG "Tree View") on a list; keyboard handled per item
      role="tree"
      aria-multiselectable="true"
      data-testid="rt-tree"
      aria-label={t('series.rtTab')}
    >
      {roots.map((root) => renderNode(root, '', 1))}
    </ul>
  );
}
