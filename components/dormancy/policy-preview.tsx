import { CompactPlanTable } from '@/components/jobs/compact-plan-table';
import type { PolicyPreview } from '@/lib/console/dormancy-actions';

const n = (v: number) => v.toLocaleString('en-US');

/** What the sweep would do with the edited policy: counts per action, the breaker's word, the first accounts with their clause. */
export function PolicyPreviewResult({ preview }: { preview: PolicyPreview }) {
  const { counts } = preview;
  const changes = counts.suspend + counts.deprovision;
  return (
    <section aria-labelledby="dormancy-preview-title" className="grid gap-3 rounded-lg border bg-muted/30 p-4 text-sm" data-testid="dormancy-preview">
      <h2 id="dormancy-preview-title" className="font-semibold">
        Preview as of {new Date(preview.asOf).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })}: nothing saved, nothing changed
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(
          [
            ['Dormant', counts.dormant],
            ['Warn', counts.warn],
            ['Suspend', counts.suspend],
            ['Deprovision', counts.deprovision],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="rounded-md border bg-card p-3" data-count={label.toLowerCase()}>
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="text-xl font-semibold tabular-nums">{n(value)}</dd>
          </div>
        ))}
      </dl>
      {preview.halted ? (
        <p className="rounded-md bg-warning/10 p-3 text-warning ring-1 ring-warning/30 ring-inset" data-testid="breaker-halt">
          The circuit breaker would halt the run: {preview.haltReason}. An admin would confirm it on the Jobs page.
        </p>
      ) : (
        <p className="text-muted-foreground">
          The circuit breaker would let the run through: {n(changes)} of {n(preview.population)} active accounts suspended or deprovisioned.
        </p>
      )}
      {!preview.enabled ? <p className="text-muted-foreground">The policy is disabled: the job does nothing until it is enabled.</p> : null}
      {preview.planned.length > 0 ? (
        <CompactPlanTable planned={preview.planned} label="What a run would do" linked />
      ) : (
        <p className="text-muted-foreground">A run would warn, suspend or deprovision nobody.</p>
      )}
      {preview.plannedTotal > preview.planned.length ? <p className="text-muted-foreground">The first {preview.planned.length} of {n(preview.plannedTotal)} accounts.</p> : null}
    </section>
  );
}
