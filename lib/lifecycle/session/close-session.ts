import type { Tx } from '@/db';
import { revokeSession } from '@/db/queries/sessions';
import type { CommandContext } from '../context';

/**
 * Ends one session (sign-out, or an admin ending it): revoked at once, audited in the session's
 * organization. A session already ended changes nothing and records nothing.
 */
export async function closeSession(tx: Tx, input: { sessionId: string; reason: string }, ctx: CommandContext): Promise<boolean> {
  const closed = await revokeSession(tx, input.sessionId, input.reason);
  if (!closed) return false;
  ctx.record({
    organizationId: closed.organizationId,
    actor: ctx.actor,
    action: 'session.closed',
    target: { type: 'account', id: closed.accountId },
    data: { sessionId: input.sessionId, reason: input.reason },
  });
  return true;
}
