// @vitest-environment happy-dom
import { createColumnHelper } from '@tanstack/react-table';
import { act, createElement as h, type ReactNode } from 'react';
import { describe, expect, test } from 'vitest';
import { I18nProvider } from '../i18n/i18n.js';
import { DataTable } from './data-table.js';
import { mountPerTest } from './test-mount.js';

interface Subject {
  id: string;
  label: string;
}
const column = createColumnHelper<Subject>();
const columns = [column.accessor('label', { header: 'Label' })];
const subjects = (n: number): Subject[] =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, label: `S01-${String(i + 1).padStart(3, '0')}` }));

const mount = mountPerTest();
const render = (node: ReactNode) => mount().render(h(I18nProvider, null, node));
const table = (props: Record<string, unknown>) =>
  h(DataTable<Subject>, { testId: 'subjects', columns, rowKey: (s: Subject) => s.id, data: [], ...props });
const rows = () => [...mount().host.querySelectorAll<HTMLTableRowElement>('[data-testid="subjects-row"]')];
const key = (element: Element, k: string) =>
  act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  });

describe('DataTable', () => {
  test('selectable rows are in the tab order and Enter or Space picks the row, as a click does', () => {
    const picked: string[] = [];
    render(table({ data: subjects(3), onRowClick: (s: Subject) => picked.push(s.label) }));
    expect(rows().map((r) => r.tabIndex)).toEqual([0, 0, 0]);
    key(rows()[1]!, 'Enter');
    key(rows()[2]!, ' ');
    key(rows()[0]!, 'a');
    act(() => rows()[0]!.click());
    expect(picked).toEqual(['S01-002', 'S01-003', 'S01-001']);
  });

  test('the selected row says so with aria-selected; rows without a handler are neither selectable nor focusable', () => {
    render(table({ data: subjects(2), onRowClick: () => undefined, selectedKey: 'id-1' }));
    expect(rows().map((r) => r.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    render(table({ data: subjects(2) }));
    expect(rows().map((r) => [r.getAttribute('aria-selected'), r.getAttribute('tabindex')])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  test('an empty table shows its empty text in one cell spanning the columns', () => {
    render(table({ emptyText: 'No subject found.' }));
    const empty = mount().host.querySelector('[data-testid="subjects-empty"]');
    expect(empty?.textContent).toBe('No subject found.');
    expect(empty?.getAttribute('colspan')).toBe('1');
  });

  test('a long list is virtualised: far fewer rows are in the document than the list holds', () => {
    render(table({ data: subjects(5000), virtualiseAbove: 100 }));
    expect(mount().host.querySelector('.table-scroll.virtual')).not.toBeNull();
    expect(rows().length).toBeLessThan(200);
    render(table({ data: subjects(50) }));
    expect(rows()).toHaveLength(50);
  });
});
