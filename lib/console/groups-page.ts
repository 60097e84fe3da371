import type { Tx } from '@/db';
import { findScimGroupMembers, findSignInGroupMembers } from '@/db/queries/group-members';
import { getGroup } from '@/db/queries/groups';
import { findGroupSummaries } from '@/db/queries/role-holders';
import { findRoles } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';

/**
 * The groups pages (`/admin/groups`, a SCIM group's members, a sign-in group's accounts), without
 * Next.js: SCIM groups with member counts and the role each maps to, and the group names sign-ins
 * sent with the accounts carrying each (a sign-in group gives a role through a rule on `groups`).
 */
export const MEMBERS_PAGE = 100;

export async function loadGroupsPage(db: Tx, organizationId: string) {
  const groups = await findGroupSummaries(db, organizationId);
  return { scim: groups.filter((g) => g.source === 'scim'), signIn: groups.filter((g) => g.source === 'sign-in') };
}

export async function loadScimGroupPage(db: Tx, organizationId: string, groupId: string, offset: number) {
  const group = await getGroup(db, organizationId, groupId);
  if (!group) throw new AppError('not_found', 'No such group in this organization.');
  const role = group.roleId ? (await findRoles(db, organizationId)).find((r) => r.id === group.roleId) : undefined;
  const members = await findScimGroupMembers(db, organizationId, group.id, { limit: MEMBERS_PAGE, offset });
  return { group: { id: group.id, name: group.displayName, externalId: group.externalId, roleKey: role?.key ?? null, roleName: role?.name ?? null }, ...members, offset, pageSize: MEMBERS_PAGE };
}

export async function loadSignInGroupPage(db: Tx, organizationId: string, name: string, offset: number) {
  const members = await findSignInGroupMembers(db, organizationId, name, { limit: MEMBERS_PAGE, offset });
  if (members.total === 0) throw new AppError('not_found', 'No account carries that sign-in group.');
  return { name, ...members, offset, pageSize: MEMBERS_PAGE };
}
