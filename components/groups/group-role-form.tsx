'use client';

import { EyeIcon, SaveIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { GroupRoleApplyResult, GroupRoleCard } from '@/lib/console/group-role-actions';
import type { GroupRolePreview } from '@/lib/lifecycle/group/group-role-types';
import { groupRoleSentence, GroupRolePreviewResult } from './group-role-preview';

type Action<T> = (state: ActionState<T> | undefined, form: FormData) => Promise<ActionState<T>>;
type Group = { kind: 'scim'; id: string; name: string } | { kind: 'sign-in'; name: string };

/**
 * The "Role" card of a group's page: the role its members hold through it, a role select (or none),
 * "Preview" (who would gain and lose which role), and "Save", which previews the same change again,
 * asks for confirmation with the counts (and the typed number past the mass-change limit), then maps
 * the group and applies it to every member at once. An auditor sees it read-only.
 */
export function GroupRoleForm({ group, card, canWrite, preview, apply }: { group: Group; card: GroupRoleCard; canWrite: boolean; preview: Action<GroupRolePreview>; apply: Action<GroupRoleApplyResult> }) {
  const id = useId();
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<GroupRolePreview | null>(null);
  const [confirming, setConfirming] = useState<GroupRolePreview | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<'preview' | 'save' | 'apply' | null>(null);
  const [pending, startTransition] = useTransition();

  const formData = (extra: Record<string, string> = {}) => {
    const data = new FormData(form.current!);
    for (const [k, v] of Object.entries(extra)) data.set(k, v);
    return data;
  };
  const runPreview = (which: 'preview' | 'save') => {
    if (!form.current) return;
    const data = formData();
    setBusy(which);
    startTransition(async () => {
      const state = await preview(undefined, data);
      setBusy(null);
      setError(state.ok ? null : (state.fieldErrors?.form?.join(' ') ?? state.error ?? 'Could not preview the change.'));
      setResult(state.ok && state.data ? state.data : null);
      if (which === 'save' && state.ok && state.data) {
        setConfirmError(null);
        setTyped('');
        setConfirming(state.data);
      }
    });
  };
  const onConfirm = () => {
    const data = formData(confirming?.needsConfirmation ? { confirmOver: typed } : {});
    setBusy('apply');
    startTransition(async () => {
      const state = await apply(undefined, data);
      setBusy(null);
      if (state.ok && state.data) {
        setConfirming(null);
        setResult(null);
        toast.success(state.data.message);
        router.refresh();
        return;
      }
      setConfirmError(state.fieldErrors?.confirmOver?.join(' ') ?? state.fieldErrors?.form?.join(' ') ?? state.error ?? 'Not saved.');
    });
  };
  const current = card.current ? `${card.current.name} (${card.current.key})` : 'No role';
  return (
    <Card aria-labelledby={`${id}-title`} data-testid="group-role-card">
      <CardHeader>
        <div className="grid gap-1">
          <CardTitle id={`${id}-title`}>Role</CardTitle>
          <CardDescription>
            {group.kind === 'scim' ? 'Every member of this group holds the role it gives (source: group).' : 'Accounts whose last sign-in carried this group hold the role it gives, through a birthright rule (an account whose groups SCIM sends is judged by its SCIM groups instead).'}{' '}
            {card.rule ? (
              <>
                Rule:{' '}
                <Link href={`/admin/rules/${card.rule.id}`} className="underline">
                  {card.rule.name}
                </Link>
                {card.rule.enabled ? '' : ' (disabled)'}.
              </>
            ) : null}
          </CardDescription>
        </div>
      </CardHeader>
      <p className="mb-4 text-sm">
        Gives: <span className="font-medium" data-testid="group-role-current">{current}</span>
      </p>
      {canWrite ? (
        <form
          ref={form}
          aria-label="Group role"
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            runPreview('save');
          }}
        >
          <input type="hidden" name="kind" value={group.kind} />
          {group.kind === 'scim' ? <input type="hidden" name="groupId" value={group.id} /> : <input type="hidden" name="name" value={group.name} />}
          <div className="grid max-w-sm gap-1.5">
            <Label htmlFor={`${id}-role`}>Role for this group</Label>
            <NativeSelect id={`${id}-role`} name="roleKey" defaultValue={card.current?.key ?? ''} aria-invalid={Boolean(error) || undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={() => setResult(null)}>
              <option value="">No role</option>
              {card.roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name} ({r.key})
                </option>
              ))}
            </NativeSelect>
            <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="outline" disabled={pending} onClick={() => runPreview('preview')}>
              <EyeIcon aria-hidden />
              {busy === 'preview' ? 'Previewing…' : 'Preview'}
            </Button>
            <Button type="submit" disabled={pending}>
              <SaveIcon aria-hidden />
              {busy === 'save' ? 'Checking…' : 'Save'}
            </Button>
          </div>
          {result ? <GroupRolePreviewResult preview={result} /> : null}
        </form>
      ) : (
        <p className="text-sm text-muted-foreground">Only an administrator can change it.</p>
      )}
      <Dialog open={confirming !== null} onOpenChange={(open) => (open ? null : setConfirming(null))}>
        <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
          {confirming ? (
            <form
              className="grid gap-4"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                onConfirm();
              }}
            >
              <DialogHeader>
                <DialogTitle>Save the group’s role?</DialogTitle>
                <DialogDescription>{groupRoleSentence(confirming)}</DialogDescription>
              </DialogHeader>
              <GroupRolePreviewResult preview={confirming} title="What saving does" />
              {confirming.needsConfirmation ? (
                <div className="grid gap-1.5">
                  <Label htmlFor={`${id}-confirm`}>Type {confirming.counts.accounts} to confirm</Label>
                  <Input id={`${id}-confirm`} inputMode="numeric" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={Boolean(confirmError) || undefined} aria-describedby={confirmError ? `${id}-confirm-error` : undefined} />
                </div>
              ) : null}
              <FieldError id={`${id}-confirm-error`} errors={confirmError ? [confirmError] : undefined} />
              <DialogFooter>
                <Button type="button" variant="outline" onClick={() => setConfirming(null)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={pending}>
                  {busy === 'apply' ? 'Working…' : 'Save and apply'}
                </Button>
              </DialogFooter>
            </form>
          ) : null}
        </DialogContent>
      </Dialog>
    </Card>
  );
}
