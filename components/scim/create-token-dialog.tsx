'use client';

import { KeyRoundIcon, PlusIcon, TriangleAlertIcon } from 'lucide-react';
import { useActionState, useId, useState } from 'react';
import { toast } from 'sonner';
import { CopyValue } from '@/components/connections/copy-value';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { CreatedToken } from '@/lib/console/scim-actions';

type Action = (state: ActionState<CreatedToken> | undefined, form: FormData) => Promise<ActionState<CreatedToken>>;
type Props = { connections: { id: string; name: string }[]; action: Action };

/**
 * "Create token": a name and, optionally, the connection whose rules and default roles its pushes
 * get; then the token, shown once, with the tenant URL to paste into the IdP. Closing the dialog
 * forgets the token (the server keeps only its hash).
 */
export function CreateTokenDialog({ connections, action }: Props) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) setRound((r) => r + 1);
  };
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogTrigger asChild>
        <Button size="sm">
          <PlusIcon aria-hidden className="size-4" /> Create token
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        <CreateTokenBody key={round} connections={connections} action={action} close={() => change(false)} />
      </DialogContent>
    </Dialog>
  );
}

function CreateTokenBody({ connections, action, close }: Props & { close: () => void }) {
  const [state, submit, pending] = useActionState(async (previous: ActionState<CreatedToken> | undefined, form: FormData) => {
    const result = await action(previous, form);
    if (result.ok) toast.success(result.data?.message ?? 'Created.');
    return result;
  }, undefined);
  const id = useId();
  const created = state?.ok ? state.data : undefined;
  if (created) {
    return (
      <div className="grid gap-4" data-created-token={created.tokenPrefix}>
        <DialogHeader>
          <DialogTitle>SCIM token {created.name}</DialogTitle>
          <DialogDescription>Paste the tenant URL and the secret token into the IdP’s provisioning settings.</DialogDescription>
        </DialogHeader>
        <p role="status" className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm">
          <TriangleAlertIcon aria-hidden className="mt-0.5 size-4 shrink-0 text-warning" />
          <span>
            <strong>The token is shown only now.</strong> Copy it before you close this dialog: Roster keeps only its hash. If it is lost, create another and revoke this one.
          </span>
        </p>
        <dl className="grid gap-3">
          <CopyValue label="Secret token" value={created.token} />
          <CopyValue label="Tenant URL" value={created.baseUrl} />
          <CopyValue label="Tenant URL for Entra ID" value={created.entraUrl} />
        </dl>
        <DialogFooter>
          <Button type="button" onClick={close}>
            Done
          </Button>
        </DialogFooter>
      </div>
    );
  }
  const errors = state?.fieldErrors ?? {};
  const field = (name: string) => ({ id: `${id}-${name}`, name, 'aria-invalid': Boolean(errors[name]?.length) || undefined, 'aria-describedby': errors[name]?.length ? `${id}-${name}-error` : `${id}-${name}-hint` });
  return (
    <form action={submit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Create a SCIM token</DialogTitle>
        <DialogDescription>The IdP sends it as its bearer token; every account it pushes lands in this organization.</DialogDescription>
      </DialogHeader>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-name`}>Name</Label>
        <Input {...field('name')} required placeholder="Entra ID" autoComplete="off" maxLength={100} />
        {errors.name?.length ? null : <p id={`${id}-name-hint`} className="text-xs text-muted-foreground">What the token is for, to tell tokens apart.</p>}
        <FieldError id={`${id}-name-error`} errors={errors.name} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-connectionId`}>Connection</Label>
        <NativeSelect {...field('connectionId')} defaultValue="">
          <option value="">None (organization-wide rules)</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </NativeSelect>
        {errors.connectionId?.length ? null : (
          <p id={`${id}-connectionId-hint`} className="text-xs text-muted-foreground">
            Tie it to the connection people sign in through: its verified domains, attribute rules and default roles apply to what the IdP pushes.
          </p>
        )}
        <FieldError id={`${id}-connectionId-error`} errors={errors.connectionId} />
      </div>
      {state?.error && !Object.keys(errors).length ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={close}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending}>
          <KeyRoundIcon aria-hidden className="size-4" />
          {pending ? 'Creating…' : 'Create token'}
        </Button>
      </DialogFooter>
    </form>
  );
}
