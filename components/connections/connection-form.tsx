'use client';

import { PlusIcon, SaveIcon, Trash2Icon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useActionState, useId, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';

type Result = { message: string; connectionId?: string };
type Action = (state: undefined, form: FormData) => Promise<ActionState<Result>>;
export type ConnectionFormValues = {
  id?: string;
  protocol: 'oidc' | 'saml';
  name: string;
  domains: string[];
  defaultRoles: string[];
  required: string[];
  jit: boolean;
  mapping: { field: string; claim: string }[];
  issuer?: string | null;
  clientId?: string | null;
};
export const mappableFieldNames = ['userName', 'email', 'givenName', 'familyName', 'displayName', 'department', 'title', 'employeeNumber', 'manager', 'groups', 'endsAt'];

/**
 * A connection's settings: name, domains, JIT, required claims, default roles, the claim mapping
 * table, and the IdP's coordinates (OIDC issuer and client; SAML metadata upload, URL or manual).
 * New: the protocol is chosen here and `actions` holds one action per protocol. Edit: the
 * protocol is fixed and a blank client secret keeps the stored one (it is never shown back).
 */
export function ConnectionForm({ values, actions, canWrite }: { values: ConnectionFormValues; actions: Partial<Record<'oidc' | 'saml' | 'update', Action>>; canWrite: boolean }) {
  const router = useRouter();
  const id = useId();
  const editing = Boolean(values.id);
  const [protocol, setProtocol] = useState(values.protocol);
  const [source, setSource] = useState<'keep' | 'metadata' | 'url' | 'manual'>(editing ? 'keep' : 'metadata');
  const [rows, setRows] = useState(values.mapping.length ? values.mapping : [{ field: '', claim: '' }]);
  const action = editing ? actions.update! : actions[protocol]!;
  // React resets a form after its action runs: what was typed is kept here and put back on a refusal.
  const [typed, setTyped] = useState<{ round: number; fields: Record<string, string> }>({ round: 0, fields: {} });
  const [state, submit, pending] = useActionState(async (_previous: ActionState<Result> | undefined, form: FormData) => {
    const fields = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === 'string' && k !== 'clientSecret' && k !== 'mapField' && k !== 'mapClaim').map(([k, v]) => [k, String(v)]));
    const claims = form.getAll('mapClaim').map(String);
    setRows(form.getAll('mapField').map((f, i) => ({ field: String(f), claim: claims[i] ?? '' })));
    setTyped((t) => ({ round: t.round + 1, fields }));
    const result = await action(undefined, form);
    if (result.ok) {
      toast.success(result.data?.message ?? 'Saved.');
      if (!editing && result.data?.connectionId) router.push(`/admin/connections/${result.data.connectionId}`);
      else router.refresh();
    }
    return result;
  }, undefined);
  const errors = state?.fieldErrors ?? {};
  const field = (name: string, label: string, props: { defaultValue?: string; placeholder?: string; hint?: string; type?: string; required?: boolean; autoComplete?: string } = {}) => {
    const fieldId = `${id}-${name}`;
    const invalid = Boolean(errors[name]?.length);
    return (
      <div key={`${name}-${typed.round}`} className="grid content-start gap-1.5">
        <Label htmlFor={fieldId}>{label}</Label>
        <Input id={fieldId} name={name} type={props.type ?? 'text'} defaultValue={typed.fields[name] ?? props.defaultValue} placeholder={props.placeholder} required={props.required} autoComplete={props.autoComplete ?? 'off'} disabled={!canWrite} aria-invalid={invalid || undefined} aria-describedby={invalid ? `${fieldId}-error` : props.hint ? `${fieldId}-hint` : undefined} />
        {props.hint && !invalid ? <p id={`${fieldId}-hint`} className="text-xs text-muted-foreground">{props.hint}</p> : null}
        <FieldError id={`${fieldId}-error`} errors={errors[name]} />
      </div>
    );
  };
  return (
    <form action={submit} className="grid gap-6" noValidate>
      {values.id ? <input type="hidden" name="connectionId" value={values.id} /> : null}
      {!editing ? (
        <fieldset className="grid gap-2">
          <legend className="mb-2 text-sm font-medium">Protocol</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {(['oidc', 'saml'] as const).map((p) => (
              <label key={p} className="flex items-center gap-2">
                <input type="radio" name="protocol" value={p} checked={protocol === p} onChange={() => setProtocol(p)} disabled={!canWrite} />
                {p === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        {field('name', 'Name', { defaultValue: values.name, placeholder: 'Okta', hint: 'Shown on the sign-in page.', required: true })}
        {field('domains', 'Email domains', { defaultValue: values.domains.join(', '), placeholder: 'acme.com, acme.eu', hint: 'Who may sign in through it, by email domain; comma-separated.', required: true })}
      </div>
      {protocol === 'oidc' ? (
        <div className="grid gap-4 md:grid-cols-3">
          {field('issuer', 'Issuer', { defaultValue: values.issuer ?? '', placeholder: 'https://acme.okta.com', hint: 'Checked on save: it must answer /.well-known/openid-configuration.', required: true })}
          {field('clientId', 'Client ID', { defaultValue: values.clientId ?? '', required: true })}
          {field('clientSecret', 'Client secret', { type: 'password', autoComplete: 'new-password', placeholder: editing ? 'Unchanged' : '', hint: editing ? 'Stored encrypted and never shown. Leave blank to keep it.' : 'Stored encrypted and never shown again.', required: !editing })}
        </div>
      ) : (
        <fieldset className="grid gap-4">
          <legend className="mb-2 text-sm font-medium">The IdP’s SAML settings</legend>
          <div className="grid gap-1.5 md:max-w-sm">
            <Label htmlFor={`${id}-source`}>{editing ? 'Keep or replace' : 'From'}</Label>
            <NativeSelect id={`${id}-source`} name="samlSource" value={source} onChange={(e) => setSource(e.target.value as typeof source)} disabled={!canWrite}>
              {editing ? <option value="keep">Keep as they are</option> : null}
              <option value="metadata">{editing ? 'Replace from a metadata XML file' : 'Metadata XML file'}</option>
              <option value="url">{editing ? 'Replace from a metadata URL (fetched now, then daily)' : 'Metadata URL (fetched now, then daily)'}</option>
              <option value="manual">{editing ? 'Change by hand' : 'Entity ID, SSO URL and certificate'}</option>
            </NativeSelect>
            {editing && source !== 'keep' ? (
              <p className="text-xs text-muted-foreground">
                {source === 'manual'
                  ? 'Blank values are kept. Setting them by hand stops the daily metadata refresh (it would overwrite them).'
                  : 'Replaces the entity ID, SSO URL and signing certificates; the connection’s other settings stay. A new entity ID is a new IdP: its users sign in again as the same accounts only if the IdP sends the same subjects.'}
              </p>
            ) : null}
          </div>
          {source === 'metadata' ? (
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-file`}>Metadata file</Label>
              <Input id={`${id}-file`} name="metadataFile" type="file" accept=".xml,application/xml,text/xml" disabled={!canWrite} />
            </div>
          ) : null}
          {source === 'url' ? field('metadataUrl', 'Metadata URL', { placeholder: 'https://login.microsoftonline.com/…/federationmetadata.xml', hint: 'Kept and read again daily, so a new signing certificate of the IdP is picked up.' }) : null}
          {source === 'manual' ? (
            <div className="grid gap-4 md:grid-cols-2">
              {field('entityId', 'IdP entity ID', editing ? { placeholder: 'Unchanged' } : {})}
              {field('ssoUrl', 'SSO URL', editing ? { placeholder: 'Unchanged' } : {})}
              <div className="grid gap-1.5 md:col-span-2">
                <Label htmlFor={`${id}-cert`}>Signing certificate (PEM)</Label>
                <textarea id={`${id}-cert`} name="certificate" rows={5} disabled={!canWrite} className="rounded-md border bg-background px-3 py-2 font-mono text-xs" placeholder={editing ? 'Unchanged (a new certificate replaces the stored ones)' : '-----BEGIN CERTIFICATE-----'} />
              </div>
            </div>
          ) : null}
        </fieldset>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        {field('defaultRoles', 'Default roles', { defaultValue: values.defaultRoles.join(', '), placeholder: 'member', hint: 'Every user of this connection holds them; new keys are created.' })}
        {field('required', 'Required claims', { defaultValue: values.required.join(', '), hint: 'A sign-in without them is refused and nothing is created.' })}
        <label className="flex items-center gap-2 self-center text-sm">
          <input key={typed.round} type="checkbox" name="jit" defaultChecked={typed.round ? typed.fields.jit === 'on' : values.jit} disabled={!canWrite} />
          Create accounts at first sign-in (JIT)
        </label>
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Claim mapping</legend>
        <p className="text-xs text-muted-foreground">Over the protocol’s defaults. A field twice: fallbacks, the first claim present wins.</p>
        <table className="w-full text-sm" aria-label="Claim mapping">
          <thead>
            <tr className="text-left text-muted-foreground">
              <th scope="col" className="pb-1 font-medium">Account field</th>
              <th scope="col" className="pb-1 font-medium">Claim or attribute</th>
              <th scope="col" className="sr-only">Remove</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={`${i}-${typed.round}`}>
                <td className="pr-2 pb-2">
                  <NativeSelect name="mapField" defaultValue={row.field} aria-label={`Field of row ${i + 1}`} disabled={!canWrite}>
                    <option value="">—</option>
                    {[...new Set([...mappableFieldNames, row.field].filter(Boolean))].map((f) => (
                      <option key={f} value={f}>{f}</option>
                    ))}
                  </NativeSelect>
                </td>
                <td className="pr-2 pb-2">
                  <Input name="mapClaim" defaultValue={row.claim} aria-label={`Claim of row ${i + 1}`} disabled={!canWrite} />
                </td>
                <td className="pb-2">
                  <Button type="button" variant="ghost" size="sm" aria-label={`Remove row ${i + 1}`} disabled={!canWrite} onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>
                    <Trash2Icon aria-hidden className="size-4" />
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <FieldError id={`${id}-mapping-error`} errors={errors.mapping} />
        {canWrite ? (
          <Button type="button" variant="outline" size="sm" className="justify-self-start" onClick={() => setRows((r) => [...r, { field: '', claim: '' }])}>
            <PlusIcon aria-hidden className="size-4" /> Add a mapping
          </Button>
        ) : null}
      </fieldset>
      {state?.error ? (
        <p role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      {canWrite ? (
        <div>
          <Button type="submit" disabled={pending}>
            <SaveIcon aria-hidden className="size-4" />
            {pending ? 'Saving…' : editing ? 'Save settings' : 'Create connection'}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
