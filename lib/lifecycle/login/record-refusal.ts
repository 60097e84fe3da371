import type { Tx } from '@/db';
import type { CommandContext } from '../context';

export type LoginRefusalRecord = {
  /** The organization the refusal concerns (the connection's); null only when no organization can be known. */
  organizationId: string | null;
  reason: string;
  detail?: string | null;
  connectionId: string | null;
  protocol?: 'oidc' | 'saml' | null;
  subject?: string | null;
  accountId?: string | null;
};

/**
 * A refused sign-in, as `login.rejected` in the audit trail of the organization it concerns (or,
 * with no organization, the deployment's own trail). The one writer of that event, for every door.
 */
export function recordLoginRefusal(_tx: Tx, refusal: LoginRefusalRecord, ctx: CommandContext): void {
  ctx.record({
    organizationId: refusal.organizationId,
    actor: ctx.actor,
    action: 'login.rejected',
    target: refusal.accountId ? { type: 'account', id: refusal.accountId } : refusal.connectionId ? { type: 'connection', id: refusal.connectionId } : null,
    data: {
      reason: refusal.reason,
      detail: refusal.detail ?? null,
      connectionId: refusal.connectionId,
      ...(refusal.protocol ? { protocol: refusal.protocol } : {}),
      subject: refusal.subject || null,
    },
  });
}
