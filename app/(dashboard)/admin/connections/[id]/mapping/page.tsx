import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { MappingEditor } from '@/components/connections/mapping-editor';
import { Button } from '@/components/ui/button';
import { requireConsole } from '@/lib/auth/session';
import { loadMappingPage } from '@/lib/console/mapping-page';
import { saveMappingAction } from './actions';

export const metadata: Metadata = { title: 'Claim mapping' };

type Props = { params: Promise<{ id: string }> };

/** A connection's claim mapping, with a live preview of a pasted sample; viewers and auditors read it only. */
export default async function MappingPage({ params }: Props) {
  const { id } = await params;
  const user = await requireConsole(`/admin/connections/${id}/mapping`);
  const page = await loadMappingPage(getDb(), user.organizationId, id);
  if (!page) notFound();
  const c = page.connection;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Connections', href: '/admin/connections' }, { label: c.name, href: `/admin/connections/${c.id}` }, { label: 'Claim mapping' }]}
        title="Claim mapping"
        description={<>Which claim of a {c.protocol === 'oidc' ? 'OpenID Connect ID token' : 'SAML assertion'} from {c.name} fills each account field at sign-in.</>}
        actions={
          <Button asChild variant="outline">
            <Link href={`/admin/connections/${c.id}`}>Back to the connection</Link>
          </Button>
        }
      />
      <MappingEditor page={page} action={saveMappingAction} canWrite={user.canWrite} />
    </div>
  );
}
