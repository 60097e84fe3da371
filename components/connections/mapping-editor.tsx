'use client';

import { PlusIcon, SaveIcon, Trash2Icon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState, useDeferredValue, useId, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input, Label } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';
import type { MappingPage } from '@/lib/console/mapping-page';
import { mappingFromRows, type MappingRow } from '@/lib/console/mapping-form';
import { explainMapping, type FieldExplanation } from '@/lib/jit/explain-mapping';
import { parseSample } from '@/lib/jit/parse-sample';

type Result = { message: string; fields: string[] };
type Action = (state: undefined, form: FormData) => Promise<ActionState<Result>>;
type Extra = { key: number; name: string; claims: string };

/**
 * A connection's claim mapping, and its live preview: the rows run through the same check as the
 * save (lib/console/mapping-form.ts), and a pasted sample through parseSample and explainMapping —
 * the pure functions a sign-in's mapping is made of — in the browser, on each keystroke. Nothing
 * pasted leaves the page.
 */
export function MappingEditor({ page, action, canWrite }: { page: MappingPage; action: Action; canWrite: boolean }) {
  const router = useRouter();
  const id = useId();
  const { connection } = page;
  const [claims, setClaims] = useState<Record<string, string>>(() => Object.fromEntries(page.fields.map((f) => [f.field, f.claims])));
  const [extras, setExtras] = useState<Extra[]>(() => page.extras.map((e, key) => ({ key, name: e.name, claims: e.claims })));
  const [sample, setSample] = useState('');
  const rows: MappingRow[] = [...page.fields.map((f) => ({ field: f.field, claims: claims[f.field] ?? '' })), ...extras.map((e) => ({ field: `extra.${e.name.trim()}`, claims: e.claims }))];
  const { mapping, errors } = mappingFromRows(rows);
  const deferredSample = useDeferredValue(sample);
  const parsed = useMemo(() => (deferredSample.trim() ? parseSample(deferredSample) : null), [deferredSample]);
  const explanation = parsed?.ok ? explainMapping(parsed.claims, mapping, connection.protocol, { required: connection.requiredAttributes }) : null;

  const [state, submit, pending] = useActionState(async (_previous: ActionState<Result> | undefined, form: FormData) => {
    const result = await action(undefined, form);
    if (result.ok) {
      toast.success(result.data?.message ?? 'Saved.');
      router.refresh();
    }
    return result;
  }, undefined);
  const serverErrors = state?.fieldErrors ?? {};
  const errorOf = (field: string) => errors[field] ?? serverErrors[field]?.join(' ');
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,7fr)_minmax(0,5fr)]">
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Account fields</CardTitle>
            <CardDescription>
              Claim names in order, comma-separated: the first one present fills the field. Blank: the {connection.protocol === 'saml' ? 'SAML' : 'OpenID Connect'} defaults shown below it.
            </CardDescription>
          </div>
        </CardHeader>
        <form action={submit} className="grid gap-4" noValidate>
          {/* What is posted: field and claim names side by side, one pair a row (the inputs below only edit them). */}
          <input type="hidden" name="connectionId" value={connection.id} />
          {rows.map((row, i) => (
            <span key={i} hidden>
              <input type="hidden" name="field" value={row.field} />
              <input type="hidden" name="claims" value={row.claims} />
            </span>
          ))}
          <ul className="grid divide-y" aria-label="Account fields">
            {page.fields.map((f) => {
              const inputId = `${id}-${f.field}`;
              const error = errorOf(f.field);
              return (
                <li key={f.field} className="grid gap-1.5 py-3 first:pt-0 md:grid-cols-[11rem_minmax(0,1fr)] md:gap-4">
                  <div className="grid content-start gap-1">
                    <Label htmlFor={inputId}>{f.label}</Label>
                    <span className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
                      <code>{f.field}</code>
                      {f.required ? <Badge tone="amber">required</Badge> : null}
                    </span>
                  </div>
                  <div className="grid min-w-0 gap-1">
                    <Input
                      id={inputId}
                      value={claims[f.field] ?? ''}
                      onChange={(e) => setClaims((c) => ({ ...c, [f.field]: e.target.value }))}
                      placeholder="Default"
                      autoComplete="off"
                      spellCheck={false}
                      disabled={!canWrite}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={`${inputId}-defaults${error ? ` ${inputId}-error` : ''}`}
                    />
                    <p id={`${inputId}-defaults`} className="text-xs break-all text-muted-foreground">
                      {f.defaults.length ? <>Default: {f.defaults.join(', ')}</> : 'No default: filled only when you name a claim.'}
                    </p>
                    {error ? <p id={`${inputId}-error`} role="alert" className="text-sm text-destructive">{error}</p> : null}
                  </div>
                </li>
              );
            })}
          </ul>
          <fieldset className="grid gap-3">
            <legend className="mb-1 text-sm font-medium">Custom fields</legend>
            <p className="text-xs text-muted-foreground">Kept on the account as extra.&lt;name&gt; (rules can use them).</p>
            {extras.map((e, i) => {
              const error = errorOf(`extra.${e.name.trim()}`);
              return (
                <div key={e.key} className="grid gap-1">
                  <div className="grid gap-2 sm:grid-cols-[12rem_minmax(0,1fr)_auto]">
                    <Input aria-label={`Name of custom field ${i + 1}`} value={e.name} placeholder="costCenter" autoComplete="off" spellCheck={false} disabled={!canWrite} onChange={(ev) => setExtras((x) => x.map((y) => (y.key === e.key ? { ...y, name: ev.target.value } : y)))} />
                    <Input aria-label={`Claim names of custom field ${i + 1}`} value={e.claims} placeholder="Claim names" autoComplete="off" spellCheck={false} disabled={!canWrite} aria-invalid={error ? true : undefined} onChange={(ev) => setExtras((x) => x.map((y) => (y.key === e.key ? { ...y, claims: ev.target.value } : y)))} />
                    {canWrite ? (
                      <Button type="button" variant="ghost" size="sm" aria-label={`Remove custom field ${i + 1}`} onClick={() => setExtras((x) => x.filter((y) => y.key !== e.key))}>
                        <Trash2Icon aria-hidden className="size-4" />
                      </Button>
                    ) : null}
                  </div>
                  {error ? <p role="alert" className="text-sm text-destructive">{error}</p> : null}
                </div>
              );
            })}
            {canWrite ? (
              <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setExtras((x) => [...x, { key: Math.max(-1, ...x.map((y) => y.key)) + 1, name: '', claims: '' }])}>
                <PlusIcon aria-hidden className="size-4" /> Add a custom field
              </Button>
            ) : null}
          </fieldset>
          {state?.error ? (
            <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {state.error}
            </p>
          ) : null}
          {canWrite ? (
            <div className="flex flex-wrap items-center gap-3">
              <Button type="submit" disabled={pending || hasErrors}>
                <SaveIcon aria-hidden className="size-4" />
                {pending ? 'Saving…' : 'Save mapping'}
              </Button>
              <span className="text-xs text-muted-foreground">Applies from each account’s next sign-in.</span>
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">Only an administrator can change the mapping.</p>
          )}
        </form>
      </Card>
      <Card className="xl:sticky xl:top-4">
        <CardHeader>
          <div>
            <CardTitle>Preview</CardTitle>
            <CardDescription>Paste an ID token, its claims as JSON, or a SAML assertion or Response. It is read here in your browser, with the mapping as edited; nothing is sent or saved.</CardDescription>
          </div>
        </CardHeader>
        <div className="grid gap-3">
          <Label htmlFor={`${id}-sample`}>Sample sign-in</Label>
          <textarea
            id={`${id}-sample`}
            value={sample}
            onChange={(e) => setSample(e.target.value)}
            rows={6}
            spellCheck={false}
            placeholder={connection.protocol === 'saml' ? '<saml:Assertion …>' : 'eyJhbGciOi… or {"email": "…"}'}
            className="rounded-md border border-input bg-card px-3 py-2 font-mono text-xs shadow-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring"
          />
          {parsed && !parsed.ok ? <p role="alert" className="text-sm text-destructive">{parsed.message}</p> : null}
          {parsed?.ok ? (
            <div className="grid gap-3" aria-live="polite">
              {[...parsed.notes, ...(parsed.protocol !== connection.protocol ? [`This is ${parsed.protocol === 'saml' ? 'a SAML' : 'an OpenID Connect'} sample; ${connection.name} is ${connection.protocol === 'saml' ? 'SAML' : 'OpenID Connect'}, so its defaults apply.`] : [])].map((note) => (
                <p key={note} className="rounded-md bg-muted px-3 py-2 text-xs text-muted-foreground">{note}</p>
              ))}
              {explanation && explanation.missingRequired.length ? (
                <p role="status" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
                  A sign-in with this sample is refused: {explanation.missingRequired.join(', ')} {explanation.missingRequired.length === 1 ? 'is' : 'are'} required and missing.
                </p>
              ) : null}
              {explanation ? <PreviewTable fields={explanation.fields} /> : null}
              {explanation && explanation.unusedClaims.length ? (
                <details className="text-xs">
                  <summary className="cursor-pointer text-muted-foreground">{explanation.unusedClaims.length} claims nothing uses</summary>
                  <ul className="mt-2 grid gap-1 break-all">
                    {explanation.unusedClaims.map((c) => (
                      <li key={c}><code>{c}</code></li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          ) : null}
        </div>
      </Card>
    </div>
  );
}

const shown = (value: FieldExplanation['value']) => (Array.isArray(value) ? value.join(', ') : String(value));

function PreviewTable({ fields }: { fields: FieldExplanation[] }) {
  const rows = fields.filter((f) => f.value !== null || f.required || f.refused || f.source === 'connection');
  return (
    <table className="w-full table-fixed text-sm" aria-label="Preview of the account fields">
      <thead>
        <tr className="text-left text-xs text-muted-foreground">
          <th scope="col" className="w-1/4 pb-1 font-medium">Field</th>
          <th scope="col" className="pb-1 font-medium">Value, and the claim it came from</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => (
          <tr key={f.field} data-field={f.field} className="border-t align-top">
            <th scope="row" className="py-2 pr-2 text-left font-normal break-all">
              <code className="text-xs">{f.field}</code>
            </th>
            <td className="grid gap-0.5 py-2 break-all">
              {f.value !== null ? <span data-value>{shown(f.value)}</span> : <span className="text-muted-foreground">not sent</span>}
              <span className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
                {f.claim ? (
                  <>
                    from <code data-claim>{f.claim}</code>
                  </>
                ) : f.derived ? (
                  <>made from {f.derived}</>
                ) : f.candidates.length ? (
                  <>tried {f.candidates.length} claim name{f.candidates.length === 1 ? '' : 's'}</>
                ) : null}
                {f.source === 'connection' ? <Badge tone="blue">your mapping</Badge> : null}
                {f.missing ? <Badge tone="red">required: missing</Badge> : null}
              </span>
              {f.refused ? <span className="text-xs text-destructive">Not a date, ignored: {f.refused}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
