import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import type { CommandContext } from '../context';
import { setAccountStatus } from './set-account-status';

/**
 * The end-date job's step for one account: if it is still active and its end date has passed
 * (re-read under the row lock, so a run racing an admin's change or another run acts once, on the
 * truth), suspend it — its sessions end at once — and record `account.ended` with the run.
 */
export async function endAccount(tx: Tx, input: { organizationId: string; accountId: string; runId: string }, ctx: CommandContext): Promise<{ ended: boolean; sessionsRevoked: number }> {
  const account = await getAccountById(tx, input.organizationId, input.accountId, { forUpdate: true });
  if (!account || account.status !== 'active' || !account.endsAt || account.endsAt.getTime() > ctx.now.getTime()) return { ended: false, sessionsRevoked: 0 };
  const endsAt = account.endsAt.toISOString();
  const { sessionsRevoked } = await setAccountStatus(tx, { organizationId: account.organizationId, accountId: account.id, status: 'suspended', reason: `end date ${endsAt} passed`, locked: account }, ctx);
  ctx.record({ organizationId: account.organizationId, actor: ctx.actor, action: 'account.ended', target: { type: 'account', id: account.id }, data: { runId: input.runId, endsAt } });
  return { ended: true, sessionsRevoked };
}
