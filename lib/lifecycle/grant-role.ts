import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { getRoleByKey, insertRoleAssignments } from '@/db/queries/roles';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';

/** Grants a role by hand (source manual), optionally until a given time. Idempotent. */
export async function grantRole(
  tx: Tx,
  input: { organizationId: string; accountId: string; roleKey: string; expiresAt?: Date | null; reason?: string },
  actor: Actor,
) {
  const account = await getAccountById(tx, input.organizationId, input.accountId);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  const role = await getRoleByKey(tx, input.organizationId, input.roleKey);
  if (!role) throw new AppError('not_found', `No role "${input.roleKey}" in this organization.`);
  const [assignment] = await insertRoleAssignments(tx, [
    {
      organizationId: input.organizationId,
      accountId: account.id,
      roleId: role.id,
      source: 'manual',
      sourceRef: '',
      grantedBy: actor.id ?? actor.type,
      expiresAt: input.expiresAt ?? null,
    },
  ]);
  if (assignment) {
    await recordEvent(tx, {
      organizationId: input.organizationId,
      actor,
      action: 'role.granted',
      target: { type: 'account', id: account.id },
      data: { roleId: role.id, roleKey: role.key, source: 'manual', expiresAt: input.expiresAt ?? null, reason: input.reason ?? null },
    });
  }
  return { role, granted: Boolean(assignment) };
}
