'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FieldError, Input, Label } from '@/components/ui/input';
import type { RulePreviewView } from '@/lib/console/rule-actions';
import { RulePreviewResult } from './rule-preview';

const n = (v: number) => v.toLocaleString('en-US');

/** What saving does, in numbers, before it is done: the counts, and the mass-change limit's typed number when over it. */
export function ruleChangeSentence(p: RulePreviewView, verb: string) {
  const lose = p.beforeRoleKey ?? p.roleKey;
  return `${verb} "${p.ruleName}" now: ${n(p.counts.gain)} account(s) gain ${p.roleKey} and ${n(p.counts.lose)} lose ${lose}, at once.`;
}

export function RuleConfirmDialog({
  preview,
  verb,
  destructive,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  preview: RulePreviewView | null;
  verb: string;
  destructive?: boolean;
  pending: boolean;
  error: string | null;
  onConfirm: (confirmOver: string | null) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [typed, setTyped] = useState('');
  return (
    <Dialog open={preview !== null} onOpenChange={(open) => (open ? null : onCancel())}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        {preview ? (
          <form
            className="grid gap-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              onConfirm(preview.needsConfirmation ? typed : null);
            }}
          >
            <DialogHeader>
              <DialogTitle>{verb} the rule?</DialogTitle>
              <DialogDescription>{ruleChangeSentence(preview, verb)}</DialogDescription>
            </DialogHeader>
            <RulePreviewResult preview={preview} title="What saving does" />
            {preview.needsConfirmation ? (
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-confirm`}>Type {preview.counts.accounts} to confirm</Label>
                <Input id={`${id}-confirm`} inputMode="numeric" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={Boolean(error) || undefined} aria-describedby={error ? `${id}-error` : undefined} />
              </div>
            ) : null}
            <FieldError id={`${id}-error`} errors={error ? [error] : undefined} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={onCancel}>
                Cancel
              </Button>
              <Button type="submit" variant={destructive ? 'destructive' : 'default'} disabled={pending}>
                {pending ? 'Working…' : `${verb} and apply`}
              </Button>
            </DialogFooter>
          </form>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
