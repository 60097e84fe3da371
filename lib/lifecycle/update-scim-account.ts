import type { Tx } from '@/db';
import { updateAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { recordEvent, type Actor } from '@/lib/audit/record-event';
import { applyScimActive } from './apply-scim-active';
import type { ScimScope } from './create-scim-account';
import { reconcileAccountRoles } from './reconcile-account-roles';
import { planScimUpdate, type ScimAccountInput } from './scim-account-input';

/**
 * Mover (and the first write that adopts a JIT-created account): applies what SCIM sent, in the
 * caller's transaction, after the caller has locked the row. Changed attributes are audited with
 * before/after and re-evaluate birthright roles at once; `active` goes through applyScimActive.
 */
export async function updateScimAccount(
  tx: Tx,
  scope: ScimScope,
  account: Account,
  input: ScimAccountInput,
  mode: 'replace' | 'merge',
  actor: Actor,
): Promise<Account> {
  const plan = planScimUpdate(account, input, mode);
  const adopting = account.scimManagedAt === null;
  let current = account;
  if (Object.keys(plan.changes).length > 0 || adopting) {
    current = await updateAccount(tx, account.organizationId, account.id, { ...plan.changes, ...(adopting ? { scimManagedAt: new Date() } : {}) });
    const target = { type: 'account', id: account.id };
    if (adopting) {
      await recordEvent(tx, { organizationId: account.organizationId, actor, action: 'account.scim_linked', target, data: { source: account.source, connectionId: scope.connection?.id ?? null } });
    }
    if (Object.keys(plan.after).length > 0) {
      await recordEvent(tx, {
        organizationId: account.organizationId,
        actor,
        action: 'account.updated',
        target,
        before: plan.before,
        after: plan.after,
        data: { via: 'scim', mode },
      });
    }
  }
  if (input.active !== undefined) current = await applyScimActive(tx, current, input.active, actor);
  if (plan.profileChanged.length > 0) await reconcileAccountRoles(tx, { account: current, connection: scope.connection }, actor);
  return current;
}
