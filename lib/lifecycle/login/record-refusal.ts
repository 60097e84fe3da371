import type { Tx } from '@/db';
import { insertAuditEvent } from '@/db/queries/audit-events';
import { toAuditRow, type Actor } from '@/lib/audit/record-event';
import type { LoginRefusalReason } from '@/lib/jit/login-refusal';

export type LoginRefusal = {
  /** The organization of the connection concerned; null only when no connection matches (the deployment's trail). */
  organizationId: string | null;
  reason: LoginRefusalReason;
  /** For the administrator: what was wrong, never a token, code, assertion or password. */
  detail?: string | null;
  connectionId: string;
  protocol?: 'oidc' | 'saml' | null;
  subject?: string | null;
  /** The account refused, when one was found; the connection is the target otherwise. */
  accountId?: string | null;
};

/**
 * The one writer of `login.rejected` audit events, for every door (OIDC, SAML, JIT): a refused
 * sign-in is recorded in the organization it concerns and changes nothing else. Runs in the
 * caller's transaction when given one.
 */
export async function recordLoginRefusal(db: Tx, refusal: LoginRefusal, options: { actor: Actor; now?: Date }) {
  const row = toAuditRow({
    organizationId: refusal.organizationId,
    actor: options.actor,
    action: 'login.rejected',
    target: refusal.accountId ? { type: 'account', id: refusal.accountId } : { type: 'connection', id: refusal.connectionId },
    data: {
      reason: refusal.reason,
      detail: refusal.detail ?? null,
      connectionId: refusal.connectionId,
      protocol: refusal.protocol ?? null,
      subject: refusal.subject ?? null,
    },
  });
  return insertAuditEvent(db, options.now ? { ...row, createdAt: options.now } : row);
}
