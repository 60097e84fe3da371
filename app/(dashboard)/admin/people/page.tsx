import { ShieldCheckIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { loadPeoplePage } from '@/lib/console/page-data';
import { PageHeader } from '@/components/console/page-header';
import { Badge, statusTone } from '@/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'People' };

const ROLES = [
  { key: 'admin', title: 'Administrators', description: 'Change accounts, access and settings of this organization. Every change is audited with their name.' },
  { key: 'auditor', title: 'Auditors', description: 'See everything an administrator sees, and change nothing (every action is refused on the server).' },
] as const;

export default async function PeoplePage() {
  const user = await requireConsole('/admin/people');
  const db = getDb();
  const { holders, names } = await loadPeoplePage(db, user.organizationId);
  const via = { group: 'Group', birthright: 'Rule' } as const;
  const how = (h: (typeof holders)[number]) =>
    h.source === 'manual'
      ? `Granted by ${names.get(h.grantedBy ?? '') ?? h.grantedBy ?? 'an administrator'}`
      : h.sourceRef.startsWith('connection:')
        ? `Default role of ${h.viaName ?? 'a connection'}`
        : `${via[h.source]} ${h.viaName ?? ''}`.trim();
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console', href: '/admin' }, { label: 'People' }]} title="People" description={`Who administers and who audits ${user.organizationName} in Roster.`} />
      {ROLES.map((role) => {
        const rows = holders.filter((h) => h.roleKey === role.key);
        return (
          <Card key={role.key} aria-labelledby={`people-${role.key}`}>
            <CardHeader>
              <div>
                <CardTitle id={`people-${role.key}`}>{role.title}</CardTitle>
                <CardDescription>{role.description}</CardDescription>
              </div>
            </CardHeader>
            {rows.length === 0 ? (
              <EmptyState icon={ShieldCheckIcon} title={`No ${role.title.toLowerCase()}`}>
                Grant the <code className="font-mono">{role.key}</code> role from an account&apos;s page, or with <code className="font-mono">npx roster role grant --role {role.key}</code>.
              </EmptyState>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead scope="col">Person</TableHead>
                    <TableHead scope="col">Status</TableHead>
                    <TableHead scope="col">How</TableHead>
                    <TableHead scope="col">Since</TableHead>
                    <TableHead scope="col">Ends</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((h) => (
                    <TableRow key={`${h.accountId}-${h.source}-${h.sourceRef}`}>
                      <TableCell>
                        <Link href={`/admin/accounts/${h.accountId}`} className="font-medium hover:underline">
                          {h.displayName ?? h.userName}
                        </Link>
                        {h.displayName ? <div className="text-xs text-muted-foreground">{h.userName}</div> : null}
                      </TableCell>
                      <TableCell>
                        <Badge tone={statusTone[h.status]}>{h.status.replace('_', ' ')}</Badge>
                      </TableCell>
                      <TableCell>{how(h)}</TableCell>
                      <TableCell>
                        <RelativeTime value={h.since} />
                      </TableCell>
                      <TableCell>{h.expiresAt ? <RelativeTime value={h.expiresAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>

                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Card>
        );
      })}
    </div>
  );
}
