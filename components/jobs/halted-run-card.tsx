import { OctagonPauseIcon, PlayIcon } from 'lucide-react';
import Link from 'next/link';
import { ActionDialog } from '@/components/console/action-dialog';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { ActionState } from '@/lib/auth/define-action';
import { describeCounts } from '@/lib/jobs/describe-counts';
import type { PlannedAction } from '@/lib/jobs/types';

export type HaltedRun = {
  id: string;
  job: string;
  summary: string;
  startedAt: Date;
  haltReason: string | null;
  counts: Record<string, number>;
  planned: { accounts: PlannedAction[]; total: number } | null;
};

type Props = {
  run: HaltedRun;
  organizationName: string;
  /** The confirm action, for admins; auditors get none (and the server refuses them anyway). */
  /** Off on the run's own page. */
  linkToRun?: boolean;
  confirm: ((state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>) | null;
};

const FIRST = 5;

/** A run the circuit breaker halted, waiting for an admin: why, when, what it would do, and Confirm run. */
export function HaltedRunCard({ run, organizationName, confirm, linkToRun = true }: Props) {
  const what = describeCounts(run.counts);
  const first = run.planned?.accounts.slice(0, FIRST) ?? [];
  const more = (run.planned?.total ?? 0) - first.length;
  return (
    <section aria-labelledby={`halted-${run.id}`} data-run-id={run.id} className="rounded-xl border border-warning/40 bg-warning/5 p-5 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 gap-3">
          <OctagonPauseIcon aria-hidden className="mt-0.5 size-5 shrink-0 text-warning" />
          <div className="min-w-0 space-y-1">
            <h2 id={`halted-${run.id}`} className="font-semibold">
              {run.job} halted: it waits for an administrator
            </h2>
            <p className="text-sm">{run.haltReason ? `The circuit breaker stopped it: ${run.haltReason}.` : 'The circuit breaker stopped the run before it acted.'}</p>
            <p className="text-sm text-muted-foreground">
              Halted <RelativeTime value={run.startedAt} />. Nothing was changed. Confirmed, the run would {what}.
            </p>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {linkToRun ? (
            <Button variant="ghost" size="sm" asChild>
              <Link href={`/admin/jobs/${run.id}`} aria-label={`View run: the halted run of ${run.job}`}>
                View run
              </Link>
            </Button>
          ) : null}
          {confirm ? (
            <ActionDialog
              label="Confirm run"
              icon={<PlayIcon />}
              variant="default"
              title={`Confirm the halted run of ${run.job}?`}
              description={
                <span className="grid gap-2">
                  <span>
                    Roster runs {run.job} now for {organizationName} and will <strong className="text-foreground">{what}</strong>, as you, recorded in the audit trail. The circuit breaker lets this run do up to what it halted on.
                  </span>
                  {first.length ? (
                    <span>
                      Among them: {first.map((p) => p.userName).join(', ')}
                      {more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}.
                    </span>
                  ) : null}
                </span>
              }
              submitLabel="Confirm run"
              destructive
              hidden={{ runId: run.id }}
              action={confirm}
            />
          ) : null}
        </div>
      </div>
    </section>
  );
}
