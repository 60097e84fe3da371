'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type ReactNode } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/auth/define-action';
import type { RulePreviewView } from '@/lib/console/rule-actions';
import { RuleConfirmDialog } from './rule-confirm-dialog';
import type { ApplyResult } from './rule-editor';

type Action<T> = (state: ActionState<T> | undefined, form: FormData) => Promise<ActionState<T>>;

/**
 * Enable, disable or delete a rule: previewed first (who gains and loses which role), confirmed with
 * those counts (and the typed number past the mass-change limit), then applied at once.
 */
export function RuleChangeButton({ ruleId, kind, label, icon, verb, destructive, preview, apply, after }: { ruleId: string; kind: 'enable' | 'disable' | 'delete'; label: string; icon?: ReactNode; verb: string; destructive?: boolean; preview: Action<RulePreviewView>; apply: Action<ApplyResult>; after?: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<RulePreviewView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const data = (confirmOver: string | null) => {
    const form = new FormData();
    form.set('kind', kind);
    form.set('ruleId', ruleId);
    if (confirmOver !== null) form.set('confirmOver', confirmOver);
    return form;
  };
  return (
    <>
      <Button
        variant={destructive ? 'destructive' : 'outline'}
        size="sm"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const state = await preview(undefined, data(null));
            if (state.ok && state.data) {
              setError(null);
              setConfirming(state.data);
            } else toast.error(state.error ?? 'Could not preview the change.');
          })
        }
      >
        {icon}
        {label}
      </Button>
      <RuleConfirmDialog
        key={confirming ? 'open' : 'closed'}
        preview={confirming}
        verb={verb}
        destructive={destructive}
        pending={pending}
        error={error}
        onCancel={() => setConfirming(null)}
        onConfirm={(confirmOver) =>
          startTransition(async () => {
            const state = await apply(undefined, data(confirmOver));
            if (state.ok && state.data) {
              setConfirming(null);
              toast.success(state.data.message);
              if (after) router.push(after);
              router.refresh();
            } else setError(state.fieldErrors?.confirmOver?.join(' ') ?? state.error ?? 'Not saved.');
          })
        }
      />
    </>
  );
}
