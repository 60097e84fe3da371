import { ClockIcon, KeyRoundIcon, LogInIcon, ShieldIcon, UsersIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { AccountView } from '@/lib/lifecycle/account/account-view';
import { profileFieldDefinitions, type ProfileField } from '@/lib/model/account';
import { OwnerBadge } from './owner-badge';

export function ProfileCard({ view }: { view: AccountView }) {
  const fields = Object.keys(profileFieldDefinitions) as ProfileField[];
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Profile</CardTitle>
          <CardDescription>Each attribute, and the door that owns it (a sign-in never overwrites what SCIM or HR sent).</CardDescription>
        </div>
      </CardHeader>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Attribute</TableHead>
            <TableHead scope="col">Value</TableHead>
            <TableHead scope="col">Owner</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {fields.map((field) => (
            <TableRow key={field}>
              <TableHead scope="row" className="normal-case tracking-normal">
                {profileFieldDefinitions[field].label}
              </TableHead>
              <TableCell className="break-all">{view.profile[field] ?? <span className="text-muted-foreground">—</span>}</TableCell>
              <TableCell>
                <OwnerBadge owner={view.owners[field]} />
              </TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableHead scope="row" className="normal-case tracking-normal">
              End date
            </TableHead>
            <TableCell>{view.endsAt ? <time dateTime={view.endsAt.toISOString()}>{view.endsAt.toISOString().replace('T', ' ').replace(/:00\.000Z$/, ' UTC')}</time> : <span className="text-muted-foreground">—</span>}</TableCell>
            <TableCell>
              <OwnerBadge owner={view.owners.endsAt} />
            </TableCell>
          </TableRow>
          {view.externalId ? (
            <TableRow>
              <TableHead scope="row" className="normal-case tracking-normal">
                Directory id (externalId)
              </TableHead>
              <TableCell className="font-mono text-xs break-all">{view.externalId}</TableCell>
              <TableCell>
                <OwnerBadge owner="scim" />
              </TableCell>
            </TableRow>
          ) : null}
        </TableBody>
      </Table>
    </Card>
  );
}

const sourceLabel = { birthright: 'Birthright rule', group: 'Group', manual: 'Granted by' } as const;

export function RolesCard({ view, actions, headerAction }: { view: AccountView; actions?: (role: AccountView['roles'][number]) => ReactNode; headerAction?: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Roles</CardTitle>
          <CardDescription>Grants in force, with what granted each one and when it ends.</CardDescription>
        </div>
        {headerAction}
      </CardHeader>
      {view.roles.length === 0 ? (
        <EmptyState icon={ShieldIcon} title="No roles">
          Birthright rules grant roles at sign-in and on SCIM changes; an admin can grant one by hand.
        </EmptyState>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Role</TableHead>
              <TableHead scope="col">Source</TableHead>
              <TableHead scope="col">Since</TableHead>
              <TableHead scope="col">Ends</TableHead>
              {actions ? <TableHead scope="col"><span className="sr-only">Actions</span></TableHead> : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.roles.map((role) => (
              <TableRow key={`${role.key}-${role.source}-${role.sourceRef}`}>
                <TableCell>
                  <span className="font-medium">{role.name}</span> <span className="font-mono text-xs text-muted-foreground">{role.key}</span>
                </TableCell>
                <TableCell>
                  <span className="text-muted-foreground">{role.source === 'birthright' && role.sourceRef.startsWith('connection:') ? 'Connection default' : sourceLabel[role.source]}</span>{' '}
                  {role.grantedThrough ?? ''}
                </TableCell>
                <TableCell>
                  <RelativeTime value={role.grantedAt} />
                </TableCell>
                <TableCell>{role.expiresAt ? <RelativeTime value={role.expiresAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
                {actions ? <TableCell className="text-right">{actions(role)}</TableCell> : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

export function IdentitiesCard({ view }: { view: AccountView }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign-in identities</CardTitle>
      </CardHeader>
      {view.identities.length === 0 ? (
        <EmptyState icon={LogInIcon} title="Never signed in">
          This account was provisioned but has no sign-in yet. Its first SSO sign-in links here.
        </EmptyState>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Connection</TableHead>
              <TableHead scope="col">Subject</TableHead>
              <TableHead scope="col">Last used</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.identities.map((identity) => (
              <TableRow key={`${identity.connectionId}-${identity.subject}`}>
                <TableCell>
                  {identity.connectionName} <Badge>{identity.protocol.toUpperCase()}</Badge>
                </TableCell>
                <TableCell className="font-mono text-xs break-all">{identity.subject}</TableCell>
                <TableCell>
                  <RelativeTime value={identity.lastLoginAt} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

export function GroupsCard({ view }: { view: AccountView }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Groups</CardTitle>
          <CardDescription>{view.owners.groups === 'scim' ? 'From SCIM; birthright rules read these.' : 'Rules read the groups of the last sign-in until SCIM sends memberships.'}</CardDescription>
        </div>
      </CardHeader>
      {view.groups.length === 0 && view.loginGroups.length === 0 ? (
        <EmptyState icon={UsersIcon} title="No groups" />
      ) : (
        <div className="space-y-3 text-sm">
          {view.groups.length ? (
            <p className="flex flex-wrap gap-1.5">
              <span className="text-muted-foreground">SCIM:</span>
              {view.groups.map((g) => (
                <Link key={g.id} href={`/admin/groups/${g.id}`} className="rounded-md hover:underline">
                  <Badge tone="blue">{g.displayName}</Badge>
                </Link>
              ))}
            </p>
          ) : null}
          {view.loginGroups.length ? (
            <p className="flex flex-wrap gap-1.5">
              <span className="text-muted-foreground">Last sign-in:</span>
              {view.loginGroups.map((g) => (
                <Link key={g} href={`/admin/groups/sign-in/${encodeURIComponent(g)}`} className="rounded-md hover:underline">
                  <Badge>{g}</Badge>
                </Link>
              ))}
            </p>
          ) : null}
        </div>
      )}
    </Card>
  );
}

export function SessionsCard({ view, action }: { view: AccountView; action?: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Open sessions</CardTitle>
        {view.sessions.length ? action : null}
      </CardHeader>
      {view.sessions.length === 0 ? (
        <EmptyState icon={KeyRoundIcon} title="No open sessions" />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Started</TableHead>
              <TableHead scope="col">Ends</TableHead>
              <TableHead scope="col">From</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.sessions.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <RelativeTime value={s.createdAt} />
                </TableCell>
                <TableCell>
                  <RelativeTime value={s.expiresAt} />
                </TableCell>
                <TableCell className="font-mono text-xs">{s.ip ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

export function Timeline({ events }: { events: { id: number; when: Date; sentence: string; action: string }[] }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Timeline</CardTitle>
          <CardDescription>Every audit event about this account, newest first.</CardDescription>
        </div>
      </CardHeader>
      {events.length === 0 ? (
        <EmptyState icon={ClockIcon} title="No events yet" />
      ) : (
        <ol className="space-y-3">
          {events.map((e) => (
            <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 border-b pb-3 text-sm last:border-0">
              <span>{e.sentence}</span>
              <span className="text-xs text-muted-foreground">
                <RelativeTime value={e.when} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
