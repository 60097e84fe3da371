import type { Tx } from '@/db';
import { recordAccountLogin } from '@/db/queries/accounts';
import { touchExternalIdentity } from '@/db/queries/external-identities';
import { insertSession } from '@/db/queries/sessions';
import type { Account } from '@/db/schema';
import type { CommandContext } from '../context';

export type SessionRequest = { ip?: string | null; userAgent?: string | null; maxAgeSeconds: number };

/**
 * A successful sign-in: the account's and the identity's last sign-in times, a server-side session
 * row (what the cookie points at, checked on every request), and login.succeeded. Pipelined: the
 * three writes touch different rows.
 */
export async function openSession(
  tx: Tx,
  input: { account: Account; identityId: string; connection: { id: string; protocol: 'oidc' | 'saml' }; request: SessionRequest; jitCreated: boolean },
  ctx: CommandContext,
): Promise<{ sessionId: string; expiresAt: Date }> {
  const { account, connection, request } = input;
  const [, , session] = await Promise.all([
    recordAccountLogin(tx, account.organizationId, account.id, ctx.now),
    touchExternalIdentity(tx, account.organizationId, input.identityId, ctx.now),
    insertSession(tx, {
      organizationId: account.organizationId,
      accountId: account.id,
      connectionId: connection.id,
      expiresAt: new Date(ctx.now.getTime() + request.maxAgeSeconds * 1000),
      ip: request.ip ?? null,
      userAgent: request.userAgent?.slice(0, 512) ?? null,
    }),
  ]);
  ctx.record({
    organizationId: account.organizationId,
    actor: ctx.actor,
    action: 'login.succeeded',
    target: { type: 'account', id: account.id },
    data: { connectionId: connection.id, protocol: connection.protocol, sessionId: session.id, jitCreated: input.jitCreated },
  });
  return { sessionId: session.id, expiresAt: session.expiresAt };
}
