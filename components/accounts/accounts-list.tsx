'use client';

import type { ActionState } from '@/lib/auth/define-action';
import type { BulkReport } from '@/lib/lifecycle/bulk/types';
import { AccountsTable, type AccountListRow, type SortLink } from './accounts-table';
import { BulkBar } from './bulk-bar';

type Props = {
  rows: AccountListRow[];
  sorts: Record<'displayName' | 'userName' | 'status' | 'lastLoginAt' | 'createdAt', SortLink>;
  total: number;
  filterQuery: string;
  roles: { key: string; name: string }[];
  /** The bulk action (admins only; an auditor gets the table without selection). */
  bulk: ((state: ActionState<BulkReport> | undefined, form: FormData) => Promise<ActionState<BulkReport>>) | null;
};

export function AccountsList({ rows, sorts, total, filterQuery, roles, bulk }: Props) {
  return (
    <AccountsTable
      rows={rows}
      sorts={sorts}
      bulk={bulk ? (selectedIds, clear) => <BulkBar selectedIds={selectedIds} total={total} filterQuery={filterQuery} roles={roles} run={bulk} clear={clear} /> : undefined}
    />
  );
}
