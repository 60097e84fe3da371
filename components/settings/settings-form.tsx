'use client';

import { SaveIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';

type Action = (state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>;
export type SettingsFormValues = { purgeDeprovisionedAfterDays: number | null; sessionMaxAgeMinutes: number | null; seatPricePerMonth: number | null };

/**
 * The organization settings form: each setting with what it really does, errors beside their
 * fields, a blank field for the default. Read-only for auditors (no button).
 */
export function SettingsForm({ values, deploymentMinutes, save, canWrite }: { values: SettingsFormValues; deploymentMinutes: number; save: Action; canWrite: boolean }) {
  const id = useId();
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fields = [
    {
      name: 'purgeDeprovisionedAfterDays',
      label: 'Purge deprovisioned accounts after (days)',
      hint: 'This many days after an account is deprovisioned, the daily purge job erases its personal data (name, email, attributes; the user name becomes purged:<id>) and deletes its sign-in identities and sessions. The row and the audit log stay. This cannot be undone. Blank: never purged.',
      step: '1',
    },
    {
      name: 'sessionMaxAgeMinutes',
      label: 'Session lifetime (minutes)',
      hint: `How long a sign-in lasts, from 5 to ${deploymentMinutes} minutes (the deployment’s limit). New sessions get this lifetime; a session already older than it is ended at its next request, so shortening it signs such people out. Blank: the deployment’s ${deploymentMinutes} minutes.`,
      step: '1',
    },
    { name: 'seatPricePerMonth', label: 'Seat price per month', hint: 'The price of one seat, for the savings on the Seats page. Blank: no price shown.', step: '0.01' },
  ] as const;
  const onSave = () => {
    if (!form.current) return;
    const data = new FormData(form.current);
    startTransition(async () => {
      const state = await save(undefined, data);
      setErrors(state.fieldErrors ?? {});
      setFormError(state.error && !state.fieldErrors ? state.error : null);
      if (state.ok && state.data) {
        toast.success(state.data.message);
        router.refresh();
      }
    });
  };
  const field = (name: string) => `${id}-${name}`;
  return (
    <form
      ref={form}
      aria-label="Organization settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
      className="grid gap-4"
    >
      <fieldset disabled={!canWrite} className="grid gap-4 lg:grid-cols-3">
        <legend className="sr-only">Organization settings</legend>
        {fields.map((f) => {
          const invalid = Boolean(errors[f.name]?.length);
          const value = values[f.name];
          return (
            <div key={f.name} className="grid content-start gap-1.5">
              <Label htmlFor={field(f.name)}>{f.label}</Label>
              <Input
                id={field(f.name)}
                name={f.name}
                type="number"
                inputMode={f.step === '1' ? 'numeric' : 'decimal'}
                step={f.step}
                min={0}
                defaultValue={value === null ? '' : String(value)}
                aria-invalid={invalid || undefined}
                aria-describedby={`${field(f.name)}-hint${invalid ? ` ${field(f.name)}-error` : ''}`}
              />
              <FieldError id={`${field(f.name)}-error`} errors={errors[f.name]} />
              <p id={`${field(f.name)}-hint`} className="text-xs text-muted-foreground">
                {f.hint}
              </p>
            </div>
          );
        })}
      </fieldset>
      {canWrite ? (
        <div className="flex justify-end border-t pt-4">
          <Button type="submit" disabled={pending}>
            <SaveIcon aria-hidden />
            {pending ? 'Saving…' : 'Save settings'}
          </Button>
        </div>
      ) : null}
      {formError ? (
        <p role="alert" className="text-sm text-destructive">
          {formError}
        </p>
      ) : null}
    </form>
  );
}
