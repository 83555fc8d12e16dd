import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Row,
  type TableOptions,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';
import { useI18n } from '../i18n/i18n.js';

/** Props of {@link DataTable}. */
export interface DataTableProps<T> {
  data: T[];
  // biome-ignore lint/suspicious/noExplicitAny: TanStack column definitions mix value types per column
  columns: ColumnDef<T, any>[];
  /** data-testid of the table; rows get `<testId>-row` and `data-key`. */
  testId: string;
  rowKey(row: T): string;
  /** Makes rows selectable (click or Enter/Space). */
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  /** Virtualise rows past this many (long lists stay fast); default 200. */
  virtualiseAbove?: number;
  emptyText?: string;
  caption?: string;
}

/**
 * A table on TanStack Table: header from the column definitions, keyboard-selectable rows, and
 * virtualised rows (only the visible ones in the DOM) when the list is long.
 *
 * @example
 * <DataTable testId="subjects" data={page.items} columns={columns} rowKey={(s) => s.id} onRowClick={pick} />
 */
export function DataTable<T>(props: DataTableProps<T>): ReactNode {
  const { t } = useI18n();
  const options: TableOptions<T> = {
    data: props.data,
    columns: props.columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => props.rowKey(row),
  };
  const table = useReactTable(options);
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length > (props.virtualiseAbove ?? 200);
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 34,
    overscan: 12,
  });
  const columnCount = table.getVisibleLeafColumns().length;

  const renderRow = (row: Row<T>): ReactNode => {
    const selectable = props.onRowClick !== undefined;
    const selected = props.selectedKey === row.id;
    return (
      <tr
        key={row.id}
        data-testid={`${props.testId}-row`}
        data-key={row.id}
        aria-selected={selectable ? selected : undefined}
        className={selected ? 'selected' : selectable ? 'selectable' : undefined}
        tabIndex={selectable ? 0 : undefined}
        onClick={selectable ? () => props.onRowClick?.(row.original) : undefined}
        onKeyDown={
          selectable
            ? (event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  props.onRowClick?.(row.original);
                }
              }
            : undefined
        }
      >
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
        ))}
      </tr>
    );
  };

  const items = virtualizer.getVirtualItems();
  const paddingTop = virtual && items.length > 0 ? (items[0]?.start ?? 0) : 0;
  const paddingBottom = virtual && items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;

  return (
    <div ref={scrollRef} className={virtual ? 'table-scroll virtual' : 'table-scroll'}>
      <table className="data-table" data-testid={props.testId}>
        {props.caption !== undefined && <caption>{props.caption}</caption>}
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col">
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columnCount} className="empty" data-testid={`${props.testId}-empty`}>
                {props.emptyText ?? t('common.empty')}
              </td>
            </tr>
          )}
          {virtual ? (
            <>
              {paddingTop > 0 && <tr style={{ height: paddingTop }} />}
              {items.map((item) => {
                const row = rows[item.index];
                return row === undefined ? null : renderRow(row);
              })}
              {paddingBottom > 0 && <tr style={{ height: paddingBottom }} />}
            </>
          ) : (
            rows.map(renderRow)
          )}
        </tbody>
      </table>
    </div>
  );
}
