import { describe, expect, it } from 'vitest';
import { treeKeyMove, visibleTreeItems } from './tree-navigation.js';

interface N {
  id: string;
  c: N[];
}
// CT → RTSTRUCT → RTPLAN → (RTDOSE, RTIMAGE); MR alone.
const roots: N[] = [
  {
    id: 'ct',
    c: [
      {
        id: 'rs',
        c: [
          {
            id: 'rp',
            c: [
              { id: 'rd', c: [] },
              { id: 'ri', c: [] },
            ],
          },
        ],
      },
    ],
  },
  { id: 'mr', c: [] },
];
const items = (collapsed: string[] = []) =>
  visibleTreeItems(
    roots,
    (n) => n.c,
    (n) => n.id,
    new Set(collapsed),
  );

describe('visibleTreeItems', () => {
  it('lists every item depth first with its level and parent when nothing is collapsed', () => {
    expect(items().map((i) => [i.key, i.level, i.parent])).toEqual([
      ['/ct', 1, null],
      ['/ct/rs', 2, '/ct'],
      ['/ct/rs/rp', 3, '/ct/rs'],
      ['/ct/rs/rp/rd', 4, '/ct/rs/rp'],
      ['/ct/rs/rp/ri', 4, '/ct/rs/rp'],
      ['/mr', 1, null],
    ]);
  });

  it('hides the descendants of a collapsed item and marks it not expanded', () => {
    const list = items(['/ct/rs']);
    expect(list.map((i) => i.key)).toEqual(['/ct', '/ct/rs', '/mr']);
    expect(list[1]).toMatchObject({ hasChildren: true, expanded: false });
    expect(list[2]).toMatchObject({ hasChildren: false, expanded: false });
  });
});

describe('treeKeyMove', () => {
  it('moves down and up through the visible items and stops at the ends', () => {
    expect(treeKeyMove(items(), '/ct', 'ArrowDown')).toEqual({ kind: 'focus', key: '/ct/rs' });
    expect(treeKeyMove(items(['/ct']), '/ct', 'ArrowDown')).toEqual({ kind: 'focus', key: '/mr' });
    expect(treeKeyMove(items(), '/ct/rs', 'ArrowUp')).toEqual({ kind: 'focus', key: '/ct' });
    expect(treeKeyMove(items(), '/ct', 'ArrowUp')).toEqual({ kind: 'none' });
    expect(treeKeyMove(items(), '/mr', 'ArrowDown')).toEqual({ kind: 'none' });
  });

  it('expands a closed item on Right, then moves into its first child', () => {
    expect(treeKeyMove(items(['/ct/rs']), '/ct/rs', 'ArrowRight')).toEqual({ kind: 'expand', key: '/ct/rs' });
    expect(treeKeyMove(items(), '/ct/rs', 'ArrowRight')).toEqual({ kind: 'focus', key: '/ct/rs/rp' });
    expect(treeKeyMove(items(), '/mr', 'ArrowRight')).toEqual({ kind: 'none' });
  });

  it('collapses an open item on Left, and from a closed or leaf item moves to its parent', () => {
    expect(treeKeyMove(items(), '/ct/rs', 'ArrowLeft')).toEqual({ kind: 'collapse', key: '/ct/rs' });
    expect(treeKeyMove(items(), '/ct/rs/rp/ri', 'ArrowLeft')).toEqual({ kind: 'focus', key: '/ct/rs/rp' });
    expect(treeKeyMove(items(['/ct']), '/ct', 'ArrowLeft')).toEqual({ kind: 'none' });
  });

  it('goes to the first and last item on Home and End, and toggles the selection on Space and Enter', () => {
    expect(treeKeyMove(items(), '/ct/rs/rp', 'Home')).toEqual({ kind: 'focus', key: '/ct' });
    expect(treeKeyMove(items(), '/ct', 'End')).toEqual({ kind: 'focus', key: '/mr' });
    expect(treeKeyMove(items(), '/ct/rs/rp/rd', ' ')).toEqual({ kind: 'toggle-selection', key: '/ct/rs/rp/rd' });
    expect(treeKeyMove(items(), '/mr', 'Enter')).toEqual({ kind: 'toggle-selection', key: '/mr' });
    expect(treeKeyMove(items(), '/mr', 'a')).toEqual({ kind: 'none' });
  });

  it('focuses the first item when the focused one is no longer drawn', () => {
    expect(treeKeyMove(items(['/ct']), '/ct/rs/rp', 'ArrowDown')).toEqual({ kind: 'focus', key: '/ct' });
  });
});
