import type { Tx } from '@/db';
import { findBirthrightPolicy, NO_CONNECTION } from '@/db/queries/attribute-rules';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import { deleteRoleAssignments, findBirthrightAssignments, insertRoleAssignments } from '@/db/queries/roles';
import type { Account } from '@/db/schema';
import { recordEvents, type Actor, type AuditInput } from '@/lib/audit/record-event';
import { planBirthrightRoles } from '@/lib/policy/evaluate-rules';
import { accountRuleAttributes } from './rule-attributes';

/** The connection whose rules and default roles apply (the SCIM token's), if any. */
export type RuleConnection = { id: string; defaultRoles: string[] } | null;

/** The rules and default roles that apply to a connection's accounts (see loadBirthrightPolicy). */
export type BirthrightPolicy = Awaited<ReturnType<typeof findBirthrightPolicy>>;

/**
 * What reconcileAccountRoles reads about the organization (not the account), in one statement: a
 * caller that knows it will reconcile can load it first or alongside its own queries (SCIM creates).
 */
export async function loadBirthrightPolicy(tx: Tx, organizationId: string, connection: RuleConnection): Promise<BirthrightPolicy> {
  return findBirthrightPolicy(tx, organizationId, connection?.id ?? NO_CONNECTION, connection?.defaultRoles ?? []);
}

/**
 * Re-evaluates an account's birthright roles from its stored attributes and group names — what a
 * SCIM write (no login in sight) uses. With a connection (the SCIM token's), that connection's
 * rules and default roles apply as they would at its logins; without one, organization-wide rules.
 * The same plan as reconcile-birthright-roles.ts (planBirthrightRoles), with the independent
 * queries pipelined and the audit events written in one statement: SCIM creates are hot.
 * `events`: the caller's own audit events for this change, written first in that same statement.
 */
export async function reconcileAccountRoles(
  tx: Tx,
  input: { account: Account; connection: RuleConnection; groupNames?: string[]; isNew?: boolean; policy?: BirthrightPolicy; events?: AuditInput[] },
  actor: Actor,
) {
  const { account, connection } = input;
  const org = account.organizationId;
  const connectionId = connection?.id ?? NO_CONNECTION;
  const [{ rules, defaults }, current, groups] = await Promise.all([
    input.policy ?? loadBirthrightPolicy(tx, org, connection),
    input.isNew ? [] : findBirthrightAssignments(tx, org, account.id),
    input.groupNames ?? findGroupsOfAccounts(tx, org, [account.id]).then((list) => list.map((g) => g.displayName)),
  ]);
  const plan = planBirthrightRoles({
    connectionId,
    attributes: accountRuleAttributes(account, groups),
    rules,
    defaultRoleIds: defaults.map((r) => r.id),
    current,
  });
  const grants = plan.grant.map((g) => ({ organizationId: org, accountId: account.id, source: 'birthright' as const, ...g }));
  const event = (action: string, change: { roleId: string; sourceRef: string }) => roleEvent(org, account.id, actor, action, change);
  if (input.isNew) {
    // A new account holds no roles, so every planned grant is inserted: its events are known before
    // the insert answers and go in the same round trip. Should that ever not hold, nothing commits.
    const events = [...(input.events ?? []), ...plan.grant.map((g) => event('role.granted', g))];
    const [granted] = await Promise.all([insertRoleAssignments(tx, grants), recordEvents(tx, events)]);
    if (granted.length !== plan.grant.length) throw new Error('A new account already held some of its birthright roles');
    return { granted, revoked: [] };
  }
  const [granted, revoked] = await Promise.all([insertRoleAssignments(tx, grants), deleteRoleAssignments(tx, org, plan.revoke.map((r) => r.id))]);
  await recordEvents(tx, [...(input.events ?? []), ...granted.map((g) => event('role.granted', g)), ...revoked.map((r) => event('role.revoked', r))]);
  return { granted, revoked };
}

/** The audit event of one birthright grant or revocation. */
export function roleEvent(organizationId: string, accountId: string, actor: Actor, action: string, change: { roleId: string; sourceRef: string }): AuditInput {
  return {
    organizationId,
    actor,
    action,
    target: { type: 'account', id: accountId },
    data: { roleId: change.roleId, source: 'birthright', sourceRef: change.sourceRef },
  };
}
