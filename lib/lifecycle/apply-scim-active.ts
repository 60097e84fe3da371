import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { setAccountStatus } from './set-account-status';

/**
 * Leaver and reactivation as SCIM says them. `active: false` suspends an active account and revokes
 * its sessions at once (set-account-status). `active: true` restores a suspended account, except
 * one under an admin's security hold (it stays suspended; the IdP's wish is kept in scim_active and
 * applied when an admin lifts the hold) or waiting for approval.
 */
export async function applyScimActive(tx: Tx, account: Account, active: boolean, actor: Actor): Promise<Account> {
  // The caller holds the row locked (FOR UPDATE) in this transaction: setAccountStatus need not read it again.
  const target = { organizationId: account.organizationId, accountId: account.id, locked: account };
  if (!active) {
    if (account.status !== 'active') return account;
    return (await setAccountStatus(tx, { ...target, status: 'suspended', reason: 'scim: active=false' }, actor)).account;
  }
  if (account.status !== 'suspended') return account;
  if (account.securityHoldAt) {
    await recordEvent(tx, {
      organizationId: account.organizationId,
      actor,
      action: 'account.restore_held',
      target: { type: 'account', id: account.id },
      data: { reason: 'security_hold', holdReason: account.securityHoldReason, heldBy: account.securityHoldBy },
    });
    return account;
  }
  return (await setAccountStatus(tx, { ...target, status: 'active', reason: 'scim: active=true' }, actor)).account;
}
