import type { Tx } from '@/db';
import { insertExternalIdentity } from '@/db/queries/external-identities';
import type { CommandContext } from '../context';

/**
 * Links a sign-in identity (connection, subject) to an account. `jit_create`: the account was just
 * created from this sign-in (its creation event names the identity); `scim_match`: the sign-in
 * belongs to an account the directory provisioned (find-person.ts), audited as identity.linked.
 * The (connection, subject) pair is unique: a second link of it fails the transaction.
 */
export async function linkIdentity(
  tx: Tx,
  input: { organizationId: string; accountId: string; connectionId: string; subject: string; via: 'jit_create' | 'scim_match' | 'admin_link' },
  ctx: CommandContext,
): Promise<{ identityId: string }> {
  const { id } = await insertExternalIdentity(tx, {
    organizationId: input.organizationId,
    connectionId: input.connectionId,
    subject: input.subject,
    accountId: input.accountId,
  });
  if (input.via !== 'jit_create') {
    ctx.record({
      organizationId: input.organizationId,
      actor: ctx.actor,
      action: 'identity.linked',
      target: { type: 'account', id: input.accountId },
      data: { connectionId: input.connectionId, subject: input.subject, via: input.via },
    });
  }
  return { identityId: id };
}
