import type { Tx } from '@/db';
import { insertAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import type { ProfilePatch } from './account-fields';

export type CreateAccountInput = {
  organizationId: string;
  source: Account['source'];
  profile: ProfilePatch & { userName: string };
  status?: Account['status'];
  /** The audit action: account.jit_created, account.scim_created, account.created. */
  action?: string;
  data?: Record<string, unknown>;
};

/** Inserts an account and its audit event in the caller's transaction. */
export async function createAccount(tx: Tx, input: CreateAccountInput, actor: Actor): Promise<Account> {
  const account = await insertAccount(tx, {
    organizationId: input.organizationId,
    source: input.source,
    status: input.status ?? 'active',
    ...input.profile,
  });
  await recordEvent(tx, {
    organizationId: input.organizationId,
    actor,
    action: input.action ?? 'account.created',
    target: { type: 'account', id: account.id },
    after: { ...input.profile, status: account.status, source: account.source },
    data: input.data,
  });
  return account;
}
