'use client';

import { FilterXIcon } from 'lucide-react';
import { parseAsString, useQueryStates } from 'nuqs';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';

const parsers = {
  actor: parseAsString.withDefault(''),
  actorId: parseAsString.withDefault(''),
  action: parseAsString.withDefault(''),
  target: parseAsString.withDefault(''),
  from: parseAsString.withDefault(''),
  to: parseAsString.withDefault(''),
  q: parseAsString.withDefault(''),
  cursor: parseAsString,
  page: parseAsString,
};
const ACTORS = [
  ['admin', 'An administrator'],
  ['scim', 'SCIM (an IdP)'],
  ['user', 'A person signing in'],
  ['cli', 'The CLI'],
  ['system', 'Roster (jobs)'],
  ['idp', 'An IdP'],
] as const;

/** The audit log's filters, in the URL: actor, action, target, time range, free text. */
export function AuditFilters({ actions }: { actions: { value: string; label: string }[] }) {
  const [pending, startTransition] = useTransition();
  const [values, setValues] = useQueryStates(parsers, { shallow: false, startTransition, clearOnDefault: true });
  const set = (patch: Partial<Record<keyof typeof parsers, string>>) => void setValues({ ...patch, cursor: null, page: null }, { throttleMs: 'q' in patch || 'actorId' in patch || 'target' in patch ? 400 : 50 });
  const any = Object.entries(values).some(([k, v]) => k !== 'cursor' && k !== 'page' && Boolean(v));
  return (
    <form role="search" aria-label="Filter the audit log" aria-busy={pending} className="grid gap-4 rounded-xl border bg-card p-4 md:grid-cols-2 xl:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
      <div className="grid gap-1.5 md:col-span-2">
        <Label htmlFor="audit-q">Search</Label>
        <Input id="audit-q" type="search" value={values.q} onChange={(e) => set({ q: e.target.value })} placeholder="Words in the event, its ids or its details" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-action">Event</Label>
        <NativeSelect id="audit-action" value={values.action} onChange={(e) => set({ action: e.target.value })}>
          <option value="">Any event</option>
          {actions.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-actor">Actor</Label>
        <NativeSelect id="audit-actor" value={values.actor} onChange={(e) => set({ actor: e.target.value })}>
          <option value="">Anyone</option>
          {ACTORS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-actor-id">Actor id</Label>
        <Input id="audit-actor-id" value={values.actorId} onChange={(e) => set({ actorId: e.target.value })} placeholder="Account, token or user id" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="audit-target">Target id</Label>
        <Input id="audit-target" value={values.target} onChange={(e) => set({ target: e.target.value })} placeholder="Account, group or connection id" />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div className="grid gap-1.5">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" type="date" value={values.from} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-to">Until</Label>
          <Input id="audit-to" type="date" value={values.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
      </div>
      <div className="flex items-end">
        <Button type="button" variant="ghost" disabled={!any} onClick={() => set({ actor: '', actorId: '', action: '', target: '', from: '', to: '', q: '' })}>
          <FilterXIcon aria-hidden />
          Clear filters
        </Button>
      </div>
    </form>
  );
}
