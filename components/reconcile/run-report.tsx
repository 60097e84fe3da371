import { categoryCounts, describeApplied, describePlanned } from '@/lib/console/reconcile-words';
import type { RunReport } from '@/lib/console/reconcile-actions';

/** A run's result as the run dialog shows it: the sentence, why it halted or failed, the rows read, counts by category. */
export function RunReportView({ report }: { report: RunReport }) {
  const tone = report.outcome === 'failed' ? 'text-destructive bg-destructive/10 ring-destructive/30' : 'text-warning bg-warning/10 ring-warning/30';
  return (
    <div className="grid gap-3" data-testid="run-report" data-outcome={report.outcome}>
      <p className="font-medium">{report.message}</p>
      {report.outcome === 'halted' || report.outcome === 'failed' ? (
        <p role={report.outcome === 'failed' ? 'alert' : undefined} className={`rounded-md p-3 ring-1 ring-inset ${tone}`}>
          {report.outcome === 'failed' ? report.failureReason : report.haltReason}
        </p>
      ) : null}
      <p className="text-muted-foreground">
        {report.rowCount.toLocaleString('en-US')} rows read{report.badRowCount ? `, ${report.badRowCount.toLocaleString('en-US')} bad` : ''}; {report.newCount.toLocaleString('en-US')} new findings, {report.resolvedCount.toLocaleString('en-US')} resolved since the previous run.
        {report.outcome !== 'failed' ? ` ${report.dryRun || report.halted ? `Planned: ${describePlanned(report.actions)}.` : `Done: ${describeApplied(report.actions)}.`}` : ''}
      </p>
      {report.outcome !== 'failed' ? (
        <dl className="grid grid-cols-3 gap-2 sm:grid-cols-6" aria-label="Findings by category">
          {categoryCounts(report.counts).map((c) => (
            <div key={c.category} className="rounded-md border p-2" data-count={c.category}>
              <dt className="text-xs text-muted-foreground">{c.label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{c.count.toLocaleString('en-US')}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {report.badRows.length ? (
        <ul className="grid gap-1 text-xs" aria-label="Bad rows">
          {report.badRows.map((b) => (
            <li key={b.line}>
              <span className="font-mono">line {b.line}</span>: {b.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
