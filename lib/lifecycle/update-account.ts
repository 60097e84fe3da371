import type { Tx } from '@/db';
import { updateAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { diffProfile, type ProfilePatch } from './account-fields';

/** Applies the profile fields that changed and audits them with before/after; a no-op writes nothing. */
export async function updateAccountProfile(
  tx: Tx,
  account: Account,
  patch: ProfilePatch,
  actor: Actor,
  data?: Record<string, unknown>,
): Promise<{ account: Account; changed: string[] }> {
  const { before, after, changed } = diffProfile(account, patch);
  if (changed.length === 0) return { account, changed };
  const updated = await updateAccount(tx, account.organizationId, account.id, after as ProfilePatch);
  await recordEvent(tx, {
    organizationId: account.organizationId,
    actor,
    action: 'account.updated',
    target: { type: 'account', id: account.id },
    before,
    after,
    data,
  });
  return { account: updated, changed };
}
