'use client';

import { EyeIcon, PlusIcon, SaveIcon, XIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { RuleApplyResult, RulePreviewView } from '@/lib/console/rule-actions';
import { RuleConfirmDialog } from './rule-confirm-dialog';
import { RulePreviewResult } from './rule-preview';

type Action<T> = (state: ActionState<T> | undefined, form: FormData) => Promise<ActionState<T>>;
export type ApplyResult = RuleApplyResult;
export type RuleCondition = { attribute: string; op: string; value?: string | string[] };
export type RuleFormValues = { id: string | null; name: string; roleKey: string; connectionId: string | null; enabled: boolean; match: 'all' | 'any'; conditions: RuleCondition[] };

/** The operators in the words the page says them (lib/policy/rule-conditions.ts ruleOperatorWords). */
const OPERATORS = [
  ['eq', 'equals'],
  ['neq', 'does not equal'],
  ['in', 'is one of'],
  ['contains', 'contains'],
  ['startsWith', 'starts with'],
  ['endsWith', 'ends with'],
  ['exists', 'is present'],
] as const;
/** Suggestions; any mapped attribute may be typed as extra.<name>. */
const ATTRIBUTES = ['department', 'title', 'groups', 'emailDomain', 'email', 'userName', 'displayName', 'givenName', 'familyName', 'employeeNumber', 'manager', 'extra.'];

type Row = { key: number; attribute: string; op: string; value: string };
const toRow = (c: RuleCondition, key: number): Row => ({ key, attribute: c.attribute, op: c.op, value: Array.isArray(c.value) ? c.value.join(', ') : (c.value ?? '') });

/**
 * The rule editor: name, role, connection scope, enabled, and the conditions (attribute, operator,
 * value rows). "Preview" shows which accounts would gain or lose which roles with the rule as typed;
 * "Save" previews the same change again, asks for confirmation with the counts (and the typed number
 * past the mass-change limit), then saves it and applies it to every affected account at once.
 */
export function RuleEditor({ values, roles, connections, preview, apply, canWrite }: { values: RuleFormValues; roles: { key: string; name: string }[]; connections: { id: string; name: string }[]; preview: Action<RulePreviewView>; apply: Action<ApplyResult>; canWrite: boolean }) {
  const id = useId();
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const nextKey = useRef(values.conditions.length + 1);
  const [rows, setRows] = useState<Row[]>(() => (values.conditions.length ? values.conditions.map(toRow) : [{ key: 0, attribute: 'department', op: 'eq', value: '' }]));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<RulePreviewView | null>(null);
  const [confirming, setConfirming] = useState<RulePreviewView | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | 'apply' | null>(null);
  const [pending, startTransition] = useTransition();
  const kind = values.id ? 'update' : 'create';

  const formData = (extra: Record<string, string> = {}) => {
    const data = new FormData(form.current!);
    for (const [k, v] of Object.entries(extra)) data.set(k, v);
    return data;
  };
  const show = (state: ActionState<unknown>) => {
    setErrors(state.fieldErrors ?? {});
    setFormError(state.error && !state.fieldErrors ? state.error : state.fieldErrors?.form?.join(' ') ?? null);
  };
  const runPreview = (then: (p: RulePreviewView) => void, which: 'preview' | 'save') => {
    if (!form.current) return;
    const data = formData();
    setBusy(which);
    startTransition(async () => {
      const state = await preview(undefined, data);
      setBusy(null);
      show(state);
      if (state.ok && state.data) then(state.data);
      else setResult(null);
    });
  };
  const onConfirm = (confirmOver: string | null) => {
    const data = formData(confirmOver === null ? {} : { confirmOver });
    setBusy('apply');
    startTransition(async () => {
      const state = await apply(undefined, data);
      setBusy(null);
      if (state.ok && state.data) {
        setConfirming(null);
        toast.success(state.data.message);
        router.push('/admin/rules');
        router.refresh();
        return;
      }
      if (state.fieldErrors && !state.fieldErrors.confirmOver) {
        setConfirming(null);
        show(state);
      } else setConfirmError(state.fieldErrors?.confirmOver?.join(' ') ?? state.error ?? 'Not saved.');
    });
  };
  const setRow = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const field = (name: string) => `${id}-${name}`;
  const invalid = (name: string) => Boolean(errors[name]?.length) || undefined;
  const describedBy = (name: string) => (errors[name]?.length ? `${field(name)}-error` : undefined);
  return (
    <div className="grid gap-6">
      <form
        ref={form}
        aria-label="Rule"
        noValidate
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          runPreview((p) => {
            setResult(p);
            setConfirmError(null);
            setConfirming(p);
          }, 'save');
        }}
      >
        <input type="hidden" name="kind" value={kind} />
        {values.id ? <input type="hidden" name="ruleId" value={values.id} /> : null}
        <fieldset disabled={!canWrite} className="grid gap-4 sm:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto]">
          <legend className="sr-only">The rule</legend>
          <div className="grid content-start gap-1.5">
            <Label htmlFor={field('name')}>Name</Label>
            <Input id={field('name')} name="name" defaultValue={values.name} maxLength={200} required aria-invalid={invalid('name')} aria-describedby={describedBy('name')} />
            <FieldError id={`${field('name')}-error`} errors={errors.name} />
          </div>
          <div className="grid content-start gap-1.5">
            <Label htmlFor={field('roleKey')}>Grants role</Label>
            <NativeSelect id={field('roleKey')} name="roleKey" defaultValue={values.roleKey} required aria-invalid={invalid('roleKey')} aria-describedby={describedBy('roleKey')}>
              <option value="" disabled>
                Choose…
              </option>
              {roles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.name} ({r.key})
                </option>
              ))}
            </NativeSelect>
            <FieldError id={`${field('roleKey')}-error`} errors={errors.roleKey} />
          </div>
          <div className="grid content-start gap-1.5">
            <Label htmlFor={field('connectionId')}>Connection</Label>
            <NativeSelect id={field('connectionId')} name="connectionId" defaultValue={values.connectionId ?? ''} aria-invalid={invalid('connectionId')} aria-describedby={describedBy('connectionId') ?? `${field('connectionId')}-hint`}>
              <option value="">Every connection</option>
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
            <p id={`${field('connectionId')}-hint`} className="text-xs text-muted-foreground">
              A connection’s rule judges only accounts that sign in through it.
            </p>
            <FieldError id={`${field('connectionId')}-error`} errors={errors.connectionId} />
          </div>
          <div className="flex items-center gap-2 self-start sm:pt-6">
            <input id={field('enabled')} name="enabled" type="checkbox" defaultChecked={values.enabled} className="size-4 accent-primary" />
            <Label htmlFor={field('enabled')}>Enabled</Label>
          </div>
        </fieldset>
        <fieldset disabled={!canWrite} className="grid gap-3 rounded-lg border p-4" aria-describedby={errors.conditions?.length ? `${field('conditions')}-error` : undefined}>
          <legend className="px-1 text-sm font-medium">Conditions</legend>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Label htmlFor={field('match')}>Grant the role when</Label>
            <NativeSelect id={field('match')} name="match" defaultValue={values.match} className="w-auto">
              <option value="all">all conditions hold</option>
              <option value="any">any condition holds</option>
            </NativeSelect>
          </div>
          <datalist id={field('attributes')}>
            {ATTRIBUTES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <ol className="grid gap-3">
            {rows.map((row, i) => {
              const err = errors[`conditions.${i}`];
              const rowId = field(`c${row.key}`);
              return (
                <li key={row.key} className="grid gap-1.5" data-condition={i}>
                  <div className="grid gap-2 sm:grid-cols-[minmax(0,12rem)_minmax(0,11rem)_minmax(0,1fr)_auto] sm:items-center">
                    <Input aria-label={`Condition ${i + 1} attribute`} name="attribute" list={field('attributes')} value={row.attribute} onChange={(e) => setRow(row.key, { attribute: e.target.value })} autoComplete="off" aria-invalid={err ? true : undefined} aria-describedby={err ? `${rowId}-error` : undefined} />
                    <NativeSelect aria-label={`Condition ${i + 1} operator`} name="op" value={row.op} onChange={(e) => setRow(row.key, { op: e.target.value })}>
                      {OPERATORS.map(([op, words]) => (
                        <option key={op} value={op}>
                          {words}
                        </option>
                      ))}
                    </NativeSelect>
                    <Input
                      aria-label={`Condition ${i + 1} value`}
                      name="value"
                      value={row.op === 'exists' ? '' : row.value}
                      disabled={row.op === 'exists'}
                      placeholder={row.op === 'in' ? 'eng, ops (comma-separated)' : row.op === 'exists' ? 'no value' : 'value'}
                      onChange={(e) => setRow(row.key, { value: e.target.value })}
                      autoComplete="off"
                      aria-invalid={err ? true : undefined}
                      aria-describedby={err ? `${rowId}-error` : undefined}
                    />
                    {/* a disabled input is not sent: keep the rows aligned */}
                    {row.op === 'exists' ? <input type="hidden" name="value" value="" /> : null}
                    {canWrite ? (
                      <Button type="button" variant="ghost" size="sm" aria-label={`Remove condition ${i + 1}`} disabled={rows.length === 1} onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}>
                        <XIcon aria-hidden />
                      </Button>
                    ) : null}
                  </div>
                  <FieldError id={`${rowId}-error`} errors={err} />
                </li>
              );
            })}
          </ol>
          {canWrite ? (
            <div>
              <Button type="button" variant="outline" size="sm" onClick={() => setRows((all) => [...all, { key: nextKey.current++, attribute: '', op: 'eq', value: '' }])} disabled={rows.length >= 20}>
                <PlusIcon aria-hidden />
                Add condition
              </Button>
            </div>
          ) : null}
          <p className="text-xs text-muted-foreground">Attributes: profile fields, emailDomain, groups (SCIM groups, or those sent at sign-in), or extra.&lt;name&gt; for a mapped attribute. Text is compared without regard to case or surrounding spaces.</p>
          <FieldError id={`${field('conditions')}-error`} errors={errors.conditions} />
        </fieldset>
        {canWrite ? (
          <div className="flex flex-wrap gap-3 border-t pt-4">
            <Button type="button" variant="outline" disabled={pending} onClick={() => runPreview(setResult, 'preview')}>
              <EyeIcon aria-hidden />
              {busy === 'preview' ? 'Previewing…' : 'Preview'}
            </Button>
            <Button type="submit" disabled={pending}>
              <SaveIcon aria-hidden />
              {busy === 'save' ? 'Checking…' : kind === 'create' ? 'Create rule' : 'Save rule'}
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
        {result ? <RulePreviewResult preview={result} /> : null}
      </div>
      <RuleConfirmDialog key={confirming ? 'open' : 'closed'} preview={confirming} verb={kind === 'create' ? 'Create' : 'Save'} pending={busy === 'apply'} error={confirmError} onConfirm={onConfirm} onCancel={() => setConfirming(null)} />
    </div>
  );
}
