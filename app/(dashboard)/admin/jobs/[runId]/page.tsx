import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { CountsList } from '@/components/jobs/counts-list';
import { HaltedRunCard } from '@/components/jobs/halted-run-card';
import { PlannedTable } from '@/components/jobs/planned-table';
import { RunStatusBadge } from '@/components/jobs/run-status-badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { LocalTime, RelativeTime } from '@/components/ui/relative-time';
import { requireConsole } from '@/lib/auth/session';
import { formatDuration, startedByLabel, triggerLabels } from '@/lib/console/job-words';
import { loadJobRunPage } from '@/lib/console/jobs-page';
import { isUuid } from '@/lib/ids';
import { confirmRunAction } from '../actions';

export const metadata: Metadata = { title: 'Job run' };

type Params = { params: Promise<{ runId: string }> };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export default async function JobRunPage({ params }: Params) {
  const { runId } = await params;
  const user = await requireConsole(`/admin/jobs/${runId}`);
  // The layout answers the 404 first, but Next renders the page beside it: without this check a
  // malformed id still reached the run's query (PostgreSQL refused the uuid cast, logged as an error).
  if (!isUuid(runId)) notFound();
  const data = await loadJobRunPage(getDb(), user.organizationId, runId);
  if (!data) notFound();
  const { run, job, planned, details, confirmingRuns, awaitingConfirmation, names } = data;
  const short = run.id.slice(0, 8);
  const hasDetails = Object.keys(details).length > 0;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Jobs', href: '/admin/jobs' }, { label: `Run ${short}` }]}
        title={`Run ${short} of ${run.job}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <RunStatusBadge status={run.status} dryRun={run.dryRun} />
            <span>
              Started <RelativeTime value={run.startedAt} /> by {run.trigger === 'schedule' ? 'the schedule' : startedByLabel(run.startedBy, names)}
            </span>
          </span>
        }
      />
      {awaitingConfirmation ? <HaltedRunCard run={{ ...run, summary: job?.summary ?? '', planned }} organizationName={user.organizationName} confirm={user.canWrite ? confirmRunAction : null} linkToRun={false} /> : null}
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <div>
              <CardTitle>The run</CardTitle>
              {job ? <CardDescription>{job.summary}</CardDescription> : null}
            </div>
          </CardHeader>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
            <Field label="Job">{run.job}</Field>
            <Field label="Run id"><span className="font-mono text-xs">{run.id}</span></Field>
            <Field label="Status"><RunStatusBadge status={run.status} dryRun={run.dryRun} /></Field>
            <Field label="Trigger">{triggerLabels[run.trigger] ?? run.trigger}{run.trigger !== 'schedule' ? ` (${startedByLabel(run.startedBy, names)})` : ''}</Field>
            <Field label="Started"><LocalTime value={run.startedAt} /></Field>
            <Field label="Finished">{run.finishedAt ? <LocalTime value={run.finishedAt} /> : 'still running'}</Field>
            <Field label="Duration">{formatDuration(run.startedAt, run.finishedAt) ?? '—'}</Field>
            <Field label="Clock (as of)"><LocalTime value={run.asOf} /></Field>
            {run.attempt > 1 ? <Field label="Attempt">{run.attempt}</Field> : null}
            <Field label="Counts"><CountsList counts={run.counts} /></Field>
            {run.haltReason ? <Field label="Why it halted">{run.haltReason.charAt(0).toUpperCase() + run.haltReason.slice(1)}.</Field> : null}
            {run.error ? <Field label="Error"><span className="text-destructive">{run.error}</span></Field> : null}
            {run.confirmedAt ? <Field label="Confirmed">by {startedByLabel(run.confirmedBy, names)}, <LocalTime value={run.confirmedAt} /></Field> : null}
            {run.confirmsRunId ? (
              <Field label="Confirms">
                <Link href={`/admin/jobs/${run.confirmsRunId}`} className="rounded-sm font-mono text-xs hover:underline">the halted run {run.confirmsRunId.slice(0, 8)}</Link>
              </Field>
            ) : null}
            {confirmingRuns.length ? (
              <Field label="Proceeded as">
                <ul>
                  {confirmingRuns.map((c) => (
                    <li key={c.id}>
                      <Link href={`/admin/jobs/${c.id}`} className="rounded-sm font-mono text-xs hover:underline">run {c.id.slice(0, 8)}</Link> ({c.status})
                    </li>
                  ))}
                </ul>
              </Field>
            ) : null}
          </dl>
        </Card>
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Details</CardTitle>
              <CardDescription>What the job recorded about this run (the breaker&apos;s figures, the policy in force, batches…).</CardDescription>
            </div>
          </CardHeader>
          {hasDetails ? (
            <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed" tabIndex={0} aria-label="Details as JSON">
              {JSON.stringify(details, null, 2)}
            </pre>
          ) : (
            <p className="text-sm text-muted-foreground">This job records no details beyond its counts.</p>
          )}
        </Card>
      </div>
      {planned ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>{run.dryRun ? 'What the run would do' : 'What the run halted on'}</CardTitle>
              <CardDescription>Each account with the action it {run.dryRun ? 'would get' : 'would have got'} and the clause that decided it, as of the run&apos;s clock.</CardDescription>
            </div>
          </CardHeader>
          <PlannedTable planned={planned.accounts} total={planned.total} label={run.dryRun ? 'What the run would do' : 'What the run halted on'} />
        </Card>
      ) : null}
    </div>
  );
}
