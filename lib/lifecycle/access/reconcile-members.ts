import type { Tx } from '@/db';
import { findAccountsByIds } from '@/db/queries/accounts';
import type { CommandContext } from '../context';
import { loadBirthrightPolicy, reconcileBirthrightRoles, type RuleConnection } from './birthright';

/** Re-evaluates the birthright roles of several accounts (after a group change), one policy read for all. */
export async function reconcileMembersBirthright(
  tx: Tx,
  input: { organizationId: string; accountIds: string[]; connection: RuleConnection },
  ctx: CommandContext,
): Promise<void> {
  if (input.accountIds.length === 0) return;
  const [policy, accounts] = await Promise.all([
    loadBirthrightPolicy(tx, input.organizationId, input.connection),
    findAccountsByIds(tx, input.organizationId, input.accountIds),
  ]);
  for (const account of accounts) {
    if (account.status !== 'deprovisioned') await reconcileBirthrightRoles(tx, { account, connection: input.connection, policy }, ctx);
  }
}
