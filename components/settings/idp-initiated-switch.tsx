'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { AlertDialog, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogFooter, AlertDialogHeader, AlertDialogTitle } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/define-action';
import { cn } from '@/lib/utils';

type Action = (state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>;

/**
 * A SAML connection's IdP-initiated switch: turning it on asks for confirmation (the risk, again),
 * turning it off does not. An auditor sees the state only.
 */
export function IdpInitiatedSwitch({ connectionId, name, allowed, action, canWrite }: { connectionId: string; name: string; allowed: boolean; action: Action; canWrite: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const label = `IdP-initiated sign-in for ${name}`;
  if (!canWrite) return <span className="text-sm" aria-label={label}>{allowed ? 'On' : 'Off'}</span>;
  const set = (allow: boolean) => {
    const form = new FormData();
    form.set('connectionId', connectionId);
    form.set('allow', String(allow));
    startTransition(async () => {
      const state = await action(undefined, form);
      setConfirming(false);
      if (state.ok) {
        toast.success(state.data?.message ?? 'Saved.');
        router.refresh();
      } else toast.error(state.error ?? 'Not saved.');
    });
  };
  return (
    <>
      <button
        type="button"
        role="switch"
        aria-checked={allowed}
        aria-label={label}
        disabled={pending}
        onClick={() => (allowed ? set(false) : setConfirming(true))}
        className={cn(
          'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:opacity-50',
          allowed ? 'bg-amber-600' : 'bg-input',
        )}
      >
        <span aria-hidden className={cn('inline-block size-5 rounded-full bg-background shadow transition-transform', allowed ? 'translate-x-5' : 'translate-x-0')} />
      </button>
      <AlertDialog open={confirming} onOpenChange={setConfirming}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Allow IdP-initiated sign-in for {name}?</AlertDialogTitle>
            <AlertDialogDescription>
              Responses Roster did not ask for will be accepted. They cannot be tied to a request Roster made, so a login CSRF (a browser signed into someone else’s account) cannot be refused, and a stolen
              assertion can be replayed within its validity. Roster still checks the signature, the audience and its replay cache.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <Button variant="destructive" disabled={pending} onClick={() => set(true)}>
              {pending ? 'Turning on…' : 'Turn on'}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
