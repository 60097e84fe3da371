import { DownloadIcon, SearchXIcon, UsersIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getDb } from '@/db';
import { AccountsFilters } from '@/components/accounts/accounts-filters';
import { AccountsList } from '@/components/accounts/accounts-list';
import { PageHeader } from '@/components/console/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireConsole } from '@/lib/auth/session';
import { filterSearch, hasFilter, PAGE_SIZES, parseAccountListParams, SORTS } from '@/lib/console/account-list-params';
import { loadAccountsPage } from '@/lib/console/page-data';
import { bulkAccountsAction } from './actions';

export const metadata: Metadata = { title: 'Accounts' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The exact total, streamed in after the page (a broad search at 1M accounts takes a while to count). */
async function AccountTotal({ total, filtered, organizationName }: { total: Promise<number>; filtered: boolean; organizationName: string }) {
  const n = await total;
  return (
    <span data-total={n}>
      {`${n.toLocaleString('en-US')} account${n === 1 ? '' : 's'}${filtered ? ` match${n === 1 ? 'es' : ''} the filter` : ` in ${organizationName}`}.`}
    </span>
  );
}

export default async function AccountsPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/accounts');
  const params = parseAccountListParams(await searchParams);
  const db = getDb();
  const { page, total, connections, roles, groups } = await loadAccountsPage(db, user.organizationId, params);
  const base = filterSearch(params);
  const withSize = (extra: Record<string, string | undefined>) => `/admin/accounts?${filterSearch(params, { sort: params.raw.sort, dir: params.raw.dir, size: params.raw.size ? String(params.raw.size) : undefined, ...extra })}`;
  const sorts = Object.fromEntries(
    SORTS.map((key) => {
      const active = params.sort.by === key;
      const next = active && params.sort.dir === 'asc' ? 'desc' : 'asc';
      return [key, { dir: active ? params.sort.dir : null, href: withSize({ sort: key, dir: next }) }];
    }),
  ) as Record<(typeof SORTS)[number], { dir: 'asc' | 'desc' | null; href: string }>;
  const filtered = hasFilter(params);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Accounts' }]}
        title="Accounts"
        description={
          <Suspense fallback={<span data-total="counting">Counting accounts…</span>}>
            <AccountTotal total={total} filtered={filtered} organizationName={user.organizationName} />
          </Suspense>
        }
        actions={
          <Button variant="outline" asChild>
            <a href={`/admin/accounts/export${base ? `?${base}` : ''}`} download>
              <DownloadIcon aria-hidden />
              Export CSV
            </a>
          </Button>
        }
      />
      <AccountsFilters options={{ connections: connections.map((c) => ({ id: c.id, name: c.name })), roles: roles.map((r) => ({ key: r.key, name: r.name })), groups }} />
      <Card className="p-4">
        {page.rows.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchXIcon} title="No account matches these filters" action={<Button variant="outline" asChild><Link href="/admin/accounts">Clear filters</Link></Button>}>
              Widen the search, or clear the filters to see every account.
            </EmptyState>
          ) : (
            <EmptyState icon={UsersIcon} title="No accounts yet">
              Accounts appear when people sign in through a connection (just in time) or when your IdP provisions them over SCIM.
            </EmptyState>
          )
        ) : (
          <AccountsList
            rows={page.rows.map((r) => ({ ...r, lastLoginAt: r.lastLoginAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() }))}
            sorts={sorts}
            total={total}
            filterQuery={base}
            roles={roles.map((r) => ({ key: r.key, name: r.name }))}
            bulk={user.canWrite ? bulkAccountsAction : null}
          />
        )}
        <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
          <span className="flex items-center gap-2 text-muted-foreground">
            Per page:
            {PAGE_SIZES.map((size) => (
              <Link key={size} href={withSize({ size: String(size) })} aria-current={params.limit === size ? 'page' : undefined} className="rounded-sm px-1 aria-[current=page]:font-semibold aria-[current=page]:text-foreground">
                {size}
              </Link>
            ))}
          </span>
          <span className="flex gap-2">
            {page.prevCursor ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={withSize({ cursor: page.prevCursor, page: 'prev' })}>Previous</Link>
              </Button>
            ) : null}
            {page.nextCursor ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={withSize({ cursor: page.nextCursor, page: 'next' })}>Next</Link>
              </Button>
            ) : null}
          </span>
        </nav>
      </Card>
    </div>
  );
}
