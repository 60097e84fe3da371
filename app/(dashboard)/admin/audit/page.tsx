import { DownloadIcon, ScrollTextIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { AuditFilters } from '@/components/console/audit-filters';
import { PageHeader } from '@/components/console/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { auditActions } from '@/lib/audit/events';
import { requireConsole } from '@/lib/auth/session';
import { auditFilterSearch, parseAuditListParams } from '@/lib/console/audit-list-params';
import { loadAuditPage } from '@/lib/console/page-data';

export const metadata: Metadata = { title: 'Audit log' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const actorLabel = (e: { actorType: string; actorName: string | null; actorId: string | null }) =>
  ({ admin: 'Admin', scim: 'SCIM', user: 'Sign-in', cli: 'CLI', system: 'Roster', idp: 'IdP' })[e.actorType] + (e.actorName || e.actorId ? `: ${e.actorName ?? e.actorId}` : '');

function Changes({ changes }: { changes: { field: string; label: string; before: unknown; after: unknown }[] }) {
  if (changes.length === 0) return null;
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <details className="mt-1 text-xs">
      <summary className="cursor-pointer rounded-sm text-muted-foreground">Before and after</summary>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
        {changes.map((c) => (
          <div key={c.field} className="contents">
            <dt className="font-medium">{c.label}</dt>
            <dd className="break-all">
              <span className="text-muted-foreground line-through">{show(c.before)}</span> → {show(c.after)}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export default async function AuditPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/audit');
  const params = parseAuditListParams(await searchParams);
  const db = getDb();
  const { page, events } = await loadAuditPage(db, user.organizationId, params);
  const base = auditFilterSearch(params);
  const link = (extra: Record<string, string>) => `/admin/audit?${auditFilterSearch(params, extra)}`;
  const actions = Object.entries(auditActions)
    .map(([value, a]) => ({ value, label: a.label }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Audit log' }]}
        title="Audit log"
        description="Who changed what, when and how — every change and refusal in this organization, newest first. The trail is append-only."
        actions={
          <Button variant="outline" asChild>
            <a href={`/admin/audit/export${base ? `?${base}` : ''}`} download>
              <DownloadIcon aria-hidden />
              Export CSV
            </a>
          </Button>
        }
      />
      <AuditFilters actions={actions} />
      <Card className="p-4">
        {events.length === 0 ? (
          <EmptyState icon={ScrollTextIcon} title={base ? 'No event matches these filters' : 'No events yet'}>
            {base ? 'Widen the time range or clear the filters.' : 'Sign-ins, SCIM pushes and admin actions appear here as they happen.'}
          </EmptyState>
        ) : (
          <Table aria-label="Audit events">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">When</TableHead>
                <TableHead scope="col">What happened</TableHead>
                <TableHead scope="col">By</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.map((e) => (
                <TableRow key={e.id} data-action={e.action}>
                  <TableCell className="align-top text-xs whitespace-nowrap">
                    <LocalTime value={e.createdAt} />
                  </TableCell>
                  <TableCell className="align-top">
                    <div>{e.sentence}</div>
                    <div className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-muted-foreground">
                      <span className="font-mono">{e.action}</span>
                      {e.targetType === 'account' && e.targetId ? (
                        <Link href={`/admin/accounts/${e.targetId}`} className="hover:underline">
                          {e.targetName ?? 'the account'}
                        </Link>
                      ) : e.targetType === 'job_run' && e.targetId ? (
                        <Link href={`/admin/jobs/${e.targetId}`} className="hover:underline">
                          the run
                        </Link>
                      ) : null}
                    </div>
                    <Changes changes={e.changes} />
                  </TableCell>
                  <TableCell className="align-top text-sm">{actorLabel(e)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {page.scan?.capped ? <p className="mt-3 text-sm text-muted-foreground">The search read the newest {page.scan.limit.toLocaleString()} events of this filter; older ones may match — go on with Older.</p> : null}
        <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
          {page.prevCursor ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={link({ cursor: page.prevCursor, page: 'prev' })}>Newer</Link>
            </Button>
          ) : null}
          {page.nextCursor ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={link({ cursor: page.nextCursor, page: 'next' })}>Older</Link>
            </Button>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
