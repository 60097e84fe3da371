import { MoonIcon, SettingsIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { DORMANT_GROUPS, type DormantAccount, type DormantGroup } from '@/db/queries/dormancy-list';
import { PageHeader } from '@/components/console/page-header';
import { PolicyEditor, type PolicyFormValues } from '@/components/dormancy/policy-editor';
import { CountsList } from '@/components/jobs/counts-list';
import { RunStatusBadge } from '@/components/jobs/run-status-badge';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadDormancyPage } from '@/lib/console/governance-page';
import { rulesOf, suspendFrom } from '@/lib/governance/dormancy/plan';
import { DEFAULT_MAX_SHARE_PERCENT } from '@/lib/governance/dormancy/policy';
import { cn } from '@/lib/utils';
import { previewPolicyAction, savePolicyAction } from './actions';

export const metadata: Metadata = { title: 'Dormancy' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
const day = (d: Date | null) => (d ? d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }) : '—');
const groupLabels: Record<DormantGroup, string> = { dormant: 'Dormant', warned: 'Warned', suspended: 'Suspended for dormancy' };
const blank: PolicyFormValues = { dormantAfterDays: null, suspendAfterDays: null, deprovisionAfterDays: null, neverSignedInAfterDays: null, warnBeforeDays: null, exemptRoleKeys: [], maxSharePercent: DEFAULT_MAX_SHARE_PERCENT, maxCount: null, enabled: true };

export default async function DormancyPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/dormancy');
  const search = await searchParams;
  const group = (DORMANT_GROUPS as readonly string[]).includes(one(search.group) ?? '') ? (one(search.group) as DormantGroup) : 'dormant';
  const now = new Date();
  const { policy, roles, lastRun, list } = await loadDormancyPage(getDb(), user.organizationId, { now, group, after: one(search.after) });
  const values: PolicyFormValues = policy ? { ...policy, exemptRoleKeys: policy.exemptRoleKeys } : blank;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Dormancy' }]}
        title="Dormancy"
        description={`${user.organizationName}: when unused accounts are warned, suspended and deprovisioned, and who is on the way.`}
        actions={
          <Button variant="outline" size="sm" asChild>
            <Link href="/admin/jobs?job=dormancy">Dormancy job runs</Link>
          </Button>
        }
      />
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Policy</CardTitle>
            <CardDescription>
              {policy ? (
                <>
                  {policy.enabled ? 'Enabled' : 'Disabled'}, last changed <RelativeTime value={policy.updatedAt} />.{' '}
                </>
              ) : (
                'No policy yet: nothing is done about unused accounts. '
              )}
              {user.canWrite ? 'Preview shows what the dormancy job would do with the values as typed, before you save them.' : 'Only an administrator can change it.'}
            </CardDescription>
          </div>
        </CardHeader>
        <PolicyEditor values={values} roles={roles} save={savePolicyAction} preview={previewPolicyAction} canWrite={user.canWrite} />
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Last run</CardTitle>
            <CardDescription>The dormancy job runs every day for organizations with a policy.</CardDescription>
          </div>
        </CardHeader>
        {lastRun ? (
          <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="dormancy-last-run">
            <Link href={`/admin/jobs/${lastRun.id}`} className="inline-flex items-center gap-2 rounded-sm hover:underline">
              <RunStatusBadge status={lastRun.status} dryRun={lastRun.dryRun} />
              <RelativeTime value={lastRun.startedAt} />
            </Link>
            <CountsList counts={lastRun.counts} />
            {lastRun.status === 'halted' && lastRun.haltReason ? <span className="text-muted-foreground">Halted: {lastRun.haltReason}</span> : null}
          </div>
        ) : (
          <p className="text-sm text-muted-foreground">Not run yet. {policy ? 'It runs on its schedule; Jobs has a dry run.' : 'Set a policy first.'}</p>
        )}
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Dormant accounts</CardTitle>
            <CardDescription>Who the policy finds now: dormant and not acted on yet, warned, and suspended for dormancy.</CardDescription>
          </div>
        </CardHeader>
        {!policy || !list ? (
          <EmptyState icon={SettingsIcon} title="No dormancy policy">
            {user.canWrite ? 'Set the thresholds above and save them: accounts past them are listed here.' : 'An administrator sets the policy on this page; accounts past it are listed here.'}
          </EmptyState>
        ) : (
          <>
            <nav aria-label="Groups" className="mb-4 flex flex-wrap gap-2">
              {DORMANT_GROUPS.map((g) => (
                <Link
                  key={g}
                  href={`/admin/dormancy?group=${g}`}
                  aria-current={g === group ? 'page' : undefined}
                  className={cn('rounded-md border px-3 py-1.5 text-sm hover:bg-accent', g === group && 'bg-accent font-medium text-accent-foreground')}
                >
                  {groupLabels[g]} <span className="tabular-nums text-muted-foreground" data-group-count={g}>{list.counts[g].toLocaleString('en-US')}</span>
                </Link>
              ))}
            </nav>
            {list.rows.length === 0 ? (
              <EmptyState icon={MoonIcon} title={`No ${groupLabels[group].toLowerCase()} accounts`}>
                {group === 'dormant' ? 'Everyone has been active within the policy’s thresholds.' : group === 'warned' ? 'The dormancy job warns accounts before it suspends them.' : 'The dormancy job has suspended nobody who is still suspended.'}
              </EmptyState>
            ) : (
              <DormantTable group={group} rows={list.rows} policy={policy} now={now} />
            )}
            <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
              {search.after ? (
                <Button variant="outline" size="sm" asChild>
                  <Link href={`/admin/dormancy?group=${group}`}>First page</Link>
                </Button>
              ) : null}
              {list.nextCursor ? (
                <Button variant="outline" size="sm" asChild>
                  <Link href={`/admin/dormancy?group=${group}&after=${encodeURIComponent(list.nextCursor)}`}>Next page</Link>
                </Button>
              ) : null}
            </nav>
          </>
        )}
      </Card>
    </div>
  );
}

function DormantTable({ group, rows, policy, now }: { group: DormantGroup; rows: DormantAccount[]; policy: NonNullable<Awaited<ReturnType<typeof loadDormancyPage>>['policy']>; now: Date }) {
  const rules = rulesOf(policy);
  const next = (r: DormantAccount) => {
    if (group === 'suspended') return r.dormancySuspendedAt && policy.deprovisionAfterDays !== null ? new Date(r.dormancySuspendedAt.getTime() + policy.deprovisionAfterDays * 86_400_000) : null;
    return suspendFrom({ ...r, status: 'active', action: 'suspend' }, rules, now);
  };
  return (
    <Table aria-label={groupLabels[group]}>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Account</TableHead>
          <TableHead scope="col">Last activity</TableHead>
          {group === 'warned' ? <TableHead scope="col">Warned</TableHead> : null}
          {group === 'suspended' ? <TableHead scope="col">Suspended</TableHead> : null}
          <TableHead scope="col">{group === 'suspended' ? 'Deprovisioned from' : 'Suspension from'}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id} data-account={r.userName}>
            <TableCell>
              <Link href={`/admin/accounts/${r.id}`} className="rounded-sm font-medium break-all hover:underline">
                {r.userName}
              </Link>
              {r.displayName ? <div className="text-xs text-muted-foreground">{r.displayName}</div> : null}
              {r.exempt ? (
                <Badge tone="slate" className="mt-1">
                  exempt
                </Badge>
              ) : null}
            </TableCell>
            <TableCell className="text-sm">{r.lastActivityAt ? <RelativeTime value={r.lastActivityAt} /> : <span className="text-muted-foreground">Never signed in</span>}</TableCell>
            {group === 'warned' ? <TableCell className="text-sm">{day(r.dormancyWarnedAt)}</TableCell> : null}
            {group === 'suspended' ? <TableCell className="text-sm">{day(r.dormancySuspendedAt)}</TableCell> : null}
            <TableCell className="text-sm">{r.exempt ? <span className="text-muted-foreground">Not while exempt</span> : day(next(r))}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
