import type { Tx } from '@/db';
import { getAccountById, updateAccount } from '@/db/queries/accounts';
import { revokeAccountSessions } from '@/db/queries/sessions';
import type { Account, AccountStatus, NewAccount } from '@/db/schema';
import type { AuditInput } from '@/lib/audit/record-event';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

const actions = {
  active: 'account.restored',
  suspended: 'account.suspended',
  deprovisioned: 'account.deprovisioned',
  pending_approval: 'account.pending_approval',
} as const satisfies Record<AccountStatus, string>;

/**
 * A status move, decided but not written: the columns it sets, whether it revokes sessions, and
 * its audit event (which reports how many sessions went). A caller that writes the account anyway
 * (updateAccount) folds the columns into its own UPDATE, so the move costs no statement of its own.
 */
export type StatusChange = {
  status: AccountStatus;
  changes: Partial<NewAccount>;
  revokesSessions: boolean;
  event: (sessionsRevoked: number) => AuditInput;
};

/**
 * Decides a move of `account` (as locked, with any change the caller writes with it) to `status`:
 * null when it already has it; throws for a move that is refused (see setAccountStatus).
 */
export function planStatusChange(account: Account, status: AccountStatus, reason: string | null | undefined, ctx: CommandContext): StatusChange | null {
  if (account.status === status) return null;
  if (status === 'active' && account.endsAt && account.endsAt.getTime() <= ctx.now.getTime()) {
    // The end-date job would suspend it again on its next tick: the end date decides, so move it first.
    throw new AppError('conflict', `The account's end date (${account.endsAt.toISOString()}) has passed: move or clear it before restoring the account.`);
  }
  if (account.status === 'deprovisioned' && status !== 'deprovisioned' && ctx.actor.type !== 'admin' && ctx.actor.type !== 'cli') {
    throw new AppError('forbidden', 'A deprovisioned account can only be restored by an administrator.');
  }
  const liftsDormancy = status === 'active' && account.dormancySuspendedAt !== null;
  const dormancy = liftsDormancy ? { dormancySuspendedAt: null, dormancyWarnedAt: null, lastActivityAt: ctx.now } : {};
  return {
    status,
    changes: { status, deactivatedAt: status === 'active' ? null : ctx.now, ...dormancy },
    revokesSessions: status !== 'active',
    event: (sessionsRevoked) => ({
      organizationId: account.organizationId,
      actor: ctx.actor,
      action: actions[status],
      target: { type: 'account', id: account.id },
      before: { status: account.status },
      after: { status },
      data: { reason: reason ?? null, sessionsRevoked, ...(liftsDormancy ? { clause: 'lifts the suspension for dormancy; activity clock restarted' } : {}) },
    }),
  };
}

/**
 * Moves an account to a status (suspend, restore, deprovision). Leaving `active` revokes every
 * session in the same transaction, so the person's next request is refused. `locked`: the account
 * row as the caller already read it FOR UPDATE in this transaction (it is not read again).
 * An account whose end date has passed is not restored (a conflict): its end date decides.
 *
 * Restoring an account Roster suspended for dormancy lifts that finding: dormancy_suspended_at and
 * any warning are cleared and the activity clock restarts (last_activity_at = now), so the next
 * sweep does not suspend it again at once. (Batches of a job: set-accounts-status.ts.)
 */
export async function setAccountStatus(
  tx: Tx,
  input: { organizationId: string; accountId: string; status: AccountStatus; reason?: string | null; locked?: Account },
  ctx: CommandContext,
): Promise<{ account: Account; changed: boolean; sessionsRevoked: number }> {
  const given = input.locked?.id === input.accountId && input.locked.organizationId === input.organizationId ? input.locked : null;
  const account = given ?? (await getAccountById(tx, input.organizationId, input.accountId, { forUpdate: true }));
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  const change = planStatusChange(account, input.status, input.reason, ctx);
  if (!change) return { account, changed: false, sessionsRevoked: 0 };
  const [updated, sessionsRevoked] = await writeWithStatus(tx, account, {}, change);
  ctx.record(change.event(sessionsRevoked));
  return { account: updated, changed: true, sessionsRevoked };
}

/**
 * One UPDATE of the account with `changes` and the move's columns, and the sessions revoked if the
 * move leaves `active`: both in one round trip (pipelined in the transaction: they touch different rows).
 */
export function writeWithStatus(tx: Tx, account: Account, changes: Partial<NewAccount>, change: StatusChange | null): Promise<[Account, number]> {
  return Promise.all([
    updateAccount(tx, account.organizationId, account.id, { ...changes, ...change?.changes }),
    change?.revokesSessions ? revokeAccountSessions(tx, account.organizationId, account.id, `account ${change.status}`) : 0,
  ]);
}

/** Suspends an account (sessions revoked at once). */
export const suspendAccount = (tx: Tx, input: { organizationId: string; accountId: string; reason?: string | null }, ctx: CommandContext) =>
  setAccountStatus(tx, { ...input, status: 'suspended' }, ctx);

/** Restores a suspended (or, by an administrator, a deprovisioned) account. */
export const restoreAccount = (tx: Tx, input: { organizationId: string; accountId: string; reason?: string | null }, ctx: CommandContext) =>
  setAccountStatus(tx, { ...input, status: 'active' }, ctx);
