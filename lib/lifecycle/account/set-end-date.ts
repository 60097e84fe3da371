import type { Tx } from '@/db';
import { getAccountById, updateAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { mayWrite, type FieldOwners } from '@/lib/model/account';
import type { CommandContext } from '../context';

/**
 * An administrator sets (or, with null, clears) an account's end date: after it the end-date job
 * (lib/jobs/definitions/account-end-date.ts) suspends the account and ends its sessions. The end
 * date is owned like a profile field (lib/model/account.ts): one a directory sent (SCIM, HR) is the
 * directory's to change, so an admin's edit of it is refused, saying so. A date in the past is
 * allowed here (the job then ends the account on its next tick); the admin doors refuse it first.
 */
export async function setAccountEndDate(
  tx: Tx,
  input: { organizationId: string; accountId: string; endsAt: Date | null },
  ctx: CommandContext,
): Promise<{ account: Account; changed: boolean }> {
  const account = await getAccountById(tx, input.organizationId, input.accountId, { forUpdate: true });
  if (!account) throw new AppError('not_found', 'No such account in this organization.');
  if (account.status === 'deprovisioned') throw new AppError('conflict', 'The account is deprovisioned: restore it before giving it an end date.');
  const owner = account.fieldOwners.endsAt;
  if (!mayWrite('admin', owner)) throw new AppError('conflict', `The end date was set by ${owner === 'scim' ? 'SCIM' : owner?.toUpperCase()}: change it in the directory.`, { owner });
  const before = account.endsAt?.toISOString() ?? null;
  const after = input.endsAt?.toISOString() ?? null;
  if (before === after) return { account, changed: false };
  const owners: FieldOwners = { ...account.fieldOwners };
  if (input.endsAt) owners.endsAt = 'admin';
  else delete owners.endsAt;
  const updated = await updateAccount(tx, account.organizationId, account.id, { endsAt: input.endsAt, fieldOwners: owners });
  const event = { organizationId: account.organizationId, actor: ctx.actor, target: { type: 'account', id: account.id }, before: { endsAt: before }, after: { endsAt: after } };
  ctx.record(after ? { ...event, action: 'account.end_date_set', data: { via: 'admin', endsAt: after } } : { ...event, action: 'account.end_date_cleared', data: { via: 'admin' } });
  return { account: updated, changed: true };
}
