import { BoxesIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadGroupsPage } from '@/lib/console/groups-page';

export const metadata: Metadata = { title: 'Groups' };

const n = (v: number) => v.toLocaleString('en-US');

export default async function GroupsPage() {
  const user = await requireConsole('/admin/groups');
  const { scim, signIn } = await loadGroupsPage(getDb(), user.organizationId);
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Groups' }]} title="Groups" description={`${user.organizationName}: the groups the directory sends over SCIM, and the groups sign-ins carry.`} />
      <Card>
        <CardHeader>
          <div>
            <CardTitle>SCIM groups</CardTitle>
            <CardDescription>Pushed by the directory. A group mapped to a role gives it to every member.</CardDescription>
          </div>
        </CardHeader>
        {scim.length === 0 ? (
          <EmptyState icon={BoxesIcon} title="No SCIM groups">
            The directory has sent no groups yet.
          </EmptyState>
        ) : (
          <Table aria-label="SCIM groups">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Group</TableHead>
                <TableHead scope="col" className="text-right">Members</TableHead>
                <TableHead scope="col">Gives role</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {scim.map((g) => (
                <TableRow key={g.id} data-group={g.name}>
                  <TableCell>
                    <Link href={`/admin/groups/${g.id}`} className="rounded-sm font-medium hover:underline">
                      {g.name}
                    </Link>
                    {g.externalId ? <div className="font-mono text-xs text-muted-foreground">{g.externalId}</div> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{n(g.members)}</TableCell>
                  <TableCell>
                    {g.roleKey ? (
                      <Link href={`/admin/roles/${encodeURIComponent(g.roleKey)}`} className="rounded-sm font-mono text-xs hover:underline">
                        {g.roleKey}
                      </Link>
                    ) : (
                      <span className="text-sm text-muted-foreground">None</span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Sign-in groups</CardTitle>
            <CardDescription>
              Sent in the claims of each account’s last sign-in. A rule on <span className="font-mono">groups</span> gives them roles (<Link href="/admin/rules" className="underline">Rules</Link>).
            </CardDescription>
          </div>
        </CardHeader>
        {signIn.length === 0 ? (
          <EmptyState icon={BoxesIcon} title="No sign-in groups">
            No sign-in has carried a groups claim yet.
          </EmptyState>
        ) : (
          <Table aria-label="Sign-in groups">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Group</TableHead>
                <TableHead scope="col" className="text-right">Accounts</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {signIn.map((g) => (
                <TableRow key={g.name} data-group={g.name}>
                  <TableCell>
                    <Link href={`/admin/groups/sign-in/${encodeURIComponent(g.name)}`} className="rounded-sm font-medium break-all hover:underline">
                      {g.name}
                    </Link>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{n(g.members)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
