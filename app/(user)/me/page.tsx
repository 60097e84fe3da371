import type { Metadata } from 'next';
import { getDb } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findIdentitiesForAccount } from '@/db/queries/external-identities';
import { findAccountRoles } from '@/db/queries/roles';
import { Badge, statusTone } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/utils';

export const metadata: Metadata = { title: 'My access' };

const sourceLabel = { birthright: 'Birthright rule', group: 'Group', manual: 'Granted by admin' } as const;

export default async function MyAccessPage() {
  const user = await requireUser('/me');
  const db = getDb();
  const [account, roles, identities, logins] = await Promise.all([
    getAccountById(db, user.organizationId, user.accountId),
    findAccountRoles(db, user.organizationId, user.accountId),
    findIdentitiesForAccount(db, user.organizationId, user.accountId),
    findAuditEvents(db, user.organizationId, { targetId: user.accountId, actions: ['login.succeeded'], limit: 10 }),
  ]);
  if (!account) return null;
  const profile: [string, string | null][] = [
    ['User name', account.userName],
    ['Email', account.email],
    ['Department', account.department],
    ['Title', account.title],
    ['Employee number', account.employeeNumber],
    ['Manager', account.manager],
  ];
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{account.displayName ?? account.userName}</h1>
        <Badge tone={statusTone[account.status]}>{account.status}</Badge>
        <Badge tone="blue">via {account.source.toUpperCase()}</Badge>
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardTitle>Profile</CardTitle>
          <dl className="grid grid-cols-3 gap-x-4 gap-y-2 text-sm">
            {profile.map(([label, value]) => (
              <div key={label} className="col-span-3 grid grid-cols-3" data-field={label}>
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="col-span-2 text-foreground">{value ?? '—'}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card>
          <CardTitle>Roles</CardTitle>
          {roles.length === 0 ? <p className="text-sm text-muted-foreground">You hold no roles.</p> : null}
          <ul className="divide-y divide-border" aria-label="Roles">
            {roles.map((r) => (
              <li key={r.assignmentId} className="flex items-center justify-between py-2 text-sm" data-role={r.key}>
                <span className="font-medium">{r.name}</span>
                <span className="text-muted-foreground">
                  {sourceLabel[r.source]}
                  {r.expiresAt ? ` · until ${formatDateTime(r.expiresAt)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </Card>
        <Card>
          <CardTitle>Recent sign-ins</CardTitle>
          <ul className="space-y-1 text-sm" aria-label="Recent sign-ins">
            {logins.map((e) => (
              <li key={e.id} className="flex justify-between">
                <span>{formatDateTime(e.createdAt)}</span>
                <span className="text-muted-foreground">{String(e.data?.protocol ?? '').toUpperCase()} {e.ip ?? ''}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card>
          <CardTitle>Linked identities</CardTitle>
          <ul className="space-y-1 text-sm">
            {identities.map((i) => (
              <li key={i.id} className="flex justify-between">
                <span>{i.connectionName}</span>
                <span className="text-muted-foreground">last used {formatDateTime(i.lastLoginAt)}</span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </div>
  );
}
