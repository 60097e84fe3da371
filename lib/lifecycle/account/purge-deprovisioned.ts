import type { Database } from '@/db';
import { findAccountsDueForPurge, purgeAccountsDue } from '@/db/queries/account-purge';
import { inTransaction } from '../context';

/**
 * Job runner: purges the personal data of deprovisioned accounts in organizations that ask for it
 * (`settings.purgeDeprovisionedAfterDays`, a whole number of days; absent means never). One
 * transaction with an `account.purged` audit event per account; idempotent; `dryRun` only counts.
 * Audit events themselves are append-only and keep what they recorded.
 */
export async function purgeDeprovisionedAccounts(input: { db: Database; now: Date; dryRun?: boolean }): Promise<{ purged: number; accountIds: string[] }> {
  if (input.dryRun) {
    const due = await findAccountsDueForPurge(input.db, input.now);
    return { purged: due.length, accountIds: due.map((a) => a.id) };
  }
  return inTransaction(input.db, { actor: { type: 'system', id: 'purge-deprovisioned' }, now: input.now }, async (tx, ctx) => {
    const purged = await purgeAccountsDue(tx, input.now);
    for (const a of purged) ctx.record({ organizationId: a.organizationId, actor: ctx.actor, action: 'account.purged', target: { type: 'account', id: a.id } });
    return { purged: purged.length, accountIds: purged.map((a) => a.id) };
  });
}
