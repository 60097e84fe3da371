import { CircleCheckIcon, CircleXIcon } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { TestSignInResultPage } from '@/lib/console/test-sign-in-page';

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/** The account decision in one sentence: would create / update / link, or refused (as the person would be told). */
export function TestOutcome({ page }: { page: TestSignInResultPage }) {
  const d = page.preview?.decision;
  const account = page.account ? <Link className="font-medium text-primary hover:underline" href={`/admin/accounts/${page.account.id}`}>{page.account.label}</Link> : null;
  return (
    <Card data-outcome={page.outcome}>
      <CardHeader>
        <div>
          <CardTitle>Account decision</CardTitle>
          <CardDescription>What a real sign-in with this answer would do. This test created and changed nothing.</CardDescription>
        </div>
      </CardHeader>
      {page.refusal || !d || d.kind === 'refused' ? (
        <div className="space-y-2 text-sm">
          <p className="flex items-center gap-2 font-medium text-destructive">
            <CircleXIcon aria-hidden className="size-4" /> Would be refused
          </p>
          <blockquote className="border-l-2 border-border pl-3 text-muted-foreground" data-reason={page.refusal?.reason}>
            {page.refusal?.message ?? 'The sign-in did not complete.'}
          </blockquote>
          <p className="text-xs text-muted-foreground">
            Reference: {page.refusal?.reason ?? 'unknown'}
            {page.refusal?.detail ? ` (${page.refusal.detail})` : ''}. That is what the person would see.
          </p>
        </div>
      ) : (
        <p className="flex items-start gap-2 text-sm">
          <CircleCheckIcon aria-hidden className="mt-0.5 size-4 shrink-0 text-success" />
          <span>
            {d.kind === 'create' ? (
              <>Would create a new account <span className="font-medium">{d.userName}</span>.</>
            ) : (
              <>
                Would {d.kind === 'link' ? 'link this identity to' : 'sign in'} {account ?? <span className="font-medium">{d.userName}</span>}
                {d.changed.length ? <> and update {d.changed.join(', ')}.</> : <>, changing none of its fields.</>}
              </>
            )}
          </span>
        </p>
      )}
    </Card>
  );
}

export function TestChecks({ page }: { page: TestSignInResultPage }) {
  const checks = page.preview?.checks ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Checks</CardTitle>
      </CardHeader>
      {checks.length === 0 ? (
        <p className="text-sm text-muted-foreground">No identity reached Roster’s checks: the sign-in failed at the identity provider or in the protocol’s validation.</p>
      ) : (
        <ul className="grid gap-2 text-sm" aria-label="Checks">
          {checks.map((c) => (
            <li key={c.name} className="flex items-start gap-2" data-ok={c.ok}>
              {c.ok ? <CircleCheckIcon aria-label="passed" className="mt-0.5 size-4 shrink-0 text-success" /> : <CircleXIcon aria-label="failed" className="mt-0.5 size-4 shrink-0 text-destructive" />}
              <span>
                {c.name}
                {c.detail ? <span className="text-muted-foreground"> · {c.detail}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function TestRoles({ page }: { page: TestSignInResultPage }) {
  const roles = page.preview?.roles ?? { grant: [], revoke: [] };
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Birthright roles</CardTitle>
          <CardDescription>What the connection’s default roles and the organization’s rules would grant or remove.</CardDescription>
        </div>
      </CardHeader>
      {roles.grant.length + roles.revoke.length === 0 ? (
        <p className="text-sm text-muted-foreground">No change.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" aria-label="Role changes">
          {roles.grant.map((r) => <li key={`+${r}`}><Badge tone="green">+ {r}</Badge></li>)}
          {roles.revoke.map((r) => <li key={`-${r}`}><Badge tone="red">− {r}</Badge></li>)}
        </ul>
      )}
    </Card>
  );
}

/** A table of name → value (claims received, mapped fields). */
export function ValueTable({ title, description, label, values, emptyText }: { title: string; description?: string; label: string; values: Record<string, unknown> | null; emptyText: string }) {
  const rows = Object.entries(values ?? {}).filter(([, v]) => !isEmpty(v));
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>{title}</CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </div>
      </CardHeader>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">{emptyText}</p>
      ) : (
        <Table aria-label={title}>
          <TableHeader>
            <TableRow>
              <TableHead className="w-1/3">{label}</TableHead>
              <TableHead>Value</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map(([name, value]) => (
              <TableRow key={name}>
                <TableCell className="font-mono text-xs break-all">{name}</TableCell>
                <TableCell className="break-all">{show(value)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
