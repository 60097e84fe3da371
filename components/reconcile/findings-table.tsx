import { CheckCheckIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ActionDialog } from '@/components/console/action-dialog';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ActionState } from '@/lib/auth/define-action';
import { categoryLabels, remediationLabels } from '@/lib/console/reconcile-words';
import type { FindingDto } from '@/lib/reconcile/read';

type ResolveAction = (state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>;
type Props = { findings: FindingDto[]; label: string; candidateNames: Record<string, string>; resolve: ResolveAction | null; dryRun: boolean };

const tones = { drift: 'blue', orphan: 'red', stale: 'amber', missing: 'slate', conflict: 'amber' } as const;
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : String(v));

function accountCell(f: FindingDto): ReactNode {
  const d = f.details as Record<string, unknown>;
  const line = f.line ? <div className="font-mono text-xs text-muted-foreground">line {f.line}</div> : null;
  if (f.accountId) {
    return (
      <>
        <Link href={`/admin/accounts/${f.accountId}`} className="rounded-sm font-medium break-all hover:underline">
          {f.userName ?? String(d.userName ?? f.accountId)}
        </Link>
        {f.accountStatus ? <div className="text-xs text-muted-foreground">now {f.accountStatus.replace('_', ' ')}</div> : null}
        {line}
      </>
    );
  }
  const who = d.displayName ?? d.email ?? d.userName ?? f.sourceKey;
  return (
    <>
      <div className="font-medium break-all">{show(who)}</div>
      {f.sourceKey && f.sourceKey !== who ? <div className="text-xs break-all text-muted-foreground">{f.sourceKey}</div> : null}
      {line}
    </>
  );
}

function detailCell(f: FindingDto, names: Record<string, string>): ReactNode {
  const d = f.details as Record<string, unknown>;
  const attributes = (d.attributes ?? {}) as Record<string, { source: unknown; roster: unknown }>;
  const drift = Object.entries(attributes);
  const driftList = drift.length ? (
    <ul className="grid gap-0.5" aria-label="Attributes that differ">
      {drift.map(([field, v]) => (
        <li key={field}>
          <span className="font-mono">{field}</span>: <span className="font-medium">{show(v.source)}</span> <span className="text-muted-foreground">at the source, {show(v.roster)} in Roster</span>
        </li>
      ))}
    </ul>
  ) : null;
  const skipped = typeof d.skipped === 'string' ? <div className="text-muted-foreground">Skipped: {d.skipped}</div> : null;
  switch (f.category) {
    case 'drift':
      return (
        <>
          {driftList}
          {skipped}
        </>
      );
    case 'stale':
      return (
        <>
          <div>{d.reason === 'ended' ? `Past its end date ${show(d.endDate)} at the source` : 'Inactive at the source'}, active here</div>
          {driftList}
          {skipped}
        </>
      );
    case 'orphan':
      return (
        <>
          <div>Active here, no record at the source{d.scimManaged ? (d.scimActive === false ? ' (the IdP deactivated it)' : '') : ''}</div>
          {skipped}
        </>
      );
    case 'missing':
      return <div>Active at the source, no account here{d.startDate ? ` (starts ${show(d.startDate)})` : ''}</div>;
    case 'conflict': {
      const candidates = Array.isArray(d.candidates) ? (d.candidates as string[]) : [];
      const lines = Array.isArray(d.lines) ? (d.lines as number[]) : [];
      return (
        <div className="grid gap-1">
          <div>
            {d.reason === 'several_rows' ? `Several rows claim one account by ${show(d.key)}${lines.length ? ` (lines ${lines.join(', ')})` : ''}` : `Several accounts match by ${show(d.key)}: never guessed`}
          </div>
          {candidates.length ? (
            <ul className="flex flex-wrap gap-x-3" aria-label="Candidates">
              {candidates.map((id) => (
                <li key={id}>
                  <Link href={`/admin/accounts/${id}`} className="rounded-sm break-all underline-offset-2 hover:underline">
                    {names[id] ?? id.slice(0, 8)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      );
    }
    default:
      return null;
  }
}

function actionCell(f: FindingDto, dryRun: boolean): ReactNode {
  if (!f.action || f.action === 'report') return <span className="text-muted-foreground">Reported</span>;
  const label = remediationLabels[f.action] ?? f.action;
  const outcome = f.actionOutcome === 'applied' ? <Badge tone="green">applied</Badge> : f.actionOutcome === 'skipped' ? <Badge>skipped</Badge> : <Badge tone="blue">{dryRun ? 'would do' : 'planned'}</Badge>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      {label}
      {outcome}
    </span>
  );
}

/** One page of a run's findings: who, what differs or why, the action and what came of it, the review item. */
export function FindingsTable({ findings, label, candidateNames, resolve, dryRun }: Props) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Finding</TableHead>
          <TableHead scope="col">Account or source row</TableHead>
          <TableHead scope="col">What the run found</TableHead>
          <TableHead scope="col">Action</TableHead>
          <TableHead scope="col">Review</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {findings.map((f) => (
          <TableRow key={f.findingId} data-finding-id={f.findingId} data-category={f.category} data-account={f.userName ?? undefined}>
            <TableCell className="align-top">
              <span className="inline-flex flex-wrap gap-1">
                <Badge tone={tones[f.category as keyof typeof tones] ?? 'slate'}>{categoryLabels[f.category]?.toLowerCase() ?? f.category}</Badge>
                {f.isNew ? <Badge tone="blue">new</Badge> : null}
              </span>
            </TableCell>
            <TableCell className="max-w-56 align-top text-sm">{accountCell(f)}</TableCell>
            <TableCell className="max-w-md align-top text-xs [overflow-wrap:anywhere]">{detailCell(f, candidateNames)}</TableCell>
            <TableCell className="align-top text-xs">{actionCell(f, dryRun)}</TableCell>
            <TableCell className="align-top text-xs">
              {f.review ? (
                f.review.state === 'open' ? (
                  resolve ? (
                    <ActionDialog
                      label="Resolve"
                      icon={<CheckCheckIcon />}
                      title={`Close the review of ${f.userName ?? f.sourceKey ?? 'this finding'}?`}
                      description="Resolved: acted on, or fine as it is. Dismissed: not a problem. The note is kept in the audit trail; the account itself changes only through its own page."
                      submitLabel="Close review"
                      fields={[
                        { name: 'resolution', label: 'Outcome', kind: 'select', required: true, options: [{ value: 'resolved', label: 'Resolved' }, { value: 'dismissed', label: 'Dismissed' }] },
                        { name: 'note', label: 'Note', kind: 'text', placeholder: 'What was done, or why not' },
                      ]}
                      hidden={{ findingId: String(f.findingId) }}
                      action={resolve}
                    />
                  ) : (
                    <Badge tone="amber">open</Badge>
                  )
                ) : (
                  <span className="grid gap-0.5">
                    <Badge tone={f.review.state === 'resolved' ? 'green' : 'slate'}>{f.review.state}</Badge>
                    {f.review.note ? <span className="text-muted-foreground">{f.review.note}</span> : null}
                  </span>
                )
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
