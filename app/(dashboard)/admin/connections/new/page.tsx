import type { Metadata } from 'next';
import { PageHeader } from '@/components/console/page-header';
import { ConnectionForm } from '@/components/connections/connection-form';
import { Card } from '@/components/ui/card';
import { requireAdmin } from '@/lib/auth/session';
import { createOidcAction, createSamlAction } from '../actions';

export const metadata: Metadata = { title: 'New connection' };

export default async function NewConnectionPage() {
  const user = await requireAdmin('/admin/connections/new');
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Connections', href: '/admin/connections' }, { label: 'New' }]}
        title="New connection"
        description={`Connect ${user.organizationName}'s identity provider. After saving, the connection's page shows the values to give the IdP.`}
      />
      <Card>
        <ConnectionForm values={{ protocol: 'oidc', name: '', domains: [], defaultRoles: [], required: ['email'], jit: true, mapping: [] }} actions={{ oidc: createOidcAction, saml: createSamlAction }} canWrite />
      </Card>
    </div>
  );
}
