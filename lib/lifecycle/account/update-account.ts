import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import type { AccountInput, WriteMode } from '@/lib/model/account';
import { reconcileBirthrightRoles, type BirthrightPolicy, type RuleConnection } from '../access/birthright';
import type { CommandContext } from '../context';
import { planDirectoryStatus } from './apply-directory-status';
import { planAccountWrite } from './plan-write';
import { writeWithStatus } from './set-account-status';

/**
 * The one update of an account, whatever the door (a sign-in's claims, a SCIM PUT or PATCH, an
 * admin's edit, an HR row): attribute ownership decides what the door may overwrite
 * (plan-write.ts); changed attributes are audited with before/after. The first SCIM write to an
 * account makes it SCIM-managed (adoption, audited). A directory's `active` is decided by
 * apply-directory-status.ts and written in the same UPDATE (one statement for the account). When
 * `birthright` is given and anything rules read changed, birthright roles are re-evaluated at once. The caller holds the row locked (FOR UPDATE) in this transaction.
 */
export async function updateAccount(
  tx: Tx,
  args: {
    account: Account;
    input: AccountInput;
    mode: WriteMode;
    connectionId?: string | null;
    birthright?: { connection: RuleConnection; policy?: BirthrightPolicy };
  },
  ctx: CommandContext,
): Promise<{ account: Account; changed: string[]; ruleInputsChanged: boolean }> {
  const { account, input } = args;
  const write = planAccountWrite(account, input, args.mode);
  const adopting = input.door === 'scim' && account.scimManagedAt === null;
  const changes = { ...write.changes, ...(adopting ? { scimManagedAt: ctx.now } : {}) };
  const target = { type: 'account', id: account.id };
  if (adopting) {
    ctx.record({ organizationId: account.organizationId, actor: ctx.actor, action: 'account.scim_linked', target, data: { source: account.source, connectionId: args.connectionId ?? null } });
  }
  if (write.changed.length > 0) {
    ctx.record({
      organizationId: account.organizationId,
      actor: ctx.actor,
      action: 'account.updated',
      target,
      before: write.before,
      after: write.after,
      data: { via: input.door, mode: args.mode, connectionId: args.connectionId ?? null },
    });
  }
  // The directory's `active` is decided on the row as this write leaves it (an end date sent with
  // it counts), and a status move goes into the same UPDATE, audited after the attribute change.
  const directory = input.active !== undefined && (input.door === 'scim' || input.door === 'hr');
  const status = directory ? planDirectoryStatus({ account: { ...account, ...changes } as Account, active: input.active!, previousScimActive: account.scimActive }, ctx) : null;
  let current = account;
  if (Object.keys(changes).length > 0 || status) {
    const [updated, sessionsRevoked] = await writeWithStatus(tx, account, changes, status);
    if (status) ctx.record(status.event(sessionsRevoked));
    current = updated;
  }
  if (args.birthright && write.ruleInputsChanged && current.status !== 'deprovisioned') {
    await reconcileBirthrightRoles(tx, { account: current, ...args.birthright }, ctx);
  }
  return { account: current, changed: write.changed, ruleInputsChanged: write.ruleInputsChanged };
}
