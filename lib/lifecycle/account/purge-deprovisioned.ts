import type { Database } from '@/db';
import { findAccountsDueForPurge, purgeAccountsDue, type AccountDueForPurge } from '@/db/queries/account-purge';
import type { Actor } from '@/lib/audit/record-event';
import { inTransaction } from '../context';

export const PURGE_ACTOR: Actor = { type: 'system', id: 'purge-deprovisioned' };

/**
 * Job runner: purges the personal data of deprovisioned accounts in organizations that ask for it
 * (`settings.purgeDeprovisionedAfterDays`, a whole number of days; absent means never). One
 * transaction with an `account.purged` audit event per account (with the job run's id); idempotent;
 * `dryRun` lists what it would purge and changes nothing. Audit events themselves are append-only
 * and keep what they recorded.
 */
export async function purgeDeprovisionedAccounts(input: {
  db: Database;
  now: Date;
  dryRun?: boolean;
  runId?: string;
  actor?: Actor;
}): Promise<{ purged: number; accountIds: string[]; due: AccountDueForPurge[] }> {
  if (input.dryRun) {
    const due = await findAccountsDueForPurge(input.db, input.now);
    return { purged: due.length, accountIds: due.map((a) => a.id), due };
  }
  return inTransaction(input.db, { actor: input.actor ?? PURGE_ACTOR, now: input.now }, async (tx, ctx) => {
    const purged = await purgeAccountsDue(tx, input.now);
    const data = input.runId ? { runId: input.runId } : {};
    for (const a of purged) ctx.record({ organizationId: a.organizationId, actor: ctx.actor, action: 'account.purged', target: { type: 'account', id: a.id }, data });
    return { purged: purged.length, accountIds: purged.map((a) => a.id), due: [] };
  });
}
