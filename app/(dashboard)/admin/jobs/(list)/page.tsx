import { HistoryIcon, SearchXIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { CountsList } from '@/components/jobs/counts-list';
import { DryRunButton } from '@/components/jobs/dry-run-button';
import { HaltedRunCard } from '@/components/jobs/halted-run-card';
import { JobRunFilters } from '@/components/jobs/job-run-filters';
import { RunStatusBadge } from '@/components/jobs/run-status-badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { jobFilterSearch, parseJobListParams } from '@/lib/console/job-list-params';
import { formatDuration, startedByLabel, triggerLabels } from '@/lib/console/job-words';
import { loadJobsPage } from '@/lib/console/jobs-page';
import { confirmRunAction, dryRunAction } from '../actions';

const sentence = (text: string | null) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : '');

export const metadata: Metadata = { title: 'Jobs' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function JobsPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/jobs');
  const params = parseJobListParams(await searchParams);
  const { jobs, deploymentJobs, halted, history, names } = await loadJobsPage(getDb(), user.organizationId, params);
  const write = user.canWrite;
  const filtered = Boolean(params.job || params.status);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Jobs' }]}
        title="Jobs"
        description="Scheduled work that keeps this organization's accounts right: what runs when, what each run did, and the runs the circuit breaker halted for you to confirm."
      />
      {halted.map((run) => (
        <HaltedRunCard key={run.id} run={run} organizationName={user.organizationName} confirm={write ? confirmRunAction : null} />
      ))}
      <Card className="p-4">
        <CardHeader className="px-2 pt-2">
          <div>
            <CardTitle>Organization jobs</CardTitle>
            <CardDescription>Each runs on its schedule for {user.organizationName} when there is work for it. A dry run shows what a run now would do and changes nothing.</CardDescription>
          </div>
        </CardHeader>
        <Table aria-label="Organization jobs">
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Job</TableHead>
              <TableHead scope="col">Schedule</TableHead>
              <TableHead scope="col">Last run</TableHead>
              {write ? <TableHead scope="col"><span className="sr-only">Actions</span></TableHead> : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {jobs.map((job) => (
              <TableRow key={job.name} data-job={job.name}>
                <TableCell className="align-top">
                  <div className="font-medium">{job.name}</div>
                  <div className="max-w-md text-xs text-muted-foreground">{job.summary}</div>
                </TableCell>
                <TableCell className="align-top">
                  <div className="whitespace-nowrap">{job.scheduleWords}</div>
                  <div className="font-mono text-xs text-muted-foreground">{job.schedule}</div>
                </TableCell>
                <TableCell className="align-top">
                  {job.lastRun ? (
                    <Link href={`/admin/jobs/${job.lastRun.id}`} className="inline-flex flex-wrap items-center gap-2 rounded-sm hover:underline">
                      <RunStatusBadge status={job.lastRun.status} />
                      <RelativeTime value={job.lastRun.startedAt} />
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">Not run yet</span>
                  )}
                </TableCell>
                {write ? (
                  <TableCell className="text-right align-top">
                    <DryRunButton job={job.name} action={dryRunAction} />
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {deploymentJobs.length ? (
          <details className="mt-4 px-2 text-sm">
            <summary className="cursor-pointer rounded-sm text-muted-foreground">Deployment housekeeping ({deploymentJobs.length} jobs, run by the operator for every organization)</summary>
            <ul className="mt-2 grid gap-1">
              {deploymentJobs.map((j) => (
                <li key={j.name}>
                  <span className="font-medium">{j.name}</span> — {j.scheduleWords}: <span className="text-muted-foreground">{j.summary}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </Card>
      <Card className="p-4">
        <CardHeader className="px-2 pt-2">
          <div>
            <CardTitle>History</CardTitle>
            <CardDescription>Every run of this organization&apos;s jobs, newest first: scheduled, from the CLI or from here.</CardDescription>
          </div>
        </CardHeader>
        <div className="mb-4 px-2">
          <JobRunFilters jobs={jobs.map((j) => j.name)} />
        </div>
        {history.rows.length === 0 ? (
          filtered ? (
            <EmptyState icon={SearchXIcon} title="No run matches these filters" action={<Button variant="outline" asChild><Link href="/admin/jobs">Clear filters</Link></Button>}>
              Choose another job or status, or clear the filters to see every run.
            </EmptyState>
          ) : (
            <EmptyState icon={HistoryIcon} title="No runs yet">
              Jobs run by themselves when there is work: an end date passes, a grant expires. {write ? 'Use Dry run above to see what a run would do now.' : 'Runs appear here as they happen.'}
            </EmptyState>
          )
        ) : (
          <Table aria-label="Job runs">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Run</TableHead>
                <TableHead scope="col">Started</TableHead>
                <TableHead scope="col">Trigger</TableHead>
                <TableHead scope="col">Status</TableHead>
                <TableHead scope="col">Counts</TableHead>
                <TableHead scope="col">Why</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.rows.map((r) => (
                <TableRow key={r.id} data-run-id={r.id} data-status={r.status}>
                  <TableCell className="align-top">
                    <div className="whitespace-nowrap">{r.job}</div>
                    <Link href={`/admin/jobs/${r.id}`} className="rounded-sm font-mono text-xs text-muted-foreground hover:text-foreground hover:underline" aria-label={`Run ${r.id.slice(0, 8)} of ${r.job}`}>
                      {r.id.slice(0, 8)}
                    </Link>
                  </TableCell>
                  <TableCell className="align-top text-xs">
                    <RelativeTime value={r.startedAt} />
                    <div className="whitespace-nowrap text-muted-foreground tabular-nums">{formatDuration(r.startedAt, r.finishedAt) ?? 'running'}</div>
                  </TableCell>
                  <TableCell className="align-top text-xs">
                    <div>{triggerLabels[r.trigger] ?? r.trigger}</div>
                    {r.trigger !== 'schedule' ? <div className="text-muted-foreground">{startedByLabel(r.startedBy, names)}</div> : null}
                  </TableCell>
                  <TableCell className="align-top">
                    <RunStatusBadge status={r.status} dryRun={r.dryRun} />
                    {r.attempt > 1 ? <div className="mt-1 text-xs text-muted-foreground">attempt {r.attempt}</div> : null}
                  </TableCell>
                  <TableCell className="align-top">
                    <CountsList counts={r.counts} />
                  </TableCell>
                  <TableCell className="align-top text-xs [overflow-wrap:anywhere]">
                    {r.status === 'failed' ? <span className="text-destructive">{r.error}</span> : r.status === 'halted' ? sentence(r.haltReason) : r.confirmsRunId ? `Confirmed run ${r.confirmsRunId.slice(0, 8)}` : ''}
                    {r.status === 'halted' && r.confirmedAt ? <div className="text-muted-foreground">Confirmed</div> : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
          {params.older ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={`/admin/jobs?${jobFilterSearch(params)}`}>Newest</Link>
            </Button>
          ) : null}
          {history.olderThan ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={`/admin/jobs?${jobFilterSearch(params, { older: history.olderThan })}`}>Older</Link>
            </Button>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
