import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { GroupRoleForm } from '@/components/groups/group-role-form';
import { MemberTable } from '@/components/groups/member-table';
import { Card } from '@/components/ui/card';
import { requireConsole } from '@/lib/auth/session';
import { loadGroupRoleCard } from '@/lib/console/group-role-actions';
import { loadSignInGroupPage } from '@/lib/console/groups-page';
import { pageOffset, pathSegment } from '@/lib/console/strict-params';
import { isAppError } from '@/lib/errors';
import { applyGroupRoleAction, previewGroupRoleAction } from '../../actions';

export const metadata: Metadata = { title: 'Sign-in group' };

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInGroupPage({ params, searchParams }: Props) {
  const { name: raw } = await params;
  const name = pathSegment(raw);
  const user = await requireConsole(`/admin/groups/sign-in/${raw}`);
  if (name === null) notFound();
  const offset = pageOffset((await searchParams).offset);
  const data = await loadSignInGroupPage(getDb(), user.organizationId, name, offset).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const card = await loadGroupRoleCard(getDb(), user.organizationId, { kind: 'sign-in', name });
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Groups', href: '/admin/groups' }, { label: name }]}
        title={name}
        description={`Sign-in group: carried by the last sign-in of ${data.total.toLocaleString('en-US')} account(s). Its role is given by a birthright rule.`}
      />
      <GroupRoleForm group={{ kind: 'sign-in', name }} card={card} canWrite={user.canWrite} preview={previewGroupRoleAction} apply={applyGroupRoleAction} />
      <Card>
        <MemberTable rows={data.rows} total={data.total} offset={offset} pageSize={data.pageSize} href={(o) => `/admin/groups/sign-in/${encodeURIComponent(name)}${o ? `?offset=${o}` : ''}`} />
      </Card>
    </div>
  );
}
