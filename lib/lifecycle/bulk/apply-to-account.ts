import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import type { AppError } from '@/lib/errors';
import { grantRole } from '../access/grant-role';
import { revokeRole } from '../access/revoke-role';
import { setAccountStatus } from '../account/set-account-status';
import type { CommandContext } from '../context';
import type { BulkAction, ChangedOutcome, Refusal, UnchangedOutcome } from './types';

/** What one run asks of every account (validated by runBulkAction). */
export type BulkJob = { organizationId: string; action: BulkAction; roleKey: string | null; expiresAt: Date | null; reason: string | null };

/**
 * Pure: the accounts a bulk action leaves alone on purpose, beyond what the commands refuse
 * themselves. Nobody suspends or strips themselves in bulk; a bulk change never touches a
 * deprovisioned account or one waiting for approval (those are decided one by one); a bulk
 * restore does not override an admin's security hold or the directory's `active: false`.
 */
export function refusalFor(action: BulkAction, account: Account, actor: Actor): Refusal | null {
  const own = actor.id !== undefined && actor.id !== null && account.id === actor.id;
  if (own && action === 'suspend') return { code: 'own_account', reason: 'You cannot suspend your own account.' };
  if (own && action === 'revoke_role') return { code: 'own_account', reason: 'You cannot revoke your own roles in a bulk action.' };
  if (action === 'revoke_role') return null;
  if (account.status === 'deprovisioned') return { code: 'deprovisioned', reason: 'The account is deprovisioned: change it on its own page.' };
  if (action === 'grant_role') return null;
  if (account.status === 'pending_approval') return { code: 'pending_approval', reason: 'The account is waiting for approval: approve or reject it first.' };
  if (action === 'restore' && account.status === 'suspended') {
    if (account.securityHoldAt) return { code: 'security_hold', reason: `The account is under a security hold${account.securityHoldReason ? ` (${account.securityHoldReason})` : ''}: lift the hold on its own page.` };
    if (account.scimActive === false) return { code: 'directory_inactive', reason: 'The directory (SCIM) says this person is inactive: reactivate them there.' };
  }
  return null;
}

/** Runs the account's change through its lifecycle command (the access gate for roles). */
export async function applyToAccount(tx: Tx, job: BulkJob, account: Account, ctx: CommandContext): Promise<ChangedOutcome | UnchangedOutcome> {
  const target = { organizationId: job.organizationId, accountId: account.id, reason: job.reason };
  switch (job.action) {
    case 'suspend':
      return (await setAccountStatus(tx, { ...target, status: 'suspended', locked: account }, ctx)).changed ? 'suspended' : 'already_suspended';
    case 'restore':
      return (await setAccountStatus(tx, { ...target, status: 'active', locked: account }, ctx)).changed ? 'restored' : 'already_active';
    case 'grant_role': {
      const result = await grantRole(tx, { ...target, roleKey: job.roleKey!, expiresAt: job.expiresAt }, ctx);
      return result.granted ? 'granted' : result.extended ? 'extended' : 'already_granted';
    }
    case 'revoke_role': {
      const result = await revokeRole(tx, { ...target, roleKey: job.roleKey! }, ctx);
      return result.remaining.length > 0 ? 'revoked_still_held' : 'revoked';
    }
  }
}

/**
 * A command's own refusal as the account's outcome. revokeRole answers not_found for a role the
 * account does not hold (nothing to do) and conflict for one held only through a rule or a group
 * (its message says which); anything else it or the others refuse is reported with their message.
 */
export function outcomeOfRefusal(action: BulkAction, error: AppError): { outcome: UnchangedOutcome } | { outcome: Refusal['code']; reason: string } {
  if (action === 'revoke_role' && error.code === 'not_found') return { outcome: 'not_held' };
  if (action === 'revoke_role' && error.code === 'conflict') return { outcome: 'held_through_rule', reason: error.message };
  return { outcome: 'refused', reason: error.message };
}
