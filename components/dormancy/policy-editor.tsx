'use client';

import { EyeIcon, SaveIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { PolicyPreview } from '@/lib/console/dormancy-actions';
import { PolicyPreviewResult } from './policy-preview';

type Action<T> = (state: ActionState<T> | undefined, form: FormData) => Promise<ActionState<T>>;
export type PolicyFormValues = {
  dormantAfterDays: number | null;
  suspendAfterDays: number | null;
  deprovisionAfterDays: number | null;
  neverSignedInAfterDays: number | null;
  warnBeforeDays: number | null;
  exemptRoleKeys: string[];
  maxSharePercent: number;
  maxCount: number | null;
  enabled: boolean;
};

const numberFields = [
  { name: 'dormantAfterDays', label: 'Dormant after (days)', hint: 'Days without activity before an account counts as dormant.', required: true },
  { name: 'suspendAfterDays', label: 'Suspend after (days)', hint: 'Days without activity before the job suspends it.', required: true },
  { name: 'deprovisionAfterDays', label: 'Deprovision after (days suspended)', hint: 'Days suspended for dormancy before it is deprovisioned.', required: true },
  { name: 'neverSignedInAfterDays', label: 'Never signed in after (days)', hint: 'Days after creation before an unused account is suspended.', required: true },
  { name: 'warnBeforeDays', label: 'Warn before (days)', hint: 'Warn the person this many days before suspension; empty: no warning.', required: false },
  { name: 'maxSharePercent', label: 'Max share (%)', hint: 'The circuit breaker halts a run that would change more of the active accounts.', required: false },
  { name: 'maxCount', label: 'Max count', hint: 'The breaker also halts above this many accounts; empty: no limit.', required: false },
] as const;

/**
 * The dormancy policy editor: the thresholds, exempt roles and breaker limits, saved through the
 * policy's own validation (its errors beside their fields), with a preview of what the sweep would
 * do with the values as typed, before they are saved. Read-only for auditors (no buttons).
 */
export function PolicyEditor({ values, roles, save, preview, canWrite }: { values: PolicyFormValues; roles: { key: string; name: string }[]; save: Action<{ message: string }>; preview: Action<PolicyPreview>; canWrite: boolean }) {
  const id = useId();
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<PolicyPreview | null>(null);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<'save' | 'preview' | null>(null);
  const run = <T,>(kind: 'save' | 'preview', action: Action<T>, done: (data: T) => void) => {
    if (!form.current) return;
    const data = new FormData(form.current);
    setBusy(kind);
    startTransition(async () => {
      const state = await action(undefined, data);
      setBusy(null);
      setErrors(state.fieldErrors ?? {});
      setFormError(state.error && !state.fieldErrors ? state.error : null);
      if (state.ok && state.data !== undefined) done(state.data);
      else if (kind === 'preview') setResult(null);
    });
  };
  const onSave = () =>
    run('save', save, (d) => {
      toast.success(d.message);
      router.refresh();
    });
  const onPreview = () => run('preview', preview, setResult);
  const field = (name: string) => `${id}-${name}`;
  const described = (name: string, hint: boolean) => (errors[name]?.length ? `${field(name)}-error` : hint ? `${field(name)}-hint` : undefined);
  return (
    <div className="grid gap-6">
      <form
        ref={form}
        aria-label="Dormancy policy"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
        className="grid gap-4"
      >
        <fieldset disabled={!canWrite} className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          <legend className="sr-only">Thresholds and limits</legend>
          {numberFields.map((f) => {
            const invalid = Boolean(errors[f.name]?.length);
            const value = values[f.name];
            return (
              <div key={f.name} className="grid content-start gap-1.5">
                <Label htmlFor={field(f.name)}>{f.label}</Label>
                <Input
                  id={field(f.name)}
                  name={f.name}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  required={f.required}
                  defaultValue={value === null ? '' : String(value)}
                  aria-invalid={invalid || undefined}
                  aria-describedby={described(f.name, true)}
                />
                {invalid ? null : (
                  <p id={`${field(f.name)}-hint`} className="text-xs text-muted-foreground">
                    {f.hint}
                  </p>
                )}
                <FieldError id={`${field(f.name)}-error`} errors={errors[f.name]} />
              </div>
            );
          })}
          <div className="grid content-start gap-1.5">
            <Label htmlFor={field('exemptRoleKeys')}>Exempt roles</Label>
            <select
              id={field('exemptRoleKeys')}
              name="exemptRoleKeys"
              multiple
              defaultValue={values.exemptRoleKeys}
              size={Math.min(5, Math.max(3, roles.length))}
              aria-invalid={Boolean(errors.exemptRoleKeys?.length) || undefined}
              aria-describedby={described('exemptRoleKeys', true)}
              className="w-full rounded-md border border-input bg-card px-2 py-1 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:opacity-50"
            >
              {roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name} ({r.key})
                </option>
              ))}
            </select>
            {errors.exemptRoleKeys?.length ? null : (
              <p id={`${field('exemptRoleKeys')}-hint`} className="text-xs text-muted-foreground">
                Holders of these roles are never warned, suspended or deprovisioned. Ctrl or ⌘ to choose several.
              </p>
            )}
            <FieldError id={`${field('exemptRoleKeys')}-error`} errors={errors.exemptRoleKeys} />
          </div>
          <div className="flex items-center gap-2 self-start pt-6">
            <input id={field('enabled')} name="enabled" type="checkbox" defaultChecked={values.enabled} className="size-4 accent-primary" />
            <Label htmlFor={field('enabled')}>Enabled: the dormancy job applies this policy</Label>
          </div>
        </fieldset>
        {canWrite ? (
          <div className="flex flex-wrap items-end gap-3 border-t pt-4">
            <div className="grid gap-1.5">
              <Label htmlFor={field('asOf')}>Preview as of</Label>
              <Input id={field('asOf')} name="asOf" type="date" className="w-44" aria-invalid={Boolean(errors.asOf?.length) || undefined} aria-describedby={errors.asOf?.length ? `${field('asOf')}-error` : undefined} />
              <FieldError id={`${field('asOf')}-error`} errors={errors.asOf} />
            </div>
            <Button type="button" variant="outline" onClick={onPreview} disabled={pending}>
              <EyeIcon aria-hidden />
              {busy === 'preview' ? 'Previewing…' : 'Preview'}
            </Button>
            <Button type="submit" disabled={pending}>
              <SaveIcon aria-hidden />
              {busy === 'save' ? 'Saving…' : 'Save policy'}
            </Button>
          </div>
        ) : null}
        {formError ? (
          <p role="alert" className="text-sm text-destructive">
            {formError}
          </p>
        ) : null}
      </form>
      <div aria-live="polite" aria-busy={busy === 'preview'}>
        {result ? <PolicyPreviewResult preview={result} /> : null}
      </div>
    </div>
  );
}
