'use client';

import { Suspense, use } from 'react';
import type { ActionState } from '@/lib/auth/define-action';
import type { BulkReport } from '@/lib/lifecycle/bulk/types';
import { AccountsTable, type AccountListRow, type SortLink } from './accounts-table';
import { BulkBar } from './bulk-bar';

type Props = {
  rows: AccountListRow[];
  sorts: Record<'displayName' | 'userName' | 'status' | 'lastLoginAt' | 'createdAt', SortLink>;
  /** The exact total, streamed in after the page: until it arrives the bar offers no "select all matching". */
  total: Promise<number>;
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
      bulk={
        bulk
          ? (selectedIds, clear) => {
              const bar = { selectedIds, filterQuery, roles, run: bulk, clear };
              return (
                <Suspense fallback={<BulkBar {...bar} total={null} />}>
                  <CountedBulkBar {...bar} total={total} />
                </Suspense>
              );
            }
          : undefined
      }
    />
  );
}

function CountedBulkBar({ total, ...bar }: Omit<Parameters<typeof BulkBar>[0], 'total'> & { total: Promise<number> }) {
  return <BulkBar {...bar} total={use(total)} />;
}
