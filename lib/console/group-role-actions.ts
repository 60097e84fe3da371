import { z } from 'zod';
import type { Tx } from '@/db';
import { getGroup } from '@/db/queries/groups';
import { findRoles } from '@/db/queries/roles';
import type { ActionContext } from '@/lib/auth/define-action';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { changeGroupRole, previewGroupRole } from '@/lib/lifecycle/group/change-group-role';
import type { GroupRef, GroupRoleChange, GroupRolePreview } from '@/lib/lifecycle/group/group-role-types';
import { resolveSignInMapping } from '@/lib/lifecycle/group/sign-in-group-role';

/**
 * The groups pages' "Role" card, without Next.js (app/(dashboard)/admin/groups/actions.ts binds it):
 * the form becomes one GroupRoleChange; "Preview" runs previewGroupRole on it and "Save" runs
 * changeGroupRole on the very same change, so the confirmation's counts are what the save does on
 * the same data. Groups and roles are looked up in the admin's organization, never the form's.
 */
export const GROUP_ROLE_PREVIEW_LIST = 20;

const fields = z.object({
  kind: z.enum(['scim', 'sign-in'], { error: 'Unknown group.' }),
  groupId: z.string().trim().optional(),
  name: z.string().optional(),
  roleKey: z.string().trim().optional(),
  confirmOver: z.string().trim().optional(),
});

function toChange(v: z.infer<typeof fields>, ctx: z.RefinementCtx): { change: GroupRoleChange; confirmOver: number | null } {
  const confirmOver = v.confirmOver ? Number(v.confirmOver) : null;
  if (confirmOver !== null && (!Number.isInteger(confirmOver) || confirmOver < 0)) ctx.addIssue({ code: 'custom', path: ['confirmOver'], message: 'Type the number of accounts.' });
  let group: GroupRef | null = null;
  if (v.kind === 'scim' && isUuid(v.groupId ?? '')) group = { kind: 'scim', id: v.groupId! };
  if (v.kind === 'sign-in' && (v.name ?? '').trim() !== '') group = { kind: 'sign-in', name: v.name!.trim() };
  if (!group) {
    ctx.addIssue({ code: 'custom', path: ['form'], message: 'No such group.' });
    return z.NEVER;
  }
  return { change: { group, roleKey: v.roleKey ? v.roleKey : null }, confirmOver };
}

export const groupRoleSchema = fields.transform(toChange);
export type GroupRoleInput = z.infer<typeof groupRoleSchema>;

/** What the change would do (reads only): the counts, the first accounts that gain and lose. */
export async function previewGroupRoleChange(input: GroupRoleInput, ctx: ActionContext): Promise<GroupRolePreview> {
  return previewGroupRole(ctx.tx, ctx.admin.organizationId, input.change, { limit: GROUP_ROLE_PREVIEW_LIST, now: ctx.command.now });
}

export type GroupRoleApplyResult = { message: string; runId: string; granted: number; revoked: number };

/** Saves the mapping and applies it to every member at once (one unit of work, audited with a run id). */
export async function applyGroupRoleChange(input: GroupRoleInput, ctx: ActionContext): Promise<GroupRoleApplyResult> {
  const report = await changeGroupRole(ctx.db, ctx.admin.organizationId, input.change, { actor: ctx.admin.actor }, { dryRun: false, confirmOver: input.confirmOver, limit: GROUP_ROLE_PREVIEW_LIST });
  const n = (v: number) => v.toLocaleString('en-US');
  const role = report.after.roleName ?? 'no role';
  return { message: `${report.group.name} now gives ${role}: ${n(report.granted)} granted, ${n(report.revoked)} revoked.`, runId: report.runId, granted: report.granted, revoked: report.revoked };
}

/** The card's data: the role the group gives now, the roles to choose from, and a sign-in group's rule. */
export async function loadGroupRoleCard(db: Tx, organizationId: string, group: GroupRef) {
  const roles = await findRoles(db, organizationId);
  const options = roles.map((r) => ({ key: r.key, name: r.name }));
  if (group.kind === 'scim') {
    const row = await getGroup(db, organizationId, group.id);
    if (!row) throw new AppError('not_found', 'No such group in this organization.');
    const role = roles.find((r) => r.id === row.roleId);
    return { roles: options, current: role ? { key: role.key, name: role.name } : null, rule: null };
  }
  const { rule, current } = await resolveSignInMapping(db, organizationId, group.name, null);
  const role = roles.find((r) => r.key === current);
  return { roles: options, current: role ? { key: role.key, name: role.name } : null, rule: rule && { id: rule.id, name: rule.name, enabled: rule.enabled } };
}

export type GroupRoleCard = Awaited<ReturnType<typeof loadGroupRoleCard>>;
