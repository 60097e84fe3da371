import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '@/db';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { findGroupRoleDiff, summarizeGroupRoleDiff } from '@/db/queries/group-role-diff';
import { getGroup, updateGroup } from '@/db/queries/groups';
import { findRoles } from '@/db/queries/roles';
import type { Group } from '@/db/schema';
import type { Actor, AuditInput } from '@/lib/audit/record-event';
import { AppError, isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { applyAccessDiff } from '../access/apply-access-diff';
import { bulkActionLimit } from '../bulk/limits';
import { inTransaction, type CommandContext } from '../context';
import { listLimitOf, type GroupRoleChange, type GroupRoleOptions, type GroupRolePreview, type GroupRoleReport } from './group-role-types';
import { changeSignInGroupRole, previewSignInGroupRole } from './sign-in-group-role';

/**
 * Sets or clears the role a group gives, with its preview (db/queries/group-role-diff.ts: who gains
 * and loses which role, in SQL). A SCIM group's role is its `role_id`: the apply locks the group,
 * plans with the very statement the preview runs, refuses a change past the organization's
 * mass-change limit (the bulk actions' limit) unless `confirmOver` is exactly the number of accounts
 * (the refusal audited in the organization), writes the mapping, grants and revokes the group's own
 * assignments (`group:<id>`) through the access gate with the run id on every `role.granted` /
 * `role.revoked`, and records `group.role_mapped` (before and after, the counts). Only the group's
 * assignments are revoked: a role an account also holds through a rule, another group or a manual
 * grant stays. A dry run takes the same path and rolls back. A sign-in group's mapping is a rule
 * (sign-in-group-role.ts).
 */

class DryRunRollback extends Error {
  constructor(readonly report: GroupRoleReport) {
    super('group role change: dry run rolled back');
  }
}

async function massLimitOf(db: Database | Tx, organizationId: string) {
  const settings = isUuid(organizationId) ? await getOrganizationSettings(db, organizationId) : null;
  if (!settings) throw new AppError('not_found', 'No such organization.');
  return bulkActionLimit(settings);
}

async function getGroupOrThrow(db: Database | Tx, organizationId: string, id: string, options: { forUpdate?: boolean } = {}) {
  const group = await getGroup(db, organizationId, id, options);
  if (!group) throw new AppError('not_found', 'No such group in this organization.');
  return group;
}

/** The roles before and after, by id and key, in this organization (a key it lacks is not found). */
async function resolveRoles(db: Database | Tx, group: Group, roleKey: string | null) {
  const roles = await findRoles(db, group.organizationId);
  const after = roleKey === null ? null : roles.find((r) => r.key === roleKey.trim());
  if (roleKey !== null && !after) throw new AppError('not_found', `No role "${roleKey}" in this organization (roster role list shows them).`);
  const before = group.roleId ? (roles.find((r) => r.id === group.roleId) ?? null) : null;
  return { before, after: after ?? null };
}

type Roles = Awaited<ReturnType<typeof resolveRoles>>;

async function planScim(db: Database | Tx, group: Group, roles: Roles, options: { limit?: number; now: Date; massLimit: number }): Promise<GroupRolePreview> {
  const listLimit = listLimitOf(options.limit);
  const summary = await summarizeGroupRoleDiff(db, { organizationId: group.organizationId, groupId: group.id, roleId: roles.after?.id ?? null, now: options.now }, listLimit);
  return {
    group: { kind: 'scim', id: group.id, name: group.displayName },
    before: { roleKey: roles.before?.key ?? null, roleName: roles.before?.name ?? null },
    after: { roleKey: roles.after?.key ?? null, roleName: roles.after?.name ?? null },
    changed: (roles.before?.id ?? null) !== (roles.after?.id ?? null),
    rule: null,
    counts: { gain: summary.gain, lose: summary.lose, gainRole: summary.gainRole, loseRole: summary.loseRole, accounts: summary.accounts },
    gain: summary.gainRows,
    lose: summary.loseRows,
    listLimit,
    limit: options.massLimit,
    needsConfirmation: summary.accounts > options.massLimit,
  };
}

/** Reads only (a page or the CLI before saving): what the mapping change would do. */
export async function previewGroupRole(db: Database | Tx, organizationId: string, change: GroupRoleChange, options: Omit<GroupRoleOptions, 'dryRun'> = {}): Promise<GroupRolePreview> {
  if (change.group.kind === 'sign-in') return previewSignInGroupRole(db, organizationId, { name: change.group.name, roleKey: change.roleKey }, options);
  const massLimit = await massLimitOf(db, organizationId);
  const group = await getGroupOrThrow(db, organizationId, change.group.id);
  return planScim(db, group, await resolveRoles(db, group, change.roleKey), { limit: options.limit, now: options.now ?? new Date(), massLimit });
}

/** Saves the mapping and applies it to every member at once (one unit of work), or rolls it back for a dry run. */
export async function changeGroupRole(db: Database, organizationId: string, change: GroupRoleChange, who: { actor: Actor; now?: Date }, options: GroupRoleOptions): Promise<GroupRoleReport> {
  if (change.group.kind === 'sign-in') return changeSignInGroupRole(db, organizationId, { name: change.group.name, roleKey: change.roleKey }, who, options);
  const groupId = change.group.id;
  const massLimit = await massLimitOf(db, organizationId);
  const runId = randomUUID();
  let refusedGroup: string | null = null;
  try {
    return await inTransaction(db, who, async (tx, ctx) => {
      const group = await getGroupOrThrow(tx, organizationId, groupId, { forUpdate: true });
      refusedGroup = group.id;
      const roles = await resolveRoles(tx, group, change.roleKey);
      const plan = await planScim(tx, group, roles, { limit: options.limit, now: ctx.now, massLimit });
      checkConfirmation(plan, options);
      if (plan.changed) await updateGroup(tx, organizationId, group.id, { roleId: roles.after?.id ?? null });
      const { granted, revoked } = await applyDiff(tx, group, roles, runId, ctx);
      if (plan.changed) ctx.record(mappedEvent(group, roles, { runId, granted, revoked, accounts: plan.counts.accounts, confirmedOver: plan.needsConfirmation ? (options.confirmOver ?? null) : null }, ctx));
      const report: GroupRoleReport = { ...plan, runId, dryRun: options.dryRun, granted, revoked };
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (isAppError(error) && error.code === 'precondition_failed' && refusedGroup) {
      const target = { type: 'group', id: refusedGroup };
      const reason = error.message;
      await inTransaction(db, who, async (_tx, ctx) => ctx.record({ organizationId, actor: ctx.actor, action: 'admin.action_refused', target, data: { action: 'group.role_mapped', reason } }));
    }
    throw error;
  }
}

const count = (n: number) => n.toLocaleString('en-US');

function checkConfirmation(plan: GroupRolePreview, options: GroupRoleOptions) {
  if (!plan.needsConfirmation || options.dryRun || options.confirmOver === plan.counts.accounts) return;
  const typed = options.confirmOver === undefined || options.confirmOver === null ? '' : ` (${count(options.confirmOver)} was typed)`;
  throw new AppError(
    'precondition_failed',
    `This group role change concerns ${count(plan.counts.accounts)} accounts, more than this organization's limit of ${count(plan.limit)} for one change: type ${plan.counts.accounts} to confirm${typed}.`,
    { accounts: plan.counts.accounts, limit: plan.limit },
  );
}

/** Every grant and revoke of the group's own assignments, through the gate, in chunks, each event with the run id. */
async function applyDiff(tx: Tx, group: Group, roles: Roles, runId: string, ctx: CommandContext) {
  const organizationId = group.organizationId;
  const diff = await findGroupRoleDiff(tx, { organizationId, groupId: group.id, roleId: roles.after?.id ?? null, now: ctx.now });
  const roleKeys = new Map<string, string>();
  for (const role of [roles.before, roles.after]) if (role) roleKeys.set(role.id, role.key);
  const grant = roles.after ? { roleId: roles.after.id, source: 'group' as const, sourceRef: `group:${group.id}` } : null;
  return applyAccessDiff(tx, { organizationId, diff, grant, roleKeys, runId }, ctx);
}

function mappedEvent(group: Group, roles: Roles, data: { runId: string; granted: number; revoked: number; accounts: number; confirmedOver: number | null }, ctx: CommandContext): AuditInput {
  return {
    organizationId: group.organizationId,
    actor: ctx.actor,
    action: 'group.role_mapped',
    target: { type: 'group', id: group.id },
    before: { roleId: roles.before?.id ?? null, roleKey: roles.before?.key ?? null },
    after: { roleId: roles.after?.id ?? null, roleKey: roles.after?.key ?? null },
    data,
  };
}
