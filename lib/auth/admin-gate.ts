import type { Tx } from '@/db';
import { hasRole } from '@/db/queries/roles';
import { checkSession } from '@/lib/lifecycle/session/check-session';
import type { Actor } from '@/lib/audit/record-event';

export type AdminPrincipal = NonNullable<Awaited<ReturnType<typeof checkSession>>> & { actor: Actor };
export type AdminGate = { kind: 'admin'; admin: AdminPrincipal } | { kind: 'signed_out' } | { kind: 'forbidden'; organizationId: string; accountId: string };

/**
 * Who may act as an administrator: a live session (not revoked or expired, its account active)
 * whose account holds the admin role in force. No Next.js here: the server-action wrapper and
 * the pages read the session id from the cookie and ask this.
 */
export async function resolveAdmin(db: Tx, sessionId: string | null | undefined, request: { ip?: string | null; requestId?: string | null } = {}): Promise<AdminGate> {
  const session = sessionId ? await checkSession(db, sessionId) : null;
  if (!session) return { kind: 'signed_out' };
  if (!(await hasRole(db, session.organizationId, session.accountId, 'admin'))) {
    return { kind: 'forbidden', organizationId: session.organizationId, accountId: session.accountId };
  }
  const actor: Actor = { type: 'admin', id: session.accountId, ip: request.ip ?? null, requestId: request.requestId ?? null };
  return { kind: 'admin', admin: { ...session, actor } };
}
