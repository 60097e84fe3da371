import { PlugIcon, PlusIcon, TriangleAlertIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadConnectionsList } from '@/lib/console/connections-page';

export const metadata: Metadata = { title: 'Connections' };

export default async function ConnectionsPage() {
  const user = await requireConsole('/admin/connections');
  const rows = await loadConnectionsList(getDb(), user.organizationId);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Connections' }]}
        title="Connections"
        description={`${user.organizationName}: the identity providers people sign in through.`}
        actions={
          user.canWrite ? (
            <Button size="sm" asChild>
              <Link href="/admin/connections/new">
                <PlusIcon aria-hidden className="size-4" /> New connection
              </Link>
            </Button>
          ) : null
        }
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState icon={PlugIcon} title="No connections yet">
            {user.canWrite ? 'Connect your identity provider (OIDC or SAML) so people can sign in.' : 'An administrator connects the identity provider here.'}
          </EmptyState>
        ) : (
          <Table aria-label="Connections">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Name</TableHead>
                <TableHead scope="col">Protocol</TableHead>
                <TableHead scope="col">Domains</TableHead>
                <TableHead scope="col" className="text-right">Accounts</TableHead>
                <TableHead scope="col">Last sign-in</TableHead>
                <TableHead scope="col">State</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((c) => (
                <TableRow key={c.id} data-connection={c.name}>
                  <TableCell>
                    <Link href={`/admin/connections/${c.id}`} className="rounded-sm font-medium hover:underline">
                      {c.name}
                    </Link>
                    {c.certificateWarning ? (
                      <div className="mt-1 flex items-center gap-1 text-xs text-amber-700 dark:text-amber-400">
                        <TriangleAlertIcon aria-hidden className="size-3.5" />
                        {c.certificateWarning.state === 'expired' ? 'Certificate expired' : `Certificate expires in ${c.certificateWarning.daysLeft} days`}
                      </div>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-sm uppercase">{c.protocol}</TableCell>
                  <TableCell className="text-sm break-all">{c.allowedDomains.join(', ') || '—'}</TableCell>
                  <TableCell className="text-right text-sm tabular-nums">{c.accounts.toLocaleString('en-US')}</TableCell>
                  <TableCell className="text-sm">{c.lastSignInAt ? <RelativeTime value={c.lastSignInAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
                  <TableCell>
                    <Badge tone={c.enabled ? 'green' : 'slate'}>{c.enabled ? 'enabled' : 'disabled'}</Badge>
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
