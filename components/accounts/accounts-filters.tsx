'use client';

import { FilterXIcon } from 'lucide-react';
import { parseAsArrayOf, parseAsString, parseAsStringLiteral, useQueryStates } from 'nuqs';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';

const STATUSES = ['active', 'suspended', 'pending_approval', 'deprovisioned'] as const;
const SOURCES = ['jit', 'scim', 'manual'] as const;
const statusLabel: Record<(typeof STATUSES)[number], string> = { active: 'Active', suspended: 'Suspended', pending_approval: 'Pending approval', deprovisioned: 'Deprovisioned' };
const sourceLabel: Record<(typeof SOURCES)[number], string> = { jit: 'Sign-in (JIT)', scim: 'SCIM', manual: 'Manual' };

export type FilterOptions = { connections: { id: string; name: string }[]; roles: { key: string; name: string }[]; groups: { id: string; name: string }[] };

const parsers = {
  q: parseAsString.withDefault(''),
  status: parseAsArrayOf(parseAsStringLiteral(STATUSES)).withDefault([]),
  source: parseAsArrayOf(parseAsStringLiteral(SOURCES)).withDefault([]),
  connection: parseAsString.withDefault(''),
  role: parseAsString.withDefault(''),
  group: parseAsString.withDefault(''),
  from: parseAsString.withDefault(''),
  to: parseAsString.withDefault(''),
  never: parseAsString.withDefault(''),
  cursor: parseAsString,
  page: parseAsString,
};

/**
 * The accounts list's filters, kept in the URL (a filtered list can be bookmarked and shared, and
 * its export and bulk actions see the same filter). Changing one goes back to the first page.
 */
export function AccountsFilters({ options }: { options: FilterOptions }) {
  const [pending, startTransition] = useTransition();
  const [values, setValues] = useQueryStates(parsers, { shallow: false, startTransition, clearOnDefault: true });
  const set = (patch: Partial<{ [K in keyof typeof parsers]: unknown }>) => void setValues({ ...patch, cursor: null, page: null } as never, { throttleMs: 'q' in patch ? 400 : 50 });
  const toggle = <T extends string>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const any = Object.entries(values).some(([k, v]) => k !== 'cursor' && k !== 'page' && (Array.isArray(v) ? v.length > 0 : Boolean(v)));
  return (
    <form role="search" aria-label="Filter accounts" aria-busy={pending} className="grid gap-4 rounded-xl border bg-card p-4 md:grid-cols-2 xl:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
      <div className="grid gap-1.5 md:col-span-2">
        <Label htmlFor="accounts-q">Search</Label>
        <Input id="accounts-q" type="search" value={values.q} onChange={(e) => set({ q: e.target.value })} placeholder="Name, user name or email" />
      </div>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">Status</legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {STATUSES.map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" className="size-4 accent-primary" checked={values.status.includes(s)} onChange={() => set({ status: toggle(values.status, s) })} />
              {statusLabel[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1.5 text-sm font-medium">Source</legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {SOURCES.map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" className="size-4 accent-primary" checked={values.source.includes(s)} onChange={() => set({ source: toggle(values.source, s) })} />
              {sourceLabel[s]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-1.5">
        <Label htmlFor="accounts-connection">Connection</Label>
        <NativeSelect id="accounts-connection" value={values.connection} onChange={(e) => set({ connection: e.target.value })}>
          <option value="">Any connection</option>
          {options.connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="accounts-role">Role</Label>
        <NativeSelect id="accounts-role" value={values.role} onChange={(e) => set({ role: e.target.value })}>
          <option value="">Any role</option>
          {options.roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="accounts-group">Group</Label>
        <NativeSelect id="accounts-group" value={values.group} onChange={(e) => set({ group: e.target.value })}>
          <option value="">Any group</option>
          {options.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="accounts-signin">Signed in</Label>
        <NativeSelect id="accounts-signin" value={values.never} onChange={(e) => set({ never: e.target.value, ...(e.target.value === '1' ? { from: '', to: '' } : {}) })}>
          <option value="">Ever or never</option>
          <option value="1">Never signed in</option>
          <option value="0">Signed in at least once</option>
        </NativeSelect>
      </div>
      <div className="grid grid-cols-2 gap-2 md:col-span-2">
        <div className="grid gap-1.5">
          <Label htmlFor="accounts-from">Signed in from</Label>
          <Input id="accounts-from" type="date" value={values.from} disabled={values.never === '1'} onChange={(e) => set({ from: e.target.value })} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="accounts-to">until</Label>
          <Input id="accounts-to" type="date" value={values.to} disabled={values.never === '1'} onChange={(e) => set({ to: e.target.value })} />
        </div>
      </div>
      <div className="flex items-end">
        <Button type="button" variant="ghost" disabled={!any} onClick={() => set({ q: '', status: [], source: [], connection: '', role: '', group: '', from: '', to: '', never: '' })}>
          <FilterXIcon aria-hidden />
          Clear filters
        </Button>
      </div>
    </form>
  );
}
