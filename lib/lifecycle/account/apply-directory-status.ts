import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import type { CommandContext } from '../context';
import { planStatusChange, writeWithStatus, type StatusChange } from './set-account-status';

/**
 * Leaver and reactivation as the authoritative directory says them (SCIM `active`). `false`
 * suspends an active account and revokes its sessions at once. `true` restores a suspended account,
 * except one under an admin's security hold (it stays suspended; the directory's wish is kept in
 * scim_active and applied when an admin lifts the hold), one past its end date (the end-date job
 * suspended it; the directory moves the end date to bring it back), or waiting for approval. The caller holds
 * the row locked in this transaction.
 *
 * A suspension for dormancy is Roster's own finding, not the IdP's to undo silently. Most IdPs
 * send `active: true` on every PUT or PATCH of a person they consider enabled, whether or not the
 * person uses Roster; honouring that would undo every dormancy suspension on the next sync. So
 * `active: true` lifts it only when it is news from the IdP: a transition, its last word
 * (`previousScimActive`, accounts.scim_active before this write) having been false — the IdP
 * disabled the person and enabled them again. Otherwise the account stays suspended, the IdP's
 * word is kept in scim_active, and `scim.activation_deferred` is audited; an admin's restore
 * lifts it. Lifting it either way clears dormancy_suspended_at and restarts the activity clock
 * (planStatusChange), so the next sweep does not suspend the account again at once.
 */
export async function applyDirectoryStatus(tx: Tx, args: { account: Account; active: boolean; previousScimActive?: boolean | null }, ctx: CommandContext): Promise<Account> {
  const change = planDirectoryStatus(args, ctx);
  if (!change) return args.account;
  const [updated, sessionsRevoked] = await writeWithStatus(tx, args.account, {}, change);
  ctx.record(change.event(sessionsRevoked));
  return updated;
}

const directoryReason = (active: boolean) => `scim: active=${active}`;

/**
 * The decision of applyDirectoryStatus, for a caller that writes the account in the same UPDATE
 * (updateAccount): the status move, or null. A refusal to restore (hold, dormancy) is recorded here.
 * `account`: the row as it will be after the caller's write (an end date sent with `active` counts).
 */
export function planDirectoryStatus(args: { account: Account; active: boolean; previousScimActive?: boolean | null }, ctx: CommandContext): StatusChange | null {
  const { account, active } = args;
  if (!active) return account.status === 'active' ? planStatusChange(account, 'suspended', directoryReason(false), ctx) : null;
  if (account.status !== 'suspended') return null;
  // Past its end date the account stays suspended (the directory may move the end date in the same write).
  if (account.endsAt && account.endsAt.getTime() <= ctx.now.getTime()) return null;
  if (account.securityHoldAt) {
    ctx.record({
      organizationId: account.organizationId,
      actor: ctx.actor,
      action: 'account.restore_held',
      target: { type: 'account', id: account.id },
      data: { reason: 'security_hold', holdReason: account.securityHoldReason, heldBy: account.securityHoldBy },
    });
    return null;
  }
  if (account.dormancySuspendedAt && args.previousScimActive !== false) {
    ctx.record({
      organizationId: account.organizationId,
      actor: ctx.actor,
      action: 'scim.activation_deferred',
      target: { type: 'account', id: account.id },
      data: { reason: 'dormancy', dormancySuspendedAt: account.dormancySuspendedAt.toISOString() },
    });
    return null;
  }
  return planStatusChange(account, 'active', directoryReason(true), ctx);
}
