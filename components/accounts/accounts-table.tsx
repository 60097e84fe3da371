'use client';

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState } from '@tanstack/react-table';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from 'lucide-react';
import Link from 'next/link';
import { useMemo, useState, type ReactNode } from 'react';
import { Badge, statusTone } from '@/components/ui/badge';
import { Checkbox } from '@/components/ui/checkbox';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';

export type AccountListRow = {
  id: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  department: string | null;
  status: keyof typeof statusTone;
  source: string;
  lastLoginAt: string | null;
  createdAt: string;
};
export type SortLink = { href: string; dir: 'asc' | 'desc' | null };

const sourceLabel: Record<string, string> = { jit: 'Sign-in (JIT)', scim: 'SCIM', manual: 'Manual' };
/** Columns that give way on narrow screens (768 px): the name, status, source and last sign-in stay. */
const wide: Record<string, string> = { department: 'hidden lg:table-cell', createdAt: 'hidden lg:table-cell' };

/**
 * The accounts table: TanStack Table renders it; sorting and paging are the server's (the sort
 * headers are links that keep the filter), selection is here, for the bulk bar.
 */
export function AccountsTable({ rows, sorts, bulk }: { rows: AccountListRow[]; sorts: Record<'displayName' | 'userName' | 'status' | 'lastLoginAt' | 'createdAt', SortLink>; bulk?: (selectedIds: string[], clear: () => void) => ReactNode }) {
  const [selection, setSelection] = useState<RowSelectionState>({});
  const sortHeader = (key: keyof typeof sorts, label: string) => {
    const s = sorts[key];
    const Icon = s.dir === 'asc' ? ArrowUpIcon : s.dir === 'desc' ? ArrowDownIcon : ArrowUpDownIcon;
    return (
      <Link href={s.href} className="inline-flex items-center gap-1 rounded-sm hover:text-foreground" aria-label={`${label}${s.dir ? `, sorted ${s.dir === 'asc' ? 'ascending' : 'descending'}` : ''}: sort`}>
        {label}
        <Icon aria-hidden className="size-3" />
      </Link>
    );
  };
  const columns = useMemo<ColumnDef<AccountListRow>[]>(
    () => [
      ...(bulk
        ? [
            {
              id: 'select',
              header: ({ table }) => (
                <Checkbox
                  aria-label="Select every account on this page"
                  checked={table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? 'indeterminate' : false}
                  onCheckedChange={(v) => table.toggleAllPageRowsSelected(Boolean(v))}
                />
              ),
              cell: ({ row }) => <Checkbox aria-label={`Select ${row.original.displayName ?? row.original.userName}`} checked={row.getIsSelected()} onCheckedChange={(v) => row.toggleSelected(Boolean(v))} />,
            } satisfies ColumnDef<AccountListRow>,
          ]
        : []),
      {
        id: 'displayName',
        header: () => sortHeader('displayName', 'Name'),
        cell: ({ row }) => (
          <div className="min-w-0">
            <Link href={`/admin/accounts/${row.original.id}`} className="font-medium hover:underline">
              {row.original.displayName ?? row.original.userName}
            </Link>
            {row.original.displayName ? <div className="truncate text-xs text-muted-foreground">{row.original.userName}</div> : null}
          </div>
        ),
      },
      { id: 'status', header: () => sortHeader('status', 'Status'), cell: ({ row }) => <Badge tone={statusTone[row.original.status]}>{row.original.status.replace('_', ' ')}</Badge> },
      { id: 'source', header: 'Source', cell: ({ row }) => <span data-source={row.original.source} className="whitespace-nowrap">{sourceLabel[row.original.source] ?? row.original.source}</span> },
      { id: 'department', header: 'Department', cell: ({ row }) => row.original.department ?? <span className="text-muted-foreground">—</span> },
      { id: 'lastLoginAt', header: () => sortHeader('lastLoginAt', 'Last sign-in'), cell: ({ row }) => <RelativeTime value={row.original.lastLoginAt} /> },
      { id: 'createdAt', header: () => sortHeader('createdAt', 'Created'), cell: ({ row }) => <RelativeTime value={row.original.createdAt} /> },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- sortHeader reads `sorts`, which the server sends with the rows
    [sorts, Boolean(bulk)],
  );
  const table = useReactTable({ data: rows, columns, getRowId: (r) => r.id, state: { rowSelection: selection }, onRowSelectionChange: setSelection, getCoreRowModel: getCoreRowModel(), enableRowSelection: Boolean(bulk), manualSorting: true, manualPagination: true });
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const ariaSort = (id: string) => {
    const s = (sorts as Record<string, SortLink | undefined>)[id];
    return s?.dir ? (s.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  };
  return (
    <div className="space-y-3">
      {bulk ? bulk(selectedIds, () => setSelection({})) : null}
      <Table aria-label="Accounts">
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => (
                <TableHead key={header.id} scope="col" aria-sort={ariaSort(header.column.id)} className={header.column.id === 'select' ? 'w-10' : wide[header.column.id]}>
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </TableHead>
              ))}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id} data-user-name={row.original.userName} data-state={row.getIsSelected() ? 'selected' : undefined}>
              {row.getVisibleCells().map((cell) => (
                <TableCell key={cell.id} className={wide[cell.column.id]}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
