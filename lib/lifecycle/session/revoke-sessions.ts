import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { revokeAccountSessions } from '@/db/queries/sessions';
import { AppError } from '@/lib/errors';
import type { CommandContext } from '../context';

/**
 * Ends every open session of an account at once (an admin's "sign out everywhere"): its next
 * request is refused and it must sign in again. The account stays active. Audited, with the count.
 */
export async function revokeSessions(tx: Tx, input: { organizationId: string; accountId: string; reason?: string | null }, ctx: CommandContext): Promise<{ sessionsRevoked: number }> {
  const account = await getAccountById(tx, input.organizationId, input.accountId);
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  const sessionsRevoked = await revokeAccountSessions(tx, input.organizationId, input.accountId, input.reason ? `revoked: ${input.reason}` : 'revoked by an administrator');
  ctx.record({
    organizationId: input.organizationId,
    actor: ctx.actor,
    action: 'account.sessions_revoked',
    target: { type: 'account', id: input.accountId },
    data: { reason: input.reason ?? null, sessionsRevoked },
  });
  return { sessionsRevoked };
}
