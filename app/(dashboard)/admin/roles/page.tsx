import { KeyRoundIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadRolesPage } from '@/lib/console/roles-page';

export const metadata: Metadata = { title: 'Roles' };

const n = (v: number) => v.toLocaleString('en-US');

export default async function RolesPage() {
  const user = await requireConsole('/admin/roles');
  const { roles } = await loadRolesPage(getDb(), user.organizationId, new Date());
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Roles' }]} title="Roles" description={`${user.organizationName}: each role, how many hold it and how (rule, group, by hand), and what grants it.`} />
      <Card>
        {roles.length === 0 ? (
          <EmptyState icon={KeyRoundIcon} title="No roles yet">
            Roles are made with the CLI (roster role create) or by a rule that creates its role.
          </EmptyState>
        ) : (
          <Table aria-label="Roles">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Role</TableHead>
                <TableHead scope="col" className="text-right">Holders</TableHead>
                <TableHead scope="col" className="text-right">By rule</TableHead>
                <TableHead scope="col" className="text-right">By group</TableHead>
                <TableHead scope="col" className="text-right">By hand</TableHead>
                <TableHead scope="col">Granted by</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {roles.map((r) => (
                <TableRow key={r.id} data-role={r.key}>
                  <TableCell>
                    <Link href={`/admin/roles/${encodeURIComponent(r.key)}`} className="rounded-sm font-medium hover:underline">
                      {r.name}
                    </Link>
                    <div className="font-mono text-xs text-muted-foreground">{r.key}</div>
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-holders>{n(r.holders)}</TableCell>
                  <TableCell className="text-right tabular-nums">{n(r.bySource.birthright)}</TableCell>
                  <TableCell className="text-right tabular-nums">{n(r.bySource.group)}</TableCell>
                  <TableCell className="text-right tabular-nums">{n(r.bySource.manual)}</TableCell>
                  <TableCell className="max-w-sm text-sm">
                    {[...r.rules.map((x) => `rule ${x}`), ...r.groups.map((x) => `group ${x}`), ...r.defaultOf.map((x) => `default of ${x}`)].join(', ') || <span className="text-muted-foreground">Granted by hand only</span>}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
