import { BanIcon, CalendarClockIcon, CalendarXIcon, KeyRoundIcon, LockIcon, RotateCcwIcon, ShieldPlusIcon, UnlockIcon, UserXIcon } from 'lucide-react';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { GroupsCard, IdentitiesCard, ProfileCard, RolesCard, SessionsCard, Timeline } from '@/components/accounts/account-sections';
import { ActionDialog } from '@/components/console/action-dialog';
import { PageHeader } from '@/components/console/page-header';
import { Badge, statusTone } from '@/components/ui/badge';
import { requireConsole } from '@/lib/auth/session';
import { loadAccountPage } from '@/lib/console/page-data';
import { isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { clearEndDateAction, deprovisionAction, grantRoleAction, liftHoldAction, placeHoldAction, restoreAction, revokeRoleAction, revokeSessionsAction, setEndDateAction, suspendAction } from './actions';

export const metadata: Metadata = { title: 'Account' };

const sourceLabel: Record<string, string> = { jit: 'Sign-in (JIT)', scim: 'SCIM', manual: 'Manual' };

type Params = { params: Promise<{ id: string }> };

async function load(organizationId: string, id: string) {
  const db = getDb();
  try {
    return await loadAccountPage(db, organizationId, id);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function AccountPage({ params }: Params) {
  const { id } = await params;
  const user = await requireConsole(`/admin/accounts/${id}`);
  if (!isUuid(id)) notFound();
  const { view, roles, events } = await load(user.organizationId, id);
  const title = view.profile.displayName ?? view.userName;
  const hidden = { accountId: view.id };
  const gone = view.status === 'deprovisioned';
  const timeline = events.map((e) => ({ id: e.id, when: e.createdAt, action: e.action, sentence: e.sentence }));
  const write = user.canWrite;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Accounts', href: '/admin/accounts' }, { label: title }]}
        title={title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{view.userName}</span>
            <Badge tone={statusTone[view.status]}>{view.status.replace('_', ' ')}</Badge>
            <Badge>{sourceLabel[view.source] ?? view.source}</Badge>
            {view.scimManaged ? <Badge tone="blue">SCIM-managed</Badge> : null}
            {view.securityHold ? <Badge tone="red">Security hold: {view.securityHold.reason}</Badge> : null}
            {view.endsAt ? <Badge tone="amber">Ends {view.endsAt.toISOString().slice(0, 10)}</Badge> : null}
          </span>
        }
        actions={
          write ? (
            <>
              {view.status === 'active' ? (
                <ActionDialog label="Suspend" icon={<BanIcon />} title={`Suspend ${title}?`} description="Their sessions end at once and every sign-in is refused until the account is restored." submitLabel="Suspend" destructive hidden={hidden} fields={[{ name: 'reason', label: 'Reason (for the audit trail)', kind: 'text' }]} action={suspendAction} />
              ) : null}
              {view.status === 'suspended' || gone ? (
                <ActionDialog label="Restore" icon={<RotateCcwIcon />} title={`Restore ${title}?`} description="The account can sign in again. Roles it lost when deprovisioned come back only through rules, groups or new grants." submitLabel="Restore" hidden={hidden} fields={[{ name: 'reason', label: 'Reason (for the audit trail)', kind: 'text' }]} action={restoreAction} />
              ) : null}
              {view.securityHold ? (
                <ActionDialog label="Lift hold" icon={<UnlockIcon />} title="Lift the security hold?" description="The account is restored unless the directory says it is inactive." submitLabel="Lift hold" hidden={hidden} fields={[{ name: 'reason', label: 'Reason', kind: 'text' }]} action={liftHoldAction} />
              ) : !gone ? (
                <ActionDialog label="Place hold" icon={<LockIcon />} title="Place a security hold?" description="The account is suspended and stays suspended whatever SCIM says, until an administrator lifts the hold." submitLabel="Place hold" destructive hidden={hidden} fields={[{ name: 'reason', label: 'Reason', kind: 'text', required: true }]} action={placeHoldAction} />
              ) : null}
              {!gone ? (
                <ActionDialog label={view.endsAt ? 'Change end date' : 'Set end date'} icon={<CalendarClockIcon />} title={`${view.endsAt ? 'Change' : 'Set'} the end date of ${title}?`} description="On that day (00:00 UTC) the account is suspended and its sessions end, by the end-date job within minutes. For contractors and temporary access." submitLabel="Set end date" hidden={hidden} fields={[{ name: 'endsAt', label: 'Ends on', kind: 'date', required: true }]} action={setEndDateAction} />
              ) : null}
              {view.endsAt && !gone ? (
                <ActionDialog label="Clear end date" icon={<CalendarXIcon />} title="Clear the end date?" description={`The account no longer ends on ${view.endsAt.toISOString().slice(0, 10)}; it stays as it is now.`} submitLabel="Clear end date" hidden={hidden} action={clearEndDateAction} />
              ) : null}
              {!gone ? (
                <ActionDialog label="Deprovision" icon={<UserXIcon />} variant="destructive" title={`Deprovision ${title}?`} description="Sessions end, every role is revoked and the account leaves every group. The record stays for the audit trail." submitLabel="Deprovision" destructive hidden={hidden} fields={[{ name: 'reason', label: 'Reason', kind: 'text', required: true }, { name: 'confirm', label: 'Type deprovision to confirm', kind: 'text', required: true, placeholder: 'deprovision' }]} action={deprovisionAction} />
              ) : null}
            </>
          ) : null
        }
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <ProfileCard view={view} />
        <div className="space-y-6">
          <RolesCard
            view={view}
            headerAction={write && !gone ? (
            <ActionDialog
              label="Grant a role"
              icon={<ShieldPlusIcon />}
              title="Grant a role"
              description="A grant by hand, optionally until a date (it then ends by itself)."
              submitLabel="Grant"
              hidden={hidden}
              fields={[
                { name: 'roleKey', label: 'Role', kind: 'select', required: true, options: roles.map((r) => ({ value: r.key, label: r.name })) },
                { name: 'expiresAt', label: 'Until (optional)', kind: 'date', hint: 'Leave empty for a grant without an end.' },
                { name: 'reason', label: 'Reason', kind: 'text' },
              ]}
              action={grantRoleAction}
            />
                      ) : null}
            actions={write ? (role) => (role.source === 'manual' ? <ActionDialog label="Revoke" variant="ghost" title={`Revoke ${role.name}?`} description="The administrator's grant ends now." submitLabel="Revoke" destructive hidden={{ ...hidden, roleKey: role.key }} fields={[{ name: 'reason', label: 'Reason', kind: 'text' }]} action={revokeRoleAction} /> : null) : undefined}
          />
          <GroupsCard view={view} />
        </div>
      </div>
      <div className="grid gap-6 xl:grid-cols-2">
        <IdentitiesCard view={view} />
        <SessionsCard view={view} action={write ? <ActionDialog label="Revoke sessions" icon={<KeyRoundIcon />} title="End every session?" description="The person is signed out everywhere now; the account stays active." submitLabel="Revoke sessions" destructive hidden={hidden} action={revokeSessionsAction} /> : null} />
      </div>
      <Timeline events={timeline} />
    </div>
  );
}
