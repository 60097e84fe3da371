import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import type { CommandContext } from '../context';
import { setAccountStatus } from './set-account-status';

/**
 * Leaver and reactivation as the authoritative directory says them (SCIM `active`). `false`
 * suspends an active account and revokes its sessions at once. `true` restores a suspended account,
 * except one under an admin's security hold (it stays suspended; the directory's wish is kept in
 * scim_active and applied when an admin lifts the hold), one past its end date (the end-date job
 * suspended it; the directory moves the end date to bring it back), or waiting for approval. The caller holds
 * the row locked in this transaction.
 */
export async function applyDirectoryStatus(tx: Tx, args: { account: Account; active: boolean }, ctx: CommandContext): Promise<Account> {
  const { account, active } = args;
  const target = { organizationId: account.organizationId, accountId: account.id, locked: account };
  if (!active) {
    if (account.status !== 'active') return account;
    return (await setAccountStatus(tx, { ...target, status: 'suspended', reason: 'scim: active=false' }, ctx)).account;
  }
  if (account.status !== 'suspended') return account;
  // Past its end date the account stays suspended (the directory may move the end date in the same write).
  if (account.endsAt && account.endsAt.getTime() <= ctx.now.getTime()) return account;
  if (account.securityHoldAt) {
    ctx.record({
      organizationId: account.organizationId,
      actor: ctx.actor,
      action: 'account.restore_held',
      target: { type: 'account', id: account.id },
      data: { reason: 'security_hold', holdReason: account.securityHoldReason, heldBy: account.securityHoldBy },
    });
    return account;
  }
  return (await setAccountStatus(tx, { ...target, status: 'active', reason: 'scim: active=true' }, ctx)).account;
}
