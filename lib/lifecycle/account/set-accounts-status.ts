import type { Tx } from '@/db';
import { updateAccountsStatus } from '@/db/queries/accounts';
import { revokeSessionsOfAccounts } from '@/db/queries/sessions';
import type { AccountStatus } from '@/db/schema';
import type { CommandContext } from '../context';

const actions = { suspended: 'account.suspended', deprovisioned: 'account.deprovisioned' } as const;

/** One account of a batch, as the caller locked it (FOR UPDATE) in this transaction, and why it changes. */
export type BatchAccount = { id: string; status: string; reason?: string | null; clause?: string };

/**
 * setAccountStatus for a batch of a job (dormancy, end dates): the accounts, already locked by the
 * caller, leave `active`/`suspended` in one statement, every session of theirs is revoked in one
 * more, and each gets the same audit event setAccountStatus records (with the job, its run and the
 * policy clause). Accounts already in `status` are left alone. `dormancy`: Roster's finding
 * (dormancy_suspended_at is set). Returns the ids changed and the sessions revoked.
 */
export async function setAccountsStatus(
  tx: Tx,
  input: { organizationId: string; accounts: BatchAccount[]; status: 'suspended' | 'deprovisioned'; job: string; runId: string; dormancy?: boolean },
  ctx: CommandContext,
): Promise<{ changed: string[]; sessionsRevoked: number }> {
  const from: AccountStatus[] = input.status === 'suspended' ? ['active'] : ['active', 'suspended', 'pending_approval'];
  const open = input.accounts.filter((a) => (from as string[]).includes(a.status));
  const ids = open.map((a) => a.id);
  const [changed, revoked] = await Promise.all([
    updateAccountsStatus(tx, { organizationId: input.organizationId, ids, from, status: input.status, now: ctx.now, dormancy: input.dormancy }),
    revokeSessionsOfAccounts(tx, input.organizationId, ids, `account ${input.status}`),
  ]);
  const done = new Set(changed);
  let sessionsRevoked = 0;
  for (const account of open) {
    if (!done.has(account.id)) continue;
    const sessions = revoked.get(account.id) ?? 0;
    sessionsRevoked += sessions;
    ctx.record({
      organizationId: input.organizationId,
      actor: ctx.actor,
      action: actions[input.status],
      target: { type: 'account', id: account.id },
      before: { status: account.status },
      after: { status: input.status },
      data: { reason: account.reason ?? null, sessionsRevoked: sessions, runId: input.runId, job: input.job, ...(account.clause ? { clause: account.clause } : {}) },
    });
  }
  return { changed, sessionsRevoked };
}
