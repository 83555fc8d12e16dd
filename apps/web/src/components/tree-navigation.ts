/**
 * Keyboard behaviour of a WAI-ARIA tree view (ARIA Authoring Practices, "Tree View Pattern",
 * keyboard interaction), as pure functions over the items currently drawn, so that it is tested
 * without a browser and any tree component can use it.
 *
 * @example
 * const items = visibleTreeItems(roots, (n) => n.children, (n) => n.id, collapsed);
 * const move = treeKeyMove(items, 'ct/plan', 'ArrowLeft'); // { kind: 'focus', key: 'ct' }
 */
export interface VisibleTreeItem {
  /** Path key, unique in the tree even when a node is drawn twice. */
  readonly key: string;
  readonly parent: string | null;
  /** 1 for roots (aria-level). */
  readonly level: number;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
}

/** What a key press on a tree item does. */
export type TreeMove =
  | { readonly kind: 'focus'; readonly key: string }
  | { readonly kind: 'expand'; readonly key: string }
  | { readonly kind: 'collapse'; readonly key: string }
  | { readonly kind: 'toggle-selection'; readonly key: string }
  | { readonly kind: 'none' };

/**
 * The items in display order (depth first), skipping the children of collapsed items. A node's
 * key is its parent's key, a slash and its id.
 *
 * @example
 * visibleTreeItems([{ id: 'a', c: [] }], (n) => n.c, (n) => n.id, new Set()); // [{ key: '/a', … }]
 */
export function visibleTreeItems<T>(
  roots: readonly T[],
  children: (node: T) => readonly T[],
  id: (node: T) => string,
  collapsed: ReadonlySet<string>,
): VisibleTreeItem[] {
  const out: VisibleTreeItem[] = [];
  const walk = (nodes: readonly T[], parent: string | null, level: number) => {
    for (const node of nodes) {
      const key = `${parent ?? ''}/${id(node)}`;
      const kids = children(node);
      const expanded = kids.length > 0 && !collapsed.has(key);
      out.push({ key, parent, level, hasChildren: kids.length > 0, expanded });
      if (expanded) walk(kids, key, level + 1);
    }
  };
  walk(roots, null, 1);
  return out;
}

/**
 * The effect of a key on the focused item: Down/Up move to the next/previous visible item; Right
 * expands a closed item or moves to the first child of an open one; Left collapses an open item or
 * moves to the parent; Home/End go to the first/last item; Space and Enter toggle the selection.
 *
 * @example
 * treeKeyMove(items, '/ct', 'ArrowRight'); // { kind: 'expand', key: '/ct' } when '/ct' is closed
 */
export function treeKeyMove(items: readonly VisibleTreeItem[], current: string, key: string): TreeMove {
  const index = items.findIndex((item) => item.key === current);
  const item = items[index];
  if (item === undefined) return items[0] === undefined ? { kind: 'none' } : { kind: 'focus', key: items[0].key };
  const focus = (target: VisibleTreeItem | undefined): TreeMove =>
    target === undefined ? { kind: 'none' } : { kind: 'focus', key: target.key };
  switch (key) {
    case 'ArrowDown':
      return focus(items[index + 1]);
    case 'ArrowUp':
      return focus(items[index - 1]);
    case 'Home':
      return focus(items[0]);
    case 'End':
      return focus(items.at(-1));
    case 'ArrowRight':
      if (!item.hasChildren) return { kind: 'none' };
      return item.expanded ? focus(items[index + 1]) : { kind: 'expand', key: item.key };
    case 'ArrowLeft':
      if (item.expanded) return { kind: 'collapse', key: item.key };
      return item.parent === null ? { kind: 'none' } : { kind: 'focus', key: item.parent };
    case ' ':
    case 'Enter':
      return { kind: 'toggle-selection', key: item.key };
    default:
      return { kind: 'none' };
  }
}
