'use client';

import { BanIcon, RotateCcwIcon, ShieldMinusIcon, ShieldPlusIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { BulkReport } from '@/lib/lifecycle/bulk/types';

type BulkActionName = 'suspend' | 'restore' | 'grant_role' | 'revoke_role';
type Run = (state: ActionState<BulkReport> | undefined, form: FormData) => Promise<ActionState<BulkReport>>;

const verbs: Record<BulkActionName, { label: string; past: string; future: string; icon: typeof BanIcon; destructive: boolean }> = {
  suspend: { label: 'Suspend', past: 'suspended', future: 'will be suspended', icon: BanIcon, destructive: true },
  restore: { label: 'Restore', past: 'restored', future: 'will be restored', icon: RotateCcwIcon, destructive: false },
  grant_role: { label: 'Grant role', past: 'granted the role', future: 'will get the role', icon: ShieldPlusIcon, destructive: false },
  revoke_role: { label: 'Revoke role', past: 'lost the role', future: 'will lose the role', icon: ShieldMinusIcon, destructive: true },
};
const n = (count: number) => count.toLocaleString();
const accountsText = (count: number) => `${n(count)} account${count === 1 ? '' : 's'}`;

/**
 * Bulk actions over the selected accounts, or every account the filter matches. Each goes
 * through a dry run first, so the dialog says how many accounts will change before anything does;
 * past the organization's limit the admin types the number to confirm.
 */
export function BulkBar({ selectedIds, total, filterQuery, roles, run, clear }: { selectedIds: string[]; total: number | null; filterQuery: string; roles: { key: string; name: string }[]; run: Run; clear: () => void }) {
  const [allMatching, setAllMatching] = useState(false);
  const [action, setAction] = useState<BulkActionName | null>(null);
  const count = allMatching && total !== null ? total : selectedIds.length;
  if (count === 0 && !allMatching) return <p className="text-sm text-muted-foreground">Select accounts to act on several at once.</p>;
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-lg border bg-muted/50 px-3 py-2" role="region" aria-label="Bulk actions">
      <p className="text-sm font-medium" aria-live="polite">
        {allMatching && total !== null ? `All ${accountsText(total)} matching the filter` : `${accountsText(selectedIds.length)} selected`}
      </p>
      {!allMatching && total !== null && total > selectedIds.length ? (
        <Button variant="link" size="sm" onClick={() => setAllMatching(true)}>
          Select all {accountsText(total)} matching
        </Button>
      ) : null}
      <Button variant="ghost" size="sm" onClick={() => (setAllMatching(false), clear())}>
        Clear selection
      </Button>
      <div className="ml-auto flex flex-wrap gap-2">
        {(Object.keys(verbs) as BulkActionName[]).map((name) => {
          const Icon = verbs[name].icon;
          return (
            <Button key={name} size="sm" variant={verbs[name].destructive ? 'outline' : 'secondary'} onClick={() => setAction(name)}>
              <Icon aria-hidden />
              {verbs[name].label}
            </Button>
          );
        })}
      </div>
      {action ? (
        <BulkDialog
          action={action}
          count={count}
          scope={allMatching ? { scope: 'filter', filter: filterQuery } : { scope: 'selected', ids: selectedIds.join(',') }}
          roles={roles}
          run={run}
          onClose={(done) => {
            setAction(null);
            if (done) {
              setAllMatching(false);
              clear();
            }
          }}
        />
      ) : null}
    </div>
  );
}

function BulkDialog({ action, count, scope, roles, run, onClose }: { action: BulkActionName; count: number; scope: Record<string, string>; roles: { key: string; name: string }[]; run: Run; onClose: (done: boolean) => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [fields, setFields] = useState({ roleKey: '', expiresAt: '', reason: '', confirmOver: '' });
  const [preview, setPreview] = useState<BulkReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verb = verbs[action];
  const needsRole = action === 'grant_role' || action === 'revoke_role';
  const submit = (dryRun: boolean) =>
    startTransition(async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ action, ...scope, ...fields, dryRun: dryRun ? '1' : '0' })) if (v) form.append(k, v);
      const state = await run(undefined, form);
      if (!state.ok || !state.data) return setError(state.fieldErrors ? Object.values(state.fieldErrors).flat().join(' ') : (state.error ?? 'The action failed.'));
      setError(null);
      if (dryRun) return setPreview(state.data);
      const r = state.data;
      toast.success(`${accountsText(r.changed)} ${verb.past}${r.unchanged ? `, ${n(r.unchanged)} unchanged` : ''}${r.refused.length ? `, ${n(r.refused.length)} refused` : ''}.`);
      router.refresh();
      onClose(true);
    });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose(false)}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {verb.label} — {accountsText(count)}
          </DialogTitle>
          <DialogDescription>{preview ? 'This is what will happen. Nothing has changed yet.' : 'First, see what would change: a dry run changes nothing.'}</DialogDescription>
        </DialogHeader>
        {needsRole ? (
          <div className="grid gap-1.5">
            <Label htmlFor="bulk-role">Role</Label>
            <NativeSelect id="bulk-role" value={fields.roleKey} disabled={Boolean(preview)} onChange={(e) => setFields({ ...fields, roleKey: e.target.value })}>
              <option value="">Choose…</option>
              {roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name}
                </option>
              ))}
            </NativeSelect>
          </div>
        ) : null}
        {action === 'grant_role' ? (
          <div className="grid gap-1.5">
            <Label htmlFor="bulk-until">Until (optional)</Label>
            <Input id="bulk-until" type="date" value={fields.expiresAt} disabled={Boolean(preview)} onChange={(e) => setFields({ ...fields, expiresAt: e.target.value })} />
          </div>
        ) : null}
        <div className="grid gap-1.5">
          <Label htmlFor="bulk-reason">Reason (for the audit trail)</Label>
          <Input id="bulk-reason" value={fields.reason} disabled={Boolean(preview)} onChange={(e) => setFields({ ...fields, reason: e.target.value })} />
        </div>
        {preview ? <PreviewSummary report={preview} future={verb.future} /> : null}
        {preview?.needsConfirmation ? (
          <div className="grid gap-1.5">
            <Label htmlFor="bulk-confirm">This is more than your organization&apos;s limit of {n(preview.limit)} at once. Type {n(preview.requested)} to confirm.</Label>
            <Input id="bulk-confirm" inputMode="numeric" value={fields.confirmOver} onChange={(e) => setFields({ ...fields, confirmOver: e.target.value.replace(/\D/g, '') })} />
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onClose(false)}>
            Cancel
          </Button>
          {preview ? (
            <Button variant={verb.destructive ? 'destructive' : 'default'} disabled={pending || preview.changed === 0} onClick={() => submit(false)}>
              {pending ? 'Working…' : `${verb.label} ${accountsText(preview.changed)}`}
            </Button>
          ) : (
            <Button disabled={pending || (needsRole && !fields.roleKey)} onClick={() => submit(true)}>
              {pending ? 'Checking…' : 'Preview'}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function PreviewSummary({ report, future }: { report: BulkReport; future: string }) {
  const reasons = [...new Map(report.refused.map((r) => [r.code, r.reason])).entries()].slice(0, 4);
  return (
    <div className="rounded-md border bg-muted/40 p-3 text-sm" aria-live="polite">
      <p>
        <strong>{accountsText(report.changed)}</strong> {future}; {n(report.unchanged)} need no change; {n(report.refused.length)} refused.
      </p>
      {reasons.length ? (
        <ul className="mt-2 list-disc pl-5 text-muted-foreground">
          {reasons.map(([code, reason]) => (
            <li key={code}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
