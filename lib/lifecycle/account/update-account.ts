import type { Tx } from '@/db';
import type { Account } from '@/db/schema';
import type { AccountInput, WriteMode } from '@/lib/model/account';
import { rulesSeeScimGroups } from '@/lib/policy/rule-attributes';
import { readBirthrightInputs, reconcileBirthrightRoles, type BirthrightInputs, type BirthrightPolicy, type RuleConnection } from '../access/birthright';
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
  const reevaluate = args.birthright && write.ruleInputsChanged;
  let early: Promise<BirthrightInputs> | null = null;
  if (Object.keys(changes).length > 0 || status) {
    const written = writeWithStatus(tx, account, changes, status);
    // The re-evaluation's reads go in the same round trip as the write (they do not read the row).
    if (reevaluate && (status?.status ?? account.status) !== 'deprovisioned') {
      early = readBirthrightInputs(tx, { account: { ...account, ...changes } as Account, ...args.birthright! });
      early.catch(() => undefined); // a failed write fails these too; the write's error is the news
    }
    const [updated, sessionsRevoked] = await written;
    if (status) ctx.record(status.event(sessionsRevoked));
    current = updated;
  }
  if (reevaluate && current.status !== 'deprovisioned') {
    // Started on the row as planned; if the written row differs where the reads depend on it, read again.
    const usable = early && rulesSeeScimGroups(current) === rulesSeeScimGroups({ ...account, ...changes } as Account);
    await reconcileBirthrightRoles(tx, { account: current, ...args.birthright!, inputs: usable ? early! : undefined }, ctx);
  } else if (early) await early.catch(() => undefined);
  return { account: current, changed: write.changed, ruleInputsChanged: write.ruleInputsChanged };
}
