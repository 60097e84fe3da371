import type { Tx } from '@/db';
import { findRulesForConnection } from '@/db/queries/attribute-rules';
import { deleteRoleAssignments, findBirthrightAssignments, findRolesByKeys, insertRoleAssignments } from '@/db/queries/roles';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { planBirthrightRoles, type RuleAttributes } from '@/lib/policy/evaluate-rules';

export type RoleChange = { roleId: string; sourceRef: string };

/**
 * Re-evaluates the birthright roles an account gets through a connection (its default roles and
 * the attribute rules) and applies the difference, auditing each grant and revocation.
 */
export async function reconcileBirthrightRoles(
  tx: Tx,
  input: { organizationId: string; accountId: string; connectionId: string; defaultRoleKeys: string[]; attributes: RuleAttributes },
  actor: Actor,
): Promise<{ granted: RoleChange[]; revoked: RoleChange[] }> {
  const [rules, defaults, current] = await Promise.all([
    findRulesForConnection(tx, input.organizationId, input.connectionId),
    findRolesByKeys(tx, input.organizationId, input.defaultRoleKeys),
    findBirthrightAssignments(tx, input.organizationId, input.accountId),
  ]);
  const plan = planBirthrightRoles({
    connectionId: input.connectionId,
    attributes: input.attributes,
    rules,
    defaultRoleIds: defaults.map((r) => r.id),
    current,
  });
  const granted = await insertRoleAssignments(
    tx,
    plan.grant.map((g) => ({ organizationId: input.organizationId, accountId: input.accountId, source: 'birthright' as const, ...g })),
  );
  const revoked = await deleteRoleAssignments(tx, input.organizationId, plan.revoke.map((r) => r.id));
  for (const [action, list] of [['role.granted', granted], ['role.revoked', revoked]] as const) {
    for (const change of list) {
      await recordEvent(tx, {
        organizationId: input.organizationId,
        actor,
        action,
        target: { type: 'account', id: input.accountId },
        data: { roleId: change.roleId, source: 'birthright', sourceRef: change.sourceRef },
      });
    }
  }
  return { granted, revoked };
}
