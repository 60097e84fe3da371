import { CircleSlashIcon, ClockIcon, MoonIcon, ShieldAlertIcon, UserCheckIcon, UserMinusIcon, UserXIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Chart } from '@/components/ui/chart';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireConsole } from '@/lib/auth/session';
import { loadOverviewPage } from '@/lib/console/page-data';
import { loginRefusals, isLoginRefusalReason } from '@/lib/jit/login-refusal';

export const metadata: Metadata = { title: 'Overview' };

function Stat({ label, value, href, icon, hint }: { label: string; value: number; href: string; icon: ReactNode; hint?: string }) {
  return (
    <Link href={href} className="group rounded-xl border bg-card p-4 shadow-sm transition-colors hover:bg-accent/40">
      <div className="flex items-center justify-between text-sm text-muted-foreground">
        {label}
        <span aria-hidden className="[&_svg]:size-4">
          {icon}
        </span>
      </div>
      <p className="mt-2 text-2xl font-semibold tabular-nums">{value.toLocaleString()}</p>
      {hint ? <p className="mt-1 text-xs text-muted-foreground">{hint}</p> : null}
    </Link>
  );
}

function Bars({ rows, total }: { rows: { label: string; value: number; href?: string }[]; total: number }) {
  return (
    <ul className="space-y-2">
      {rows.map((r) => (
        <li key={r.label} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 text-sm">
          {r.href ? (
            <Link href={r.href} className="truncate hover:underline">
              {r.label}
            </Link>
          ) : (
            <span className="truncate">{r.label}</span>
          )}
          <span className="tabular-nums text-muted-foreground">{r.value.toLocaleString()}</span>
          <span aria-hidden className="col-span-2 h-1.5 rounded-full bg-muted">
            <span className="block h-full rounded-full bg-chart-1" style={{ width: `${total ? Math.max(1, Math.round((100 * r.value) / total)) : 0}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}

const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export default async function OverviewPage() {
  const user = await requireConsole('/admin');
  const db = getDb();
  const { overview, dormant, actions, refusals } = await loadOverviewPage(db, user.organizationId, new Date());
  const { accounts } = overview;
  const activity = overview.activity.map((d) => ({ day: dayLabel(d.day), signIns: d.signIns, jitJoins: d.jitJoins, scimEvents: d.scimEvents }));
  const sources = [
    { label: 'Sign-in (JIT)', value: accounts.bySource.jit, href: '/admin/accounts?source=jit' },
    { label: 'SCIM', value: accounts.bySource.scim, href: '/admin/accounts?source=scim' },
    { label: 'Manual', value: accounts.bySource.manual, href: '/admin/accounts?source=manual' },
  ];
  const connections = [
    ...accounts.byConnection.top.map((c) => ({ label: `${c.name} (${c.protocol.toUpperCase()})`, value: c.accounts, href: `/admin/accounts?connection=${c.connectionId}` })),
    ...(accounts.byConnection.rest.connections ? [{ label: `${accounts.byConnection.rest.connections} more connections`, value: accounts.byConnection.rest.accounts }] : []),
  ];
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console' }]} title="Overview" description={`${user.organizationName}: who has access, who doesn't use it, and what changed lately.`} />
      <section aria-label="Accounts by status" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6">
        <Stat label="Active" value={accounts.byStatus.active} href="/admin/accounts?status=active" icon={<UserCheckIcon />} />
        <Stat label="Suspended" value={accounts.byStatus.suspended} href="/admin/accounts?status=suspended" icon={<UserMinusIcon />} />
        <Stat label="Pending approval" value={accounts.byStatus.pending_approval} href="/admin/accounts?status=pending_approval" icon={<ClockIcon />} />
        <Stat label="Deprovisioned" value={accounts.byStatus.deprovisioned} href="/admin/accounts?status=deprovisioned" icon={<UserXIcon />} />
        <Stat label="Never signed in" value={accounts.neverSignedIn} href="/admin/accounts?status=active&never=1" icon={<CircleSlashIcon />} hint="Active accounts nobody has used" />
        <Stat
          label="Dormant"
          value={dormant?.count ?? 0}
          href="/admin/dormancy"
          icon={<MoonIcon />}
          hint={dormant ? `Active, no activity for ${dormant.afterDays}+ days` : 'No dormancy policy yet: set one'}
        />
      </section>
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Sign-ins and JIT joins</CardTitle>
              <CardDescription>Per day, last 30 days (UTC days).</CardDescription>
            </div>
          </CardHeader>
          <Chart title="Sign-ins and JIT joins per day" xKey="day" data={activity} series={[{ key: 'signIns', label: 'Sign-ins', color: 'var(--chart-1)' }, { key: 'jitJoins', label: 'JIT joins', color: 'var(--chart-2)' }]} />
        </Card>
        <Card>
          <CardHeader>
            <div>
              <CardTitle>SCIM events</CardTitle>
              <CardDescription>Changes your IdPs pushed, per day.</CardDescription>
            </div>
          </CardHeader>
          <Chart title="SCIM events per day" xKey="day" data={activity} series={[{ key: 'scimEvents', label: 'SCIM events', color: 'var(--chart-3)' }]} />
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Accounts by source</CardTitle>
          </CardHeader>
          <Bars rows={sources} total={accounts.total} />
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Accounts by connection</CardTitle>
          </CardHeader>
          {connections.length ? <Bars rows={connections} total={accounts.total} /> : <EmptyState icon={CircleSlashIcon} title="No sign-ins yet">Accounts appear here once people sign in through a connection.</EmptyState>}
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Recent admin actions</CardTitle>
              <CardDescription>
                <Link href="/admin/audit?actor=admin" className="hover:underline">
                  All admin actions
                </Link>
              </CardDescription>
            </div>
          </CardHeader>
          <EventList events={actions} empty="No admin has changed anything yet." />
        </Card>
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Recent sign-in refusals</CardTitle>
              <CardDescription>
                <Link href="/admin/audit?action=login.rejected" className="hover:underline">
                  All refusals
                </Link>
              </CardDescription>
            </div>
          </CardHeader>
          <EventList events={refusals.map((r) => ({ ...r, note: r.reason && isLoginRefusalReason(r.reason) ? loginRefusals[r.reason] : r.reason }))} empty="No sign-in has been refused." icon={<ShieldAlertIcon />} />
        </Card>
      </div>
    </div>
  );
}

function EventList({ events, empty, icon }: { events: { id: number; createdAt: Date; sentence: string; note?: string | null }[]; empty: string; icon?: ReactNode }) {
  if (events.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">{empty}</p>;
  return (
    <ol className="space-y-3">
      {events.map((e) => (
        <li key={e.id} className="flex gap-3 border-b pb-3 text-sm last:border-0">
          {icon ? <span aria-hidden className="mt-0.5 text-muted-foreground [&_svg]:size-4">{icon}</span> : null}
          <div className="min-w-0 flex-1">
            <p>{e.sentence}</p>
            {e.note ? <p className="text-xs text-muted-foreground">{e.note}</p> : null}
          </div>
          <span className="shrink-0 text-xs text-muted-foreground">
            <RelativeTime value={e.createdAt} />
          </span>
        </li>
      ))}
    </ol>
  );
}
