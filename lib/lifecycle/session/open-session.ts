import type { Tx } from '@/db';
import { insertSignInSession } from '@/db/queries/sessions';
import type { Account } from '@/db/schema';
import type { CommandContext } from '../context';

export type SessionRequest = { ip?: string | null; userAgent?: string | null; maxAgeSeconds: number };

/**
 * A successful sign-in: the account's and the identity's last sign-in times, a server-side session
 * row (what the cookie points at, checked on every request), and login.succeeded. The three writes
 * touch different rows and go as one statement.
 */
export async function openSession(
  tx: Tx,
  input: { account: Account; identityId: string; connection: { id: string; protocol: 'oidc' | 'saml' }; request: SessionRequest; jitCreated: boolean },
  ctx: CommandContext,
): Promise<{ sessionId: string; expiresAt: Date }> {
  const { account, connection, request } = input;
  const session = await insertSignInSession(tx, {
    organizationId: account.organizationId,
    accountId: account.id,
    identityId: input.identityId,
    connectionId: connection.id,
    at: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + request.maxAgeSeconds * 1000),
    ip: request.ip ?? null,
    userAgent: request.userAgent?.slice(0, 512) ?? null,
  });
  ctx.record({
    organizationId: account.organizationId,
    actor: ctx.actor,
    action: 'login.succeeded',
    target: { type: 'account', id: account.id },
    data: { connectionId: connection.id, protocol: connection.protocol, sessionId: session.id, jitCreated: input.jitCreated },
  });
  return { sessionId: session.id, expiresAt: session.expiresAt };
}
