import { DatabaseZapIcon, HistoryIcon, OctagonPauseIcon, PlusIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { CategoryCounts } from '@/components/reconcile/category-counts';
import { OutcomeBadge } from '@/components/reconcile/outcome-badge';
import { RunSourceDialog } from '@/components/reconcile/run-source-dialog';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { triggerLabels } from '@/lib/console/job-words';
import { loadReconcilePage } from '@/lib/console/reconcile-page';
import { categoryLabels, describeApplied, describePlanned, remediationLabels } from '@/lib/console/reconcile-words';
import { runSourceAction } from '../actions';

export const metadata: Metadata = { title: 'Reconciliation' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
type Source = Awaited<ReturnType<typeof loadReconcilePage>>['sources'][number];

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

function MappingSummary({ source }: { source: Source }) {
  if (source.kind === 'scim') return <span className="text-muted-foreground">The IdP&apos;s SCIM pushes</span>;
  const columns = Object.entries(source.mapping.columns);
  const statuses = Object.keys(source.mapping.statuses).length;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer rounded-sm">
        {columns.length} column{columns.length === 1 ? '' : 's'}
        {statuses ? `, ${statuses} status value${statuses === 1 ? '' : 's'}` : ''}
      </summary>
      <ul className="mt-1 grid gap-0.5">
        {columns.map(([column, field]) => (
          <li key={column}>
            {column} → <span className="font-mono">{field}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function RemediationSummary({ source }: { source: Source }) {
  const acting = Object.entries(source.remediation).filter(([, action]) => action !== 'report');
  if (acting.length === 0) return <span className="text-muted-foreground">Report only</span>;
  return (
    <ul className="grid gap-0.5 text-xs">
      {acting.map(([category, action]) => (
        <li key={category}>
          {categoryLabels[category]}: {remediationLabels[action]?.toLowerCase()}
        </li>
      ))}
      {acting.length < 5 ? <li className="text-muted-foreground">others: report</li> : null}
    </ul>
  );
}

export default async function ReconciliationPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/reconciliation');
  const older = one((await searchParams).older);
  const { sources, runs, nextCursor, awaiting } = await loadReconcilePage(getDb(), user.organizationId, { older });
  const write = user.canWrite;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Reconciliation' }]}
        title="Reconciliation"
        description={`${user.organizationName}'s accounts against their authoritative sources (an HR export, the SCIM directory): who is an orphan, stale, drifted, missing or in conflict, and what is done about it.`}
        actions={
          write ? (
            <Button size="sm" asChild>
              <Link href="/admin/reconciliation/sources/new">
                <PlusIcon aria-hidden />
                New source
              </Link>
            </Button>
          ) : null
        }
      />
      {awaiting.map((run) => (
        <section key={run.runId} aria-labelledby={`halted-${run.runId}`} data-run-id={run.runId} className="rounded-xl border border-warning/40 bg-warning/5 p-5 shadow-sm">
          <div className="flex flex-wrap items-start justify-between gap-4">
            <div className="flex min-w-0 gap-3">
              <OctagonPauseIcon aria-hidden className="mt-0.5 size-5 shrink-0 text-warning" />
              <div className="min-w-0 space-y-1">
                <h2 id={`halted-${run.runId}`} className="font-semibold">
                  {run.source} halted: it waits for an administrator
                </h2>
                <p className="text-sm [overflow-wrap:anywhere]">{run.haltReason}.</p>
                <p className="text-sm text-muted-foreground">
                  Halted <RelativeTime value={run.startedAt} />. Nobody was changed.
                </p>
              </div>
            </div>
            <Button variant="outline" size="sm" asChild>
              <Link href={`/admin/reconciliation/runs/${run.runId}`} aria-label={`View the halted run of ${run.source}`}>
                View run
              </Link>
            </Button>
          </div>
        </section>
      ))}
      <Card className="p-4">
        <CardHeader className="px-2 pt-2">
          <div>
            <CardTitle>Sources</CardTitle>
            <CardDescription>What each source is matched on and what a run does about each kind of finding. {write ? 'Run now starts with a dry run.' : 'Only an administrator can run or add one.'}</CardDescription>
          </div>
        </CardHeader>
        {sources.length === 0 ? (
          <EmptyState
            icon={DatabaseZapIcon}
            title="No sources yet"
            action={
              write ? (
                <Button asChild>
                  <Link href="/admin/reconciliation/sources/new">New source</Link>
                </Button>
              ) : null
            }
          >
            {write ? 'Add an HR export (CSV) or the SCIM directory to compare this organization’s accounts against.' : 'An administrator adds the sources accounts are compared against.'}
          </EmptyState>
        ) : (
          <Table aria-label="Sources">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Source</TableHead>
                <TableHead scope="col">Mapping</TableHead>
                <TableHead scope="col">Remediation</TableHead>
                <TableHead scope="col">Schedule</TableHead>
                <TableHead scope="col">Last run</TableHead>
                {write ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {sources.map((s) => (
                <TableRow key={s.id} data-source={s.name}>
                  <TableCell className="align-top">
                    <div className="font-medium">{s.name}</div>
                    <div className="text-xs text-muted-foreground">{s.kind === 'csv' ? 'HR export (CSV)' : 'SCIM directory'}</div>
                  </TableCell>
                  <TableCell className="align-top">
                    <MappingSummary source={s} />
                  </TableCell>
                  <TableCell className="align-top">
                    <RemediationSummary source={s} />
                  </TableCell>
                  <TableCell className="max-w-48 align-top text-xs [overflow-wrap:anywhere]">
                    {s.kind === 'scim' ? <span className="text-muted-foreground">On demand</span> : s.scheduleEnabled ? <>Daily from <span className="font-mono">{s.filePath}</span></> : s.filePath ? <>On demand; file <span className="font-mono">{s.filePath}</span></> : <span className="text-muted-foreground">On demand, uploaded</span>}
                  </TableCell>
                  <TableCell className="align-top">
                    {s.lastRun ? (
                      <div className="grid gap-1">
                        <Link href={`/admin/reconciliation/runs/${s.lastRun.id}`} className="inline-flex flex-wrap items-center gap-2 rounded-sm hover:underline" aria-label={`Last run of ${s.name}: ${s.lastRun.outcome}`}>
                          <OutcomeBadge outcome={s.lastRun.outcome} dryRun={s.lastRun.dryRun} />
                          <RelativeTime value={s.lastRun.startedAt} />
                        </Link>
                        <CategoryCounts counts={s.lastRun.counts} />
                      </div>
                    ) : (
                      <span className="text-muted-foreground">Not run yet</span>
                    )}
                  </TableCell>
                  {write ? (
                    <TableCell className="text-right align-top">
                      <RunSourceDialog source={{ id: s.id, name: s.name, kind: s.kind, filePath: s.filePath }} organizationName={user.organizationName} action={runSourceAction} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Card className="p-4">
        <CardHeader className="px-2 pt-2">
          <div>
            <CardTitle>Runs</CardTitle>
            <CardDescription>Every run of every source, newest first: dry runs, real runs, and the ones a sanity check or the circuit breaker halted.</CardDescription>
          </div>
        </CardHeader>
        {runs.length === 0 ? (
          <EmptyState icon={HistoryIcon} title="No runs yet">
            {write && sources.length ? 'Use Run now on a source above: a dry run shows what a run would find and do.' : 'Runs appear here as sources are reconciled.'}
          </EmptyState>
        ) : (
          <Table aria-label="Reconciliation runs">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Run</TableHead>
                <TableHead scope="col">Started</TableHead>
                <TableHead scope="col">Outcome</TableHead>
                <TableHead scope="col">Findings</TableHead>
                <TableHead scope="col">What it did</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {runs.map((r) => (
                <TableRow key={r.runId} data-run-id={r.runId} data-outcome={r.outcome}>
                  <TableCell className="align-top">
                    <div className="whitespace-nowrap">{r.source}</div>
                    <Link href={`/admin/reconciliation/runs/${r.runId}`} className="rounded-sm font-mono text-xs text-muted-foreground hover:text-foreground hover:underline" aria-label={`Run ${r.runId.slice(0, 8)} of ${r.source}`}>
                      {r.runId.slice(0, 8)}
                    </Link>
                  </TableCell>
                  <TableCell className="align-top text-xs">
                    <RelativeTime value={r.startedAt} />
                    <div className="text-muted-foreground">{triggerLabels[r.trigger] ?? r.trigger}</div>
                  </TableCell>
                  <TableCell className="align-top">
                    <OutcomeBadge outcome={r.outcome} dryRun={r.dryRun} awaiting={r.confirmable} />
                  </TableCell>
                  <TableCell className="align-top">
                    <CategoryCounts counts={r.counts} newCount={r.newCount} resolvedCount={r.resolvedCount} />
                  </TableCell>
                  <TableCell className="max-w-sm align-top text-xs [overflow-wrap:anywhere]">
                    {r.outcome === 'failed' ? (
                      <span className="text-destructive">{r.failureReason}</span>
                    ) : r.outcome === 'halted' ? (
                      r.haltReason
                    ) : r.outcome === 'completed' ? (
                      <>
                        {r.dryRun ? `Would ${describePlanned(r.actions)}` : `Done: ${describeApplied(r.actions)}`}
                        {r.confirmsRunId ? <div className="text-muted-foreground">Confirms run {r.confirmsRunId.slice(0, 8)}</div> : null}
                      </>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
          {older ? (
            <Button variant="outline" size="sm" asChild>
              <Link href="/admin/reconciliation">Newest</Link>
            </Button>
          ) : null}
          {nextCursor ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={`/admin/reconciliation?older=${encodeURIComponent(nextCursor)}`}>Older</Link>
            </Button>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
