import type { Tx } from '@/db';
import { getAccountById } from '@/db/queries/accounts';
import { insertExternalIdentity } from '@/db/queries/external-identities';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { matchLoginIdentity } from './link-accounts';

export type LoginLink = { kind: 'none' } | { kind: 'conflict'; conflictId: string } | { kind: 'linked'; account: Account; identityId: string };

/**
 * A first sign-in of (connection, subject): links it to the SCIM-provisioned account it belongs to,
 * by the rule documented in link-accounts.ts, so JIT creates nothing. The account row is locked.
 */
export async function linkLoginToAccount(
  tx: Tx,
  connection: { id: string; organizationId: string; allowedDomains: string[] },
  login: { subject: string; userName: string | null; email: string | null; emailVerified: boolean | null },
  actor: Actor,
): Promise<LoginLink> {
  const decision = await matchLoginIdentity(tx, connection, login, actor);
  if (decision.kind === 'conflict') return { kind: 'conflict', conflictId: decision.conflictId };
  if (decision.kind !== 'link') return { kind: 'none' };
  const account = await getAccountById(tx, connection.organizationId, decision.accountId, { forUpdate: true });
  if (!account) return { kind: 'none' };
  const { id: identityId } = await insertExternalIdentity(tx, {
    organizationId: connection.organizationId,
    connectionId: connection.id,
    subject: login.subject,
    accountId: account.id,
  });
  await recordEvent(tx, {
    organizationId: connection.organizationId,
    actor,
    action: 'identity.linked',
    target: { type: 'account', id: account.id },
    data: { connectionId: connection.id, subject: login.subject, via: 'scim_match' },
  });
  return { kind: 'linked', account, identityId };
}
