'use client';

import { RefreshCwIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/define-action';

type Result = { message: string };
type Action = (state: ActionState<Result> | undefined, form: FormData) => Promise<ActionState<Result>>;

/**
 * "Refresh metadata": reads the connection's metadata URL again now and says what came of it in the
 * form (certificates added or removed, unchanged, or why nothing changed). The page is refreshed
 * either way, so the certificates and the last refresh above show the result.
 */
export function MetadataRefresh({ connectionId, action }: { connectionId: string; action: Action }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(async (previous: ActionState<Result> | undefined, form: FormData) => {
    const result = await action(previous, form);
    router.refresh();
    return result;
  }, undefined);
  return (
    <form action={submit} className="grid gap-2">
      <input type="hidden" name="connectionId" value={connectionId} />
      <div>
        <Button type="submit" variant="outline" size="sm" disabled={pending}>
          <RefreshCwIcon aria-hidden className={pending ? 'animate-spin' : undefined} /> {pending ? 'Refreshing…' : 'Refresh metadata'}
        </Button>
      </div>
      {state?.error ? (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm break-words text-destructive">
          {state.error}
        </p>
      ) : state?.ok ? (
        <p role="status" className="rounded-md border border-success/40 bg-success/10 px-3 py-2 text-sm break-words text-success">
          {state.data?.message}
        </p>
      ) : null}
    </form>
  );
}
