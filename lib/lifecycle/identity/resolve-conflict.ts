import type { Tx } from '@/db';
import { getLinkConflict, settleLinkConflict } from '@/db/queries/account-links';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import type { CommandContext } from '../context';
import { linkIdentity } from './link-identity';

/**
 * An admin's decision on a link conflict (find-person.ts held it): "link to this account" (one of
 * its candidates) or "keep apart". A sign-in's identity is linked at once (its next sign-in is that
 * account's); a SCIM push is linked when the directory sends it again. "Keep apart": the identity
 * matches none of them from now on (a new account, or the sign-in's usual refusal if its user name
 * is held). Both are remembered for that identity (find-person.ts follows them) and audited.
 */
export async function resolveLinkConflict(
  tx: Tx,
  input: { organizationId: string; conflictId: string; decision: 'link' | 'keep_apart'; accountId?: string | null },
  ctx: CommandContext,
) {
  const row = isUuid(input.conflictId) ? await getLinkConflict(tx, input.organizationId, input.conflictId, { forUpdate: true }) : null;
  if (!row) throw new AppError('not_found', 'No such link conflict in this organization.');
  if (row.status !== 'open') throw new AppError('conflict', `This link conflict was already ${row.status} (${row.resolvedBy ?? 'unknown'}).`);
  const accountId = input.decision === 'link' ? (input.accountId ?? null) : null;
  if (input.decision === 'link' && (!accountId || !row.candidateAccountIds.includes(accountId))) {
    throw new AppError('invalid_input', 'Link it to one of the candidate accounts of this conflict.');
  }
  if (accountId && row.source === 'login') {
    const [, connectionId = '', ...rest] = row.matchKey.split(':');
    await linkIdentity(tx, { organizationId: row.organizationId, accountId, connectionId, subject: rest.join(':'), via: 'admin_link' }, ctx);
  }
  const resolvedBy = ctx.actor.id ? `${ctx.actor.type}:${ctx.actor.id}` : ctx.actor.type;
  await settleLinkConflict(tx, row.organizationId, row.id, {
    status: accountId ? 'resolved' : 'dismissed',
    ...(accountId ? { candidateAccountIds: [accountId] } : {}),
    resolvedBy,
    resolvedAt: ctx.now,
  });
  ctx.record({
    organizationId: row.organizationId,
    actor: ctx.actor,
    action: 'conflict.resolved',
    target: { type: 'link_conflict', id: row.id },
    data: { decision: input.decision, accountId, source: row.source, matchKey: row.matchKey, candidateIds: row.candidateAccountIds },
  });
  return { conflictId: row.id, source: row.source, decision: input.decision, accountId, candidateIds: row.candidateAccountIds };
}
