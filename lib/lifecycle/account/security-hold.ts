import type { Tx } from '@/db';
import { getAccountById, updateAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';
import { setAccountStatus } from './set-account-status';

/**
 * An admin's security hold: the account is suspended (sessions revoked) and SCIM's `active: true`
 * cannot restore it; only an admin lifts the hold. Lifting restores the account unless the IdP
 * has meanwhile said `active: false` (then it stays suspended, as SCIM wants).
 */
function requireAdmin(actor: Actor) {
  if (actor.type !== 'admin' && actor.type !== 'cli') throw new AppError('forbidden', 'Only an administrator can place or lift a security hold.');
}

async function lockedAccount(tx: Tx, organizationId: string, accountId: string): Promise<Account> {
  const account = await getAccountById(tx, organizationId, accountId, { forUpdate: true });
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  if (account.status === 'deprovisioned') throw new AppError('conflict', 'The account is deprovisioned.');
  return account;
}

export async function placeSecurityHold(tx: Tx, input: { organizationId: string; accountId: string; reason: string }, ctx: CommandContext): Promise<Account> {
  requireAdmin(ctx.actor);
  const account = await lockedAccount(tx, input.organizationId, input.accountId);
  let held = await updateAccount(tx, account.organizationId, account.id, { securityHoldAt: ctx.now, securityHoldReason: input.reason, securityHoldBy: ctx.actor.id ?? ctx.actor.type });
  ctx.record({ organizationId: account.organizationId, actor: ctx.actor, action: 'account.security_hold_placed', target: { type: 'account', id: account.id }, data: { reason: input.reason } });
  if (held.status === 'active') held = (await setAccountStatus(tx, { ...input, status: 'suspended', reason: `security hold: ${input.reason}`, locked: held }, ctx)).account;
  return held;
}

export async function liftSecurityHold(tx: Tx, input: { organizationId: string; accountId: string; reason?: string }, ctx: CommandContext): Promise<Account> {
  requireAdmin(ctx.actor);
  const account = await lockedAccount(tx, input.organizationId, input.accountId);
  if (!account.securityHoldAt) return account;
  let lifted = await updateAccount(tx, account.organizationId, account.id, { securityHoldAt: null, securityHoldReason: null, securityHoldBy: null });
  ctx.record({ organizationId: account.organizationId, actor: ctx.actor, action: 'account.security_hold_lifted', target: { type: 'account', id: account.id }, data: { reason: input.reason ?? null } });
  if (lifted.status === 'suspended' && lifted.scimActive !== false) {
    lifted = (await setAccountStatus(tx, { organizationId: account.organizationId, accountId: account.id, status: 'active', reason: 'security hold lifted', locked: lifted }, ctx)).account;
  }
  return lifted;
}
