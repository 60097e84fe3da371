import type { Tx } from '@/db';
import { updateAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { recordEvents, type Actor, type AuditInput } from '@/lib/audit/record-event';
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
  const events: AuditInput[] = [];
  if (Object.keys(plan.changes).length > 0 || adopting) {
    current = await updateAccount(tx, account.organizationId, account.id, { ...plan.changes, ...(adopting ? { scimManagedAt: new Date() } : {}) });
    const target = { type: 'account', id: account.id };
    if (adopting) {
      events.push({ organizationId: account.organizationId, actor, action: 'account.scim_linked', target, data: { source: account.source, connectionId: scope.connection?.id ?? null } });
    }
    if (Object.keys(plan.after).length > 0) {
      events.push({
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
  // The events are written in the same transaction, pipelined with the status change (same order).
  const [, activated] = await Promise.all([recordEvents(tx, events), input.active !== undefined ? applyScimActive(tx, current, input.active, actor) : current]);
  current = activated;
  if (plan.profileChanged.length > 0) await reconcileAccountRoles(tx, { account: current, connection: scope.connection }, actor);
  return current;
}
