import { KeyRoundIcon, RadioTowerIcon, ShieldOffIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { ActionDialog } from '@/components/console/action-dialog';
import { PageHeader } from '@/components/console/page-header';
import { CopyValue } from '@/components/connections/copy-value';
import { CreateTokenDialog } from '@/components/scim/create-token-dialog';
import { RequestLogTable } from '@/components/scim/request-log-table';
import { Badge } from '@/components/ui/badge';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { entraTenantUrl, loadScimPage, scimOutcomeOf } from '@/lib/console/scim-page';
import { SCIM_REQUEST_RETENTION_DAYS } from '@/lib/scim/purge-request-log';
import { createScimTokenAction, revokeScimTokenAction } from './actions';

export const metadata: Metadata = { title: 'SCIM' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const filterLink = 'rounded-md border px-3 py-1.5 text-sm hover:bg-accent aria-[current=page]:bg-accent aria-[current=page]:font-medium aria-[current=page]:text-accent-foreground';

export default async function ScimPage({ searchParams }: Props) {
  const user = await requireConsole('/admin/scim');
  const outcome = scimOutcomeOf((await searchParams).outcome);
  const page = await loadScimPage(getDb(), user.organizationId, { outcome });
  const active = page.tokens.filter((t) => !t.revokedAt).length;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'SCIM' }]}
        title="SCIM"
        description={`${user.organizationName}: the tokens your identity provider pushes accounts with, and what it sent.`}
        actions={user.canWrite ? <CreateTokenDialog connections={page.connections} action={createScimTokenAction} /> : null}
      />
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Tokens</CardTitle>
            <CardDescription>
              {active} active. A token is shown once, when it is created; revoking one refuses the IdP using it at once.
            </CardDescription>
          </div>
        </CardHeader>
        {page.tokens.length === 0 ? (
          <EmptyState icon={KeyRoundIcon} title="No SCIM tokens yet">
            {user.canWrite ? 'Create a token, then paste it with the tenant URL into the IdP’s provisioning settings.' : 'An administrator creates the token the IdP provisions with.'}
          </EmptyState>
        ) : (
          <Table aria-label="SCIM tokens">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Name</TableHead>
                <TableHead scope="col">Connection</TableHead>
                <TableHead scope="col">Created</TableHead>
                <TableHead scope="col">Last used</TableHead>
                <TableHead scope="col">State</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.tokens.map((t) => (
                <TableRow key={t.id} data-scim-token={t.name}>
                  <TableCell>
                    <div className="font-medium">{t.name}</div>
                    <code className="font-mono text-xs text-muted-foreground">{t.tokenPrefix}…</code>
                  </TableCell>
                  <TableCell className="text-sm">{t.connectionName ?? <span className="text-muted-foreground">None</span>}</TableCell>
                  <TableCell className="text-sm">
                    <RelativeTime value={t.createdAt} />
                    {t.createdBy ? <div className="text-xs text-muted-foreground">by {t.createdBy}</div> : null}
                  </TableCell>
                  <TableCell className="text-sm">
                    <RelativeTime value={t.lastUsedAt} />
                  </TableCell>
                  <TableCell>
                    {/* The state and, for an admin, what to do about it: side by side, or stacked in a narrow table. */}
                    <div className="flex flex-wrap items-center gap-2">
                      <Badge tone={t.revokedAt ? 'slate' : 'green'}>{t.revokedAt ? 'revoked' : 'active'}</Badge>
                      {user.canWrite && !t.revokedAt ? (
                        <ActionDialog
                          label="Revoke"
                          icon={<ShieldOffIcon aria-hidden className="size-4" />}
                          title={`Revoke ${t.name}?`}
                          description={`The IdP using it (${t.tokenPrefix}…) is refused at once: its next SCIM request gets 401 and provisioning stops until it has a new token. Accounts it pushed stay as they are.`}
                          submitLabel="Revoke token"
                          destructive
                          hidden={{ tokenId: t.id }}
                          action={revokeScimTokenAction}
                        />
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Recent requests</CardTitle>
            <CardDescription>
              Refusals first, then the rest, newest first (the last {page.shown} of each; kept {SCIM_REQUEST_RETENTION_DAYS} days). What Entra ID or Okta reports as an error is here with its SCIM error.
            </CardDescription>
          </div>
        </CardHeader>
        <nav aria-label="Outcome" className="mb-4 flex flex-wrap gap-2">
          <Link href="/admin/scim" aria-current={outcome === 'all' ? 'page' : undefined} className={filterLink}>
            All
          </Link>
          <Link href="/admin/scim?outcome=refused" aria-current={outcome === 'refused' ? 'page' : undefined} className={filterLink}>
            Refused only
          </Link>
        </nav>
        {page.requests.length === 0 ? (
          <>
            <EmptyState icon={RadioTowerIcon} title={outcome === 'refused' ? 'No refused SCIM requests' : 'No SCIM requests yet'}>
              In the IdP’s provisioning settings, paste the tenant URL and a token from above (Entra ID: the second URL). Requests appear here as the IdP sends them.
            </EmptyState>
            <dl className="mx-auto grid max-w-2xl gap-3 pb-2">
              <CopyValue label="Tenant URL" value={page.baseUrl} />
              <CopyValue label="Tenant URL for Entra ID" value={entraTenantUrl(page.baseUrl)} />
            </dl>
          </>
        ) : (
          <RequestLogTable rows={page.requests} />
        )}
      </Card>
    </div>
  );
}
