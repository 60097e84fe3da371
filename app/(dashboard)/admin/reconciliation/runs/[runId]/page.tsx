import { OctagonPauseIcon, PlayIcon, SearchCheckIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getDb } from '@/db';
import { ActionDialog, type ActionField } from '@/components/console/action-dialog';
import { PageHeader } from '@/components/console/page-header';
import { FindingsTable } from '@/components/reconcile/findings-table';
import { OutcomeBadge } from '@/components/reconcile/outcome-badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime, RelativeTime } from '@/components/ui/relative-time';
import { requireConsole } from '@/lib/auth/session';
import { triggerLabels } from '@/lib/console/job-words';
import { loadReconcileRunPage } from '@/lib/console/reconcile-page';
import { categoryCounts, categoryHints, describeApplied, describePlanned } from '@/lib/console/reconcile-words';
import { cn } from '@/lib/utils';
import { applyRunAction, resolveReviewAction } from '../../actions';

export const metadata: Metadata = { title: 'Reconciliation run' };

type Props = { params: Promise<{ runId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export default async function ReconcileRunPage({ params, searchParams }: Props) {
  const { runId } = await params;
  const user = await requireConsole(`/admin/reconciliation/runs/${runId}`);
  const search = await searchParams;
  const data = await loadReconcileRunPage(getDb(), user.organizationId, runId, { category: one(search.category), after: one(search.after) });
  if (!data) notFound();
  const { run, source, category, findings, nextCursor, diff, candidateNames } = data;
  const short = run.runId.slice(0, 8);
  const base = `/admin/reconciliation/runs/${run.runId}`;
  const planned = describePlanned(run.actions);
  const canApply = user.canWrite && source && run.dryRun && run.outcome === 'completed' && planned !== 'nothing';
  const canConfirm = user.canWrite && source && run.confirmable;
  const fileField: ActionField[] = source?.kind === 'csv' ? [{ name: 'file', label: 'CSV file', kind: 'file', accept: '.csv,text/csv', required: !source.filePath, hint: source.filePath ? `Empty: the source's file ${source.filePath}.` : 'The same file the run read: Roster checks it is.' }] : [];
  const hidden = { sourceId: run.sourceId };
  const counted = categoryCounts(run.counts);
  const listed = counted.filter((c) => c.category !== 'matched');
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Reconciliation', href: '/admin/reconciliation' }, { label: `Run ${short}` }]}
        title={`Run ${short} of ${run.source ?? 'a source'}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <OutcomeBadge outcome={run.outcome} dryRun={run.dryRun} awaiting={run.confirmable} />
            <span>
              Started <RelativeTime value={run.startedAt} /> ({triggerLabels[run.trigger] ?? run.trigger})
            </span>
          </span>
        }
        actions={
          canApply ? (
            <ActionDialog
              label="Apply"
              icon={<PlayIcon />}
              variant="default"
              title={`Apply the reconciliation of ${run.source}?`}
              description={
                <span>
                  Roster runs {run.source} for real and will <strong className="text-foreground">{planned}</strong> in {user.organizationName}, as you, each action audited with the run. The circuit breaker still halts a run that would change too many accounts.
                </span>
              }
              submitLabel="Apply"
              destructive
              fields={fileField}
              hidden={{ ...hidden, dryRunId: run.runId }}
              action={applyRunAction}
            />
          ) : null
        }
      />
      {run.outcome === 'halted' ? (
        <section aria-labelledby="halted" className="rounded-xl border border-warning/40 bg-warning/5 p-5 shadow-sm">
          <div className="flex flex-wrap items-start justify-between gap-4">
            <div className="flex min-w-0 gap-3">
              <OctagonPauseIcon aria-hidden className="mt-0.5 size-5 shrink-0 text-warning" />
              <div className="min-w-0 space-y-1">
                <h2 id="halted" className="font-semibold">
                  {run.confirmable ? 'Halted: it waits for an administrator' : run.confirmedAt ? 'Halted, then confirmed' : 'Halted: the file needs fixing'}
                </h2>
                <p className="text-sm [overflow-wrap:anywhere]" data-testid="halt-reason">
                  {run.haltReason}.
                </p>
                <p className="text-sm text-muted-foreground">Nobody was changed. {run.confirmable ? `Confirmed, a new run would ${planned}.` : run.confirmedAt ? '' : 'Only a corrected file proceeds: run the source again with it.'}</p>
              </div>
            </div>
            {canConfirm ? (
              <ActionDialog
                label="Confirm run"
                icon={<PlayIcon />}
                variant="default"
                title={`Confirm the halted run of ${run.source}?`}
                description={
                  <span>
                    Roster runs {run.source} again, confirmed, and will <strong className="text-foreground">{planned}</strong> in {user.organizationName}, as you, recorded in the audit trail. The circuit breaker lets it do up to what this run halted on.
                  </span>
                }
                submitLabel="Confirm run"
                destructive
                fields={fileField}
                hidden={{ ...hidden, confirmRunId: run.runId }}
                action={applyRunAction}
              />
            ) : null}
          </div>
        </section>
      ) : null}
      {run.outcome === 'failed' ? (
        <p role="alert" className="rounded-md bg-destructive/10 p-4 text-sm text-destructive ring-1 ring-destructive/30 ring-inset">
          The run failed, and nobody was changed: {run.failureReason}
        </p>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <div>
              <CardTitle>The run</CardTitle>
              <CardDescription>{run.dryRun ? 'A dry run: what a run would find and do; nothing was changed.' : 'A real run: its remediation was applied unless it halted or failed.'}</CardDescription>
            </div>
          </CardHeader>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
            <Field label="Source">{run.source}{run.sourceKind ? ` (${run.sourceKind === 'csv' ? 'HR export' : 'SCIM directory'})` : ''}</Field>
            <Field label="Run id"><span className="font-mono text-xs">{run.runId}</span></Field>
            <Field label="Started"><LocalTime value={run.startedAt} /></Field>
            <Field label="Finished">{run.finishedAt ? <LocalTime value={run.finishedAt} /> : 'still running'}</Field>
            {run.filePath ? <Field label="File"><span className="font-mono text-xs">{run.filePath.replace(/^upload:/, 'uploaded ')}</span></Field> : null}
            <Field label="Rows read">{run.rowCount.toLocaleString('en-US')}{run.badRowCount ? `, ${run.badRowCount.toLocaleString('en-US')} bad` : ''}</Field>
            <Field label={run.dryRun || run.outcome === 'halted' ? 'Planned' : 'Done'}>{run.dryRun || run.outcome === 'halted' ? planned : describeApplied(run.actions)}</Field>
            {run.confirmsRunId ? (
              <Field label="Confirms">
                <Link href={`/admin/reconciliation/runs/${run.confirmsRunId}`} className="rounded-sm font-mono text-xs hover:underline">the halted run {run.confirmsRunId.slice(0, 8)}</Link>
              </Field>
            ) : null}
            {run.confirmedAt ? <Field label="Confirmed"><LocalTime value={run.confirmedAt} /></Field> : null}
          </dl>
        </Card>
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Since the previous run</CardTitle>
              <CardDescription>
                {diff.previousRunId ? (
                  <>
                    Compared with <Link href={`/admin/reconciliation/runs/${diff.previousRunId}`} className="rounded-sm font-mono underline-offset-2 hover:underline">run {diff.previousRunId.slice(0, 8)}</Link>, the source&apos;s last real run.
                  </>
                ) : (
                  'The first real run of this source: every finding is new.'
                )}
              </CardDescription>
            </div>
          </CardHeader>
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <div className="rounded-md border p-3" data-count="new">
              <dt className="text-muted-foreground">New findings</dt>
              <dd className="text-2xl font-semibold tabular-nums">{diff.newCount.toLocaleString('en-US')}</dd>
            </div>
            <div className="rounded-md border p-3" data-count="resolved">
              <dt className="text-muted-foreground">Resolved</dt>
              <dd className="text-2xl font-semibold tabular-nums">{diff.resolvedCount.toLocaleString('en-US')}</dd>
            </div>
          </dl>
          {diff.resolved.length ? (
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer rounded-sm text-muted-foreground">Resolved since then{diff.resolvedCount > diff.resolved.length ? ` (first ${diff.resolved.length})` : ''}</summary>
              <ul className="mt-2 grid gap-1 text-xs">
                {diff.resolved.map((f) => (
                  <li key={f.findingId}>
                    {f.category}: {f.accountId ? <Link href={`/admin/accounts/${f.accountId}`} className="rounded-sm hover:underline">{f.userName ?? f.accountId.slice(0, 8)}</Link> : f.sourceKey}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </Card>
      </div>
      {run.badRows.length ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Bad rows</CardTitle>
              <CardDescription>Rows the reader could not use, by line: never acted on. {run.badRowCount > run.badRows.length ? `The first ${run.badRows.length} of ${run.badRowCount.toLocaleString('en-US')}.` : ''}</CardDescription>
            </div>
          </CardHeader>
          <ul className="grid gap-1 text-sm" aria-label="Bad rows">
            {run.badRows.map((b) => (
              <li key={b.line}>
                <span className="font-mono text-xs">line {b.line}</span>: {b.reason}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Findings</CardTitle>
            <CardDescription>Matched accounts are counted ({(run.counts.matched ?? 0).toLocaleString('en-US')}), not listed. Choose a category to see only its findings.</CardDescription>
          </div>
        </CardHeader>
        <nav aria-label="Categories" className="mb-4 flex flex-wrap gap-2">
          <Link href={base} aria-current={category === null ? 'page' : undefined} className={cn('rounded-md border px-3 py-1.5 text-sm hover:bg-accent', category === null && 'bg-accent font-medium text-accent-foreground')}>
            All <span className="tabular-nums text-muted-foreground">{listed.reduce((n, c) => n + c.count, 0).toLocaleString('en-US')}</span>
          </Link>
          {listed.map((c) => (
            <Link
              key={c.category}
              href={`${base}?category=${c.category}`}
              title={categoryHints[c.category]}
              aria-current={category === c.category ? 'page' : undefined}
              className={cn('rounded-md border px-3 py-1.5 text-sm hover:bg-accent', category === c.category && 'bg-accent font-medium text-accent-foreground')}
            >
              {c.label} <span className="tabular-nums text-muted-foreground" data-category-count={c.category}>{c.count.toLocaleString('en-US')}</span>
            </Link>
          ))}
        </nav>
        {findings.length === 0 ? (
          <EmptyState icon={SearchCheckIcon} title={category ? `No ${category} findings` : 'Nothing to report'}>
            {category ? categoryHints[category] : run.outcome === 'failed' ? 'The run failed before it compared anything.' : 'Every account matched its record at the source.'}
          </EmptyState>
        ) : (
          <FindingsTable findings={findings} label={category ? `Findings: ${category}` : 'Findings'} candidateNames={candidateNames} resolve={user.canWrite ? resolveReviewAction : null} dryRun={run.dryRun} />
        )}
        <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
          {one(search.after) ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={category ? `${base}?category=${category}` : base}>First page</Link>
            </Button>
          ) : null}
          {nextCursor ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={`${base}?${category ? `category=${category}&` : ''}after=${nextCursor}`}>Next page</Link>
            </Button>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
