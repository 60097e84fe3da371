'use client';

import { FlaskConicalIcon, PlayIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { ActionDialog } from '@/components/console/action-dialog';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Input, Label } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { RunReport } from '@/lib/console/reconcile-actions';
import { describePlanned } from '@/lib/console/reconcile-words';
import { RunReportView } from './run-report';

type RunAction = (state: ActionState<RunReport> | undefined, form: FormData) => Promise<ActionState<RunReport>>;
type Props = { source: { id: string; name: string; kind: string; filePath: string | null }; organizationName: string; action: RunAction };

/**
 * "Run now": a dry run first (an uploaded file, or the source's file path), its result, and then
 * Apply behind a confirmation that says what the run will do, with the same file (the server
 * checks it is the one the dry run read). A real run the breaker halts offers Confirm the same way.
 */
export function RunSourceDialog({ source, organizationName, action }: Props) {
  const id = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<ActionState<RunReport> | null>(null);
  const [pending, startTransition] = useTransition();
  const needsFile = source.kind === 'csv' && !source.filePath;
  const formWith = (fields: Record<string, string>) => {
    const form = new FormData();
    form.set('sourceId', source.id);
    if (file) form.set('file', file);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return form;
  };
  const dryRun = () => {
    setState(null);
    startTransition(async () => setState(await action(undefined, formWith({ dryRun: 'true' }))));
  };
  /** The real run (apply, or confirm a halted one), for ActionDialog: its result replaces the dry run's. */
  const realRun = (fields: Record<string, string>) => async () => {
    const result = await action(undefined, formWith({ dryRun: 'false', ...fields }));
    if (result.ok) {
      setState(result);
      router.refresh();
    }
    return result.ok ? { ok: true as const, data: { message: result.data!.message } } : { error: result.error, fieldErrors: result.fieldErrors };
  };
  const report = state?.ok ? state.data! : null;
  const fileWords = file ? file.name : source.filePath ? source.filePath : 'the file';
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setState(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Run ${source.name} now`}>
          <PlayIcon aria-hidden />
          Run now
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Run {source.name}</DialogTitle>
          <DialogDescription>
            A dry run first: the same reconciliation as a real run, nothing changed. Then apply it, or not.
          </DialogDescription>
        </DialogHeader>
        <div className="grid max-h-[65vh] gap-4 overflow-y-auto text-sm">
          {source.kind === 'csv' ? (
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-file`}>CSV file</Label>
              <Input
                id={`${id}-file`}
                type="file"
                accept=".csv,text/csv"
                aria-describedby={`${id}-file-hint`}
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0] ?? null);
                  setState(null);
                }}
              />
              <p id={`${id}-file-hint`} className="text-xs text-muted-foreground">
                {source.filePath ? `Empty: the source's file ${source.filePath}.` : 'This source has no file path: upload the export to read.'}
              </p>
            </div>
          ) : (
            <p className="text-muted-foreground">The SCIM directory: what the IdP pushed to {organizationName}.</p>
          )}
          <div aria-live="polite" aria-busy={pending} className="grid gap-3">
            {pending ? <p className="text-muted-foreground">Reading and comparing…</p> : null}
            {state?.error ? (
              <p role="alert" className="text-destructive">
                {state.error}
              </p>
            ) : null}
            {report ? <RunReportView report={report} /> : null}
          </div>
        </div>
        <DialogFooter className="flex-wrap gap-2">
          {report ? (
            <Button variant="outline" asChild>
              <Link href={`/admin/reconciliation/runs/${report.runId}`}>Open the run</Link>
            </Button>
          ) : null}
          <Button type="button" variant={report ? 'outline' : 'default'} onClick={dryRun} disabled={pending || (needsFile && !file)}>
            <FlaskConicalIcon aria-hidden />
            Dry run
          </Button>
          {report?.dryRun && report.outcome === 'completed' && describePlanned(report.actions) !== 'nothing' ? (
            <ActionDialog
              label="Apply"
              icon={<PlayIcon />}
              variant="default"
              title={`Apply the reconciliation of ${source.name}?`}
              description={
                <span>
                  Roster reads {fileWords} again and will <strong className="text-foreground">{describePlanned(report.actions)}</strong> in {organizationName}, as you, each action audited with the run. The circuit breaker still halts a run that would change too many accounts.
                </span>
              }
              submitLabel="Apply"
              destructive
              hidden={{}}
              action={realRun({ dryRunId: report.runId })}
            />
          ) : null}
          {report && !report.dryRun && report.confirmable ? (
            <ActionDialog
              label="Confirm run"
              icon={<PlayIcon />}
              variant="default"
              title={`Confirm the halted run of ${source.name}?`}
              description={
                <span>
                  {report.haltReason}. Confirmed, Roster reads {fileWords} again and will <strong className="text-foreground">{describePlanned(report.actions)}</strong>, as you, recorded in the audit trail.
                </span>
              }
              submitLabel="Confirm run"
              destructive
              hidden={{}}
              action={realRun({ confirmRunId: report.runId })}
            />
          ) : null}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
