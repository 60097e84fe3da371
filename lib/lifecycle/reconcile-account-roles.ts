import type { Tx } from '@/db';
import { findRulesForConnection } from '@/db/queries/attribute-rules';
import { findGroupsOfAccounts } from '@/db/queries/scim-accounts';
import { deleteRoleAssignments, findBirthrightAssignments, findRolesByKeys, insertRoleAssignments } from '@/db/queries/roles';
import type { Account } from '@/db/schema';
import { recordEvents, type Actor } from '@/lib/audit/record-event';
import { planBirthrightRoles } from '@/lib/policy/evaluate-rules';
import { accountRuleAttributes } from './rule-attributes';

/** The connection whose rules and default roles apply (the SCIM token's), if any. */
export type RuleConnection = { id: string; defaultRoles: string[] } | null;

/** Matches no connection: with it, only organization-wide attribute rules apply. */
const NO_CONNECTION = '00000000-0000-0000-0000-000000000000';

/**
 * Re-evaluates an account's birthright roles from its stored attributes and group names — what a
 * SCIM write (no login in sight) uses. With a connection (the SCIM token's), that connection's
 * rules and default roles apply as they would at its logins; without one, organization-wide rules.
 * The same plan as reconcile-birthright-roles.ts (planBirthrightRoles), with the independent
 * queries pipelined and the audit events written in one statement: SCIM creates are hot.
 */
export async function reconcileAccountRoles(
  tx: Tx,
  input: { account: Account; connection: RuleConnection; groupNames?: string[]; isNew?: boolean },
  actor: Actor,
) {
  const { account, connection } = input;
  const org = account.organizationId;
  const connectionId = connection?.id ?? NO_CONNECTION;
  const [rules, defaults, current, groups] = await Promise.all([
    findRulesForConnection(tx, org, connectionId),
    findRolesByKeys(tx, org, connection?.defaultRoles ?? []),
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
  const [granted, revoked] = await Promise.all([
    insertRoleAssignments(tx, plan.grant.map((g) => ({ organizationId: org, accountId: account.id, source: 'birthright' as const, ...g }))),
    deleteRoleAssignments(tx, org, plan.revoke.map((r) => r.id)),
  ]);
  const event = (action: string, change: { roleId: string; sourceRef: string }) => ({
    organizationId: org,
    actor,
    action,
    target: { type: 'account', id: account.id },
    data: { roleId: change.roleId, source: 'birthright', sourceRef: change.sourceRef },
  });
  await recordEvents(tx, [...granted.map((g) => event('role.granted', g)), ...revoked.map((r) => event('role.revoked', r))]);
  return { granted, revoked };
}
