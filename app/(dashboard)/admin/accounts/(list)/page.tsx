import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { getDb } from '@/db';
import { findAccounts } from '@/db/queries/accounts';
import { AccountTable } from '@/components/accounts/account-table';
import { Card } from '@/components/ui/card';
import { requireAdmin } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Accounts' };

const PAGE_SIZE = 25;
const querySchema = z.object({
  q: z.string().max(200).optional().catch(undefined),
  status: z.enum(['active', 'suspended', 'deprovisioned', 'pending_approval']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const admin = await requireAdmin('/admin/accounts');
  const { q, status, page } = querySchema.parse(await searchParams);
  const { rows, total } = await findAccounts(getDb(), admin.organizationId, { search: q, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (p: number) => `/admin/accounts?${new URLSearchParams({ ...(q ? { q } : {}), ...(status ? { status } : {}), page: String(p) })}`;
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Accounts</h1>
          <p className="text-sm text-muted-foreground">{total} account{total === 1 ? '' : 's'} in {admin.organizationName}</p>
        </div>
        <form className="flex gap-2" role="search">
          <input name="q" defaultValue={q} placeholder="Search name, email, department" aria-label="Search accounts" className="w-72 rounded-md px-3 py-2 text-sm ring-1 ring-input" />
          <select name="status" defaultValue={status ?? ''} aria-label="Status" className="rounded-md px-2 py-2 text-sm ring-1 ring-input">
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
            <option value="deprovisioned">Deprovisioned</option>
            <option value="pending_approval">Pending approval</option>
          </select>
          <button className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white">Search</button>
        </form>
      </div>
      <Card className="overflow-x-auto p-0">
        <AccountTable rows={rows} />
      </Card>
      <nav className="flex items-center justify-between text-sm" aria-label="Pagination">
        <span className="text-muted-foreground">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <div className="flex gap-2">
          {page > 1 ? <Link className="rounded-md px-3 py-1 ring-1 ring-input" href={link(page - 1)}>Previous</Link> : null}
          {page < pages ? <Link className="rounded-md px-3 py-1 ring-1 ring-input" href={link(page + 1)}>Next</Link> : null}
        </div>
      </nav>
    </div>
  );
}
