import { ShieldMinusIcon, ShieldPlusIcon, UsersIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { ActionDialog } from '@/components/console/action-dialog';
import { PageHeader } from '@/components/console/page-header';
import { Badge, statusTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { RoleHolding } from '@/db/queries/role-holders';
import { requireConsole } from '@/lib/auth/session';
import { loadRolePage } from '@/lib/console/roles-page';
import { pageOffset, pathSegment } from '@/lib/console/strict-params';
import { isAppError } from '@/lib/errors';
import { grantRoleAction, revokeRoleAction } from '../actions';

export const metadata: Metadata = { title: 'Role' };

type Props = { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const viaLabel: Record<RoleHolding['via'], string> = { rule: 'Rule', group: 'Group', default: 'Connection default', manual: 'By hand' };
const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

async function load(organizationId: string, key: string, offset: number) {
  try {
    return await loadRolePage(getDb(), organizationId, key, { now: new Date(), offset });
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function RolePage({ params, searchParams }: Props) {
  const { key: raw } = await params;
  const key = pathSegment(raw);
  const user = await requireConsole(`/admin/roles/${raw}`);
  if (key === null) notFound();
  const offset = pageOffset((await searchParams).offset);
  const { role, rows, total, accounts, pageSize } = await load(user.organizationId, key, offset);
  const href = (o: number) => `/admin/roles/${encodeURIComponent(role.key)}${o ? `?offset=${o}` : ''}`;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Roles', href: '/admin/roles' }, { label: role.name }]}
        title={role.name}
        description={`${role.key}${role.description ? ` · ${role.description}` : ''} · held by ${accounts.toLocaleString('en-US')} account(s)`}
        actions={
          user.canWrite ? (
            <ActionDialog
              label="Grant"
              icon={<ShieldPlusIcon aria-hidden />}
              variant="default"
              title={`Grant ${role.name}`}
              description="A grant by hand, audited. It ends after a duration or on a date if you give one; otherwise it stays until revoked."
              submitLabel="Grant"
              hidden={{ roleKey: role.key }}
              fields={[
                { name: 'userName', label: 'Account (user name)', kind: 'text', required: true, placeholder: 'ann@example.com' },
                { name: 'expiresIn', label: 'Ends after (optional)', kind: 'text', placeholder: '8h, 7d, 2w', hint: 'A duration from now: 30m, 8h, 7d or 2w.' },
                { name: 'until', label: 'Or ends on (optional)', kind: 'date', hint: '00:00 UTC that day.' },
                { name: 'reason', label: 'Reason (for the audit trail)', kind: 'text' },
              ]}
              action={grantRoleAction}
            />
          ) : null
        }
      />
      <Card>
        <p className="mb-4 text-sm text-muted-foreground">
          {[...role.rules.map((x) => `rule ${x}`), ...role.groups.map((x) => `group ${x}`), ...role.defaultOf.map((x) => `default of ${x}`)].length
            ? `Granted by ${[...role.rules.map((x) => `rule ${x}`), ...role.groups.map((x) => `group ${x}`), ...role.defaultOf.map((x) => `default of connection ${x}`)].join(', ')}, and by hand.`
            : 'Granted by hand only: no rule, group or connection grants it.'}
        </p>
        {rows.length === 0 ? (
          <EmptyState icon={UsersIcon} title={`Nobody holds ${role.name}`}>
            {user.canWrite ? 'Grant it by hand, or write a rule that grants it.' : 'An administrator grants roles on this page.'}
          </EmptyState>
        ) : (
          <Table aria-label="Holders">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Account</TableHead>
                <TableHead scope="col">How</TableHead>
                <TableHead scope="col">Granted</TableHead>
                <TableHead scope="col">Ends</TableHead>
                {user.canWrite ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={`${r.accountId}-${r.source}-${r.sourceRef}`} data-holder={r.userName}>
                  <TableCell>
                    <Link href={`/admin/accounts/${r.accountId}`} className="rounded-sm font-medium break-all hover:underline">
                      {r.userName}
                    </Link>
                    <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                      {r.displayName}
                      {r.status !== 'active' ? <Badge tone={statusTone[r.status as keyof typeof statusTone] ?? 'slate'}>{r.status.replace('_', ' ')}</Badge> : null}
                    </div>
                  </TableCell>
                  <TableCell className="text-sm" data-how>
                    {viaLabel[r.via]}
                    {r.viaName ? <span className="text-muted-foreground"> · {r.viaName}</span> : null}
                    {r.via === 'manual' && r.grantedBy ? <div className="text-xs text-muted-foreground">by {r.grantedBy}</div> : null}
                  </TableCell>
                  <TableCell className="text-sm">
                    <RelativeTime value={r.grantedAt} />
                  </TableCell>
                  <TableCell className="text-sm">{r.expiresAt ? day(r.expiresAt) : <span className="text-muted-foreground">Never</span>}</TableCell>
                  {user.canWrite ? (
                    <TableCell className="text-right">
                      {r.via === 'manual' ? (
                        <ActionDialog
                          label="Revoke"
                          icon={<ShieldMinusIcon aria-hidden />}
                          title={`Revoke ${role.name} from ${r.userName}?`}
                          description="The grant by hand ends now, audited. A rule or group that grants the role keeps granting it."
                          submitLabel="Revoke"
                          destructive
                          hidden={{ roleKey: role.key, accountId: r.accountId }}
                          fields={[{ name: 'reason', label: 'Reason (for the audit trail)', kind: 'text' }]}
                          action={revokeRoleAction}
                        />
                      ) : null}
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {total > pageSize ? (
          <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-2 text-sm">
            <span className="text-muted-foreground">
              {offset + 1}–{offset + rows.length} of {total.toLocaleString('en-US')} grants
            </span>
            {offset > 0 ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={href(Math.max(0, offset - pageSize))}>Previous page</Link>
              </Button>
            ) : null}
            {offset + rows.length < total ? (
              <Button variant="outline" size="sm" asChild>
                <Link href={href(offset + pageSize)}>Next page</Link>
              </Button>
            ) : null}
          </nav>
        ) : null}
      </Card>
    </div>
  );
}
