import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { clearVoidDormancyWarnings, markDormancyWarned, setDormancyExempt } from '@/db/queries/dormancy';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

/**
 * The dormancy job's marks on accounts, which change no status: the warning before suspension, its
 * cancellation by activity, and an admin's exemption. Each is audited.
 */

/** Warns a batch (locked by the caller): dormancy_warned_at = now, `dormancy.warned` with the clause. */
export async function warnDormantAccounts(
  tx: Tx,
  input: { organizationId: string; accounts: { id: string; clause: string; suspendFrom: Date | null }[]; runId: string },
  ctx: CommandContext,
): Promise<string[]> {
  const warned = new Set(await markDormancyWarned(tx, input.organizationId, input.accounts.map((a) => a.id), ctx.now));
  for (const account of input.accounts) {
    if (!warned.has(account.id)) continue;
    ctx.record({
      organizationId: input.organizationId,
      actor: ctx.actor,
      action: 'dormancy.warned',
      target: { type: 'account', id: account.id },
      data: { runId: input.runId, job: 'dormancy', clause: account.clause, suspendFrom: account.suspendFrom?.toISOString() ?? null },
    });
  }
  return [...warned];
}

/** Clears up to `limit` warnings that activity since made void (the clock starts again); returns how many. */
export async function cancelLapsedWarnings(tx: Tx, input: { organizationId: string; runId: string; limit: number }, ctx: CommandContext): Promise<number> {
  const cleared = await clearVoidDormancyWarnings(tx, input.organizationId, input.limit);
  for (const row of cleared) {
    ctx.record({
      organizationId: input.organizationId,
      actor: ctx.actor,
      action: 'dormancy.warning_cancelled',
      target: { type: 'account', id: row.id },
      data: { runId: input.runId, job: 'dormancy', warnedAt: row.warnedAt.toISOString(), lastActivityAt: row.lastActivityAt?.toISOString() ?? null },
    });
  }
  return cleared.length;
}

/** An admin exempts an account from dormancy (break-glass accounts), or lifts the exemption. */
export async function setAccountDormancyExempt(tx: Tx, input: { organizationId: string; accountId: string; exempt: boolean; reason?: string | null }, ctx: CommandContext): Promise<{ changed: boolean }> {
  if (ctx.actor.type !== 'admin' && ctx.actor.type !== 'cli') throw new AppError('forbidden', 'Only an administrator can change a dormancy exemption.');
  const account = await getAccountById(tx, input.organizationId, input.accountId, { forUpdate: true });
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  if (account.dormancyExempt === input.exempt) return { changed: false };
  await setDormancyExempt(tx, input.organizationId, input.accountId, input.exempt);
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'dormancy.exempt_changed',
    target: { type: 'account', id: input.accountId },
    before: { dormancyExempt: account.dormancyExempt },
    after: { dormancyExempt: input.exempt },
    data: { exempt: input.exempt, reason: input.reason ?? null },
  });
  return { changed: true };
}
