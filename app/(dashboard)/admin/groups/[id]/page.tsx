import { UsersIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { GroupRoleForm } from '@/components/groups/group-role-form';
import { MemberTable } from '@/components/groups/member-table';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireConsole } from '@/lib/auth/session';
import { loadGroupRoleCard } from '@/lib/console/group-role-actions';
import { loadScimGroupPage } from '@/lib/console/groups-page';
import { pageOffset } from '@/lib/console/strict-params';
import { isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { applyGroupRoleAction, previewGroupRoleAction } from '../actions';

export const metadata: Metadata = { title: 'Group' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ScimGroupPage({ params, searchParams }: Props) {
  const { id } = await params;
  const user = await requireConsole(`/admin/groups/${id}`);
  if (!isUuid(id)) notFound();
  const offset = pageOffset((await searchParams).offset);
  const data = await loadScimGroupPage(getDb(), user.organizationId, id, offset).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const { group } = data;
  const card = await loadGroupRoleCard(getDb(), user.organizationId, { kind: 'scim', id: group.id });
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Groups', href: '/admin/groups' }, { label: group.name }]}
        title={group.name}
        description={
          <>
            SCIM group, {data.total.toLocaleString('en-US')} member(s).{' '}
            {group.roleKey ? (
              <>
                Gives the role{' '}
                <Link href={`/admin/roles/${encodeURIComponent(group.roleKey)}`} className="underline">
                  {group.roleName}
                </Link>
                .
              </>
            ) : (
              'Gives no role.'
            )}
          </>
        }
      />
      <GroupRoleForm group={{ kind: 'scim', id: group.id, name: group.name }} card={card} canWrite={user.canWrite} preview={previewGroupRoleAction} apply={applyGroupRoleAction} />
      <Card>
        {data.rows.length === 0 ? <EmptyState icon={UsersIcon} title="No members" /> : <MemberTable rows={data.rows} total={data.total} offset={offset} pageSize={data.pageSize} href={(o) => `/admin/groups/${group.id}${o ? `?offset=${o}` : ''}`} />}
      </Card>
    </div>
  );
}
