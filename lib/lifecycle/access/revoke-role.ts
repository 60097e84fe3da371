import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { findAssignments } from '@/db/queries/role-assignments';
import { getRoleByKey } from '@/db/queries/roles';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';
import { changeAccess } from './gate';

/**
 * Revokes an administrator's grant of a role (source manual). A role also held through a birthright
 * rule or a group stays held that way: revoking cannot outvote the rule or the directory, so the
 * answer says which sources remain (change the rule or the membership instead). Holding the role
 * only that way is a conflict, with the same explanation.
 */
export async function revokeRole(
  tx: Tx,
  input: { organizationId: string; accountId: string; roleKey: string; reason?: string | null },
  ctx: CommandContext,
) {
  const [account, role] = await Promise.all([getAccountById(tx, input.organizationId, input.accountId), getRoleByKey(tx, input.organizationId, input.roleKey)]);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  if (!role) throw new AppError('not_found', `No role "${input.roleKey}" in this organization.`);
  const held = (await findAssignments(tx, input.organizationId, [account.id])).filter((a) => a.roleId === role.id && (a.expiresAt === null || a.expiresAt > ctx.now));
  const manual = held.filter((a) => a.source === 'manual');
  const remaining = held.filter((a) => a.source !== 'manual').map((a) => ({ source: a.source, sourceRef: a.sourceRef }));
  if (manual.length === 0) {
    if (remaining.length === 0) throw new AppError('not_found', `The account does not hold the role "${role.key}".`);
    const sources = remaining.map((r) => `${r.source} (${r.sourceRef})`).join(', ');
    throw new AppError('conflict', `The role "${role.key}" is not granted by hand; it is held through ${sources}. Change that rule or membership instead.`, { remaining });
  }
  await changeAccess(tx, { organizationId: input.organizationId, revokes: manual.map((assignment) => ({ assignment, reason: input.reason ?? null })) }, ctx);
  return { role, revoked: true, remaining };
}
