'use client';

import { FlaskConicalIcon } from 'lucide-react';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import type { ActionState } from '@/lib/auth/define-action';
import type { DryRunReport } from '@/lib/console/job-actions';
import { CompactPlanTable } from './compact-plan-table';

type Props = { job: string; action: (state: ActionState<DryRunReport> | undefined, form: FormData) => Promise<ActionState<DryRunReport>> };

/**
 * "Dry run": runs the job as a preview (the same code path, nothing changed) and shows what a run
 * now would do: the counts, whether the breaker would halt it, and the first accounts with their clause.
 */
export function DryRunButton({ job, action }: Props) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ActionState<DryRunReport> | null>(null);
  const [pending, startTransition] = useTransition();
  const start = () => {
    setOpen(true);
    setState(null);
    const form = new FormData();
    form.set('job', job);
    startTransition(async () => setState(await action(undefined, form)));
  };
  const report = state?.ok ? state.data : null;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" onClick={start} aria-label={`Dry run ${job}`}>
          <FlaskConicalIcon aria-hidden />
          Dry run
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Dry run of {job}</DialogTitle>
          <DialogDescription>What a run now would do, through the same code as a real run. Nothing is changed.</DialogDescription>
        </DialogHeader>
        <div aria-live="polite" aria-busy={pending} className="grid max-h-[60vh] gap-3 overflow-y-auto text-sm">
          {pending || !state ? <p className="text-muted-foreground">Working out what the run would do…</p> : null}
          {state?.error ? (
            <p role="alert" className="text-destructive">
              {state.error}
            </p>
          ) : null}
          {report ? <DryRunResult report={report} /> : null}
        </div>
        <DialogFooter>
          {report ? (
            <Button variant="outline" asChild>
              <Link href={`/admin/jobs/${report.runId}`}>Open the run</Link>
            </Button>
          ) : null}
          <Button type="button" onClick={() => setOpen(false)}>
            Done
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function DryRunResult({ report }: { report: DryRunReport }) {
  return (
    <>
      <p className="font-medium">{report.message}</p>
      {report.halted ? <p className="rounded-md bg-warning/10 p-3 text-warning ring-1 ring-warning/30 ring-inset">Circuit breaker: {report.haltReason}</p> : null}
      {report.planned.length > 0 ? (
        <CompactPlanTable planned={report.planned} label="What the run would do" />
      ) : null}
      {report.plannedTotal > report.planned.length ? <p className="text-muted-foreground">The first {report.planned.length} of {report.plannedTotal.toLocaleString('en-US')} accounts; the run&apos;s page lists more.</p> : null}
    </>
  );
}
