import { FlaskConicalIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { TestChecks, TestOutcome, TestRoles, ValueTable } from '@/components/connections/test-sign-in-result';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { requireAdmin } from '@/lib/auth/session';
import { loadTestSignInResult } from '@/lib/console/test-sign-in-page';

export const metadata: Metadata = { title: 'Test sign-in' };

type Props = { params: Promise<{ id: string; eventId: string }> };
const at = (d: Date) => d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A test sign-in's result (kept as its audit event): admins of the connection's organization only. */
export default async function TestSignInResultPage({ params }: Props) {
  const { id, eventId } = await params;
  const user = await requireAdmin(`/admin/connections/${id}/test/${eventId}`);
  const page = await loadTestSignInResult(getDb(), user.organizationId, id, eventId);
  if (!page) notFound();
  const refused = page.outcome === 'refused';
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Connections', href: '/admin/connections' }, { label: page.connection.name, href: `/admin/connections/${id}` }, { label: 'Test sign-in' }]}
        title="Test sign-in"
        description={
          <>
            <Badge tone={refused ? 'red' : 'green'}>{refused ? 'would be refused' : `would ${page.outcome}`}</Badge> · {page.connection.protocol === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'} · by {page.testedBy}, {at(page.at)} UTC · nothing was created or changed
          </>
        }
        actions={
          <>
            <Button asChild variant="outline">
              <Link href={`/admin/connections/${id}`}>Back to the connection</Link>
            </Button>
            <Button asChild variant="secondary">
              <a href={`/admin/connections/${id}/test`}>
                <FlaskConicalIcon aria-hidden /> Test again
              </a>
            </Button>
          </>
        }
      />
      <TestOutcome page={page} />
      <div className="grid gap-6 lg:grid-cols-2">
        <TestChecks page={page} />
        <TestRoles page={page} />
      </div>
      <ValueTable title="Mapped fields" description="The account fields the claim mapping filled." label="Field" values={page.preview?.mapped ?? null} emptyText="Nothing was mapped." />
      <ValueTable
        title="Claims received"
        description={`${page.preview ? `Subject ${page.preview.subject}. ` : ''}Verified by the protocol (signature, issuer, audience, replay).${page.preview?.claimsTruncated ? ' Long values were shortened.' : ''}`}
        label="Claim"
        values={page.preview?.claims ?? null}
        emptyText="No claims: the identity provider’s answer was not accepted."
      />
    </div>
  );
}
