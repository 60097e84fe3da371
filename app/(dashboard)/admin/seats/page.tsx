import { ArmchairIcon, CircleSlashIcon, MoonIcon, RecycleIcon, UserCheckIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Chart } from '@/components/ui/chart';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadSeatsPage } from '@/lib/console/governance-page';
import type { SeatBreakdown, SeatLine } from '@/lib/governance/seats';

export const metadata: Metadata = { title: 'Seats' };

const n = (v: number) => v.toLocaleString('en-US');
const money = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function Stat({ label, value, icon, hint, href }: { label: string; value: number; icon: ReactNode; hint: string; href?: string }) {
  const body = (
    <>
      <div className="flex items-center justify-between text-sm text-muted-foreground">
        {label}
        <span aria-hidden className="[&_svg]:size-4">
          {icon}
        </span>
      </div>
      <p className="mt-2 text-2xl font-semibold tabular-nums" data-value>
        {n(value)}
      </p>
      <p className="mt-1 text-xs text-muted-foreground">{hint}</p>
    </>
  );
  const cls = 'rounded-xl border bg-card p-4 shadow-sm';
  return href ? (
    <Link href={href} data-stat={label} className={`${cls} transition-colors hover:bg-accent/40`}>
      {body}
    </Link>
  ) : (
    <div data-stat={label} className={cls}>
      {body}
    </div>
  );
}

/**
 * Active seats split into in use, dormant (never-signed-in ones past their threshold included) and
 * never signed in, not dormant yet: the chart stacks these three, which add up to the active seats.
 */
const chartRows = (lines: SeatLine[]) => lines.map((l) => ({ name: l.name, inUse: l.inUse, dormant: l.dormant, never: Math.max(0, l.active - l.inUse - l.dormant) }));
const series = [
  { key: 'inUse', label: 'In use', color: 'var(--chart-1)' },
  { key: 'dormant', label: 'Dormant', color: 'var(--chart-4)' },
  { key: 'never', label: 'Not signed in yet', color: 'var(--chart-3)' },
] as const;

function SeatTable({ lines, label, first }: { lines: SeatLine[]; label: string; first: string }) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">{first}</TableHead>
          <TableHead scope="col" className="text-right">Active</TableHead>
          <TableHead scope="col" className="text-right">Dormant</TableHead>
          <TableHead scope="col" className="text-right">Never signed in</TableHead>
          <TableHead scope="col" className="text-right">Reclaimed</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l) => (
          <TableRow key={l.key ?? '(none)'}>
            <TableCell className="font-medium [overflow-wrap:anywhere]">{l.name}</TableCell>
            <TableCell className="text-right tabular-nums">{n(l.active)}</TableCell>
            <TableCell className="text-right tabular-nums">{n(l.dormant)}</TableCell>
            <TableCell className="text-right tabular-nums">{n(l.neverSignedIn)}</TableCell>
            <TableCell className="text-right tabular-nums">{n(l.reclaimed)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Breakdown({ title, description, lines, first }: { title: string; description: string; lines: SeatLine[]; first: string }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
      </CardHeader>
      {lines.length === 0 ? (
        <EmptyState icon={ArmchairIcon} title="No seats yet">
          Accounts appear here once people are provisioned or sign in.
        </EmptyState>
      ) : (
        <div className="grid gap-6 2xl:grid-cols-2">
          <Chart title={`Active seats ${title.toLowerCase()}`} xKey="name" data={chartRows(lines)} series={[...series]} stacked />
          <SeatTable lines={lines} label={`Seats ${title.toLowerCase()}`} first={first} />
        </div>
      )}
    </Card>
  );
}

/** The per-connection and per-role breakdown visits every active account: it streams in after the figures. */
async function Breakdowns({ breakdown }: { breakdown: Promise<SeatBreakdown> }) {
  const { byConnection, byRole } = await breakdown;
  return (
    <div className="grid gap-6">
      <Breakdown title="Per connection" description="By sign-in connection; an account with identities on two connections counts under both." lines={byConnection} first="Connection" />
      <Breakdown title="Per role" description="By role held now; an account with two roles counts under both." lines={byRole} first="Role" />
    </div>
  );
}

function BreakdownSkeleton() {
  return (
    <div className="grid gap-6" role="status" aria-label="Loading the breakdown per connection and role">
      <Skeleton className="h-72" />
      <Skeleton className="h-72" />
    </div>
  );
}

export default async function SeatsPage() {
  const user = await requireConsole('/admin/seats');
  const { summary: report, breakdown } = await loadSeatsPage(getDb(), user.organizationId, new Date());
  const t = report.total;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Seats' }]}
        title="Seats"
        description={`${user.organizationName}: the seats you pay for, the ones nobody uses, and what dormancy reclaimed in the last ${report.reclaimedDays} days.`}
      />
      <section aria-label="Seat figures" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Active seats" value={t.active} icon={<UserCheckIcon />} hint="Active accounts" href="/admin/accounts?status=active" />
        <Stat
          label="Dormant"
          value={t.dormant}
          icon={<MoonIcon />}
          hint={report.dormantAfterDays === null ? 'No dormancy policy: set one to count these' : `No activity for ${report.dormantAfterDays}+ days`}
          href="/admin/dormancy"
        />
        <Stat label="Never signed in" value={t.neverSignedIn} icon={<CircleSlashIcon />} hint="Active, never used" href="/admin/accounts?status=active&never=1" />
        <Stat label="Reclaimed" value={t.reclaimed} icon={<RecycleIcon />} hint={`Suspended for dormancy, last ${report.reclaimedDays} days`} />
      </section>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Monthly saving</CardTitle>
            <CardDescription>What reclaimed seats save, and what reclaiming the dormant ones (never-used ones past their threshold included) would.</CardDescription>
          </div>
        </CardHeader>
        {report.pricePerSeatMonthly === null ? (
          <p className="text-sm text-muted-foreground" data-testid="seat-price-missing">
            No price per seat is set. Set the organization setting <code className="font-mono text-xs">seatPricePerMonth</code> (a number, the price of one seat a month) to see what reclaimed seats save.
          </p>
        ) : (
          <dl className="grid gap-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-muted-foreground">Price per seat</dt>
              <dd className="text-lg font-semibold tabular-nums">{money(report.pricePerSeatMonthly)} a month</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Saved by reclaimed seats</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="monthly-saving">{money(report.monthlySaving ?? 0)} a month</dd>
            </div>
            <div>
              <dt className="text-muted-foreground">Possible (dormant seats)</dt>
              <dd className="text-lg font-semibold tabular-nums">{money(report.monthlyPotential ?? 0)} a month</dd>
            </div>
          </dl>
        )}
      </Card>
      <Suspense fallback={<BreakdownSkeleton />}>
        <Breakdowns breakdown={breakdown} />
      </Suspense>
    </div>
  );
}
