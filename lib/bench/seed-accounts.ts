import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '@/db';

/**
 * Bench seeding (setup, not measured) of many accounts in one organization: `insertChunk(from, to)`
 * inserts accounts n = from..to. The chunks run with triggers off (session_replication_role), and
 * the account_counts rows the counter trigger would have kept are computed once at the end: in one
 * transaction the per-row trigger revisits the organization's 256 counter rows for every account,
 * walking an ever longer chain of their versions, so a million-account seed never finished.
 */
export async function seedAccountsInChunks(db: Database, organizationId: string, total: number, insertChunk: (from: number, to: number) => SQL, log?: (line: string) => void, chunk = 250_000) {
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(insertChunk(from, to));
    });
    log?.(`  seeded ${to.toLocaleString('en-US')} accounts`);
  }
  await recountAccounts(db, organizationId);
}

/** The organization's account_counts rows, computed from its accounts (what the counter trigger keeps). */
export async function recountAccounts(db: Database, organizationId: string) {
  const counts = ['active', 'suspended', 'deprovisioned', 'pending_approval'].flatMap((status) =>
    ['jit', 'scim', 'manual'].map((source) => sql`count(*) filter (where status = ${status} and source = ${source})`),
  );
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from account_counts where organization_id = ${organizationId}::uuid`);
    await tx.execute(sql`
      insert into account_counts (organization_id, slot, visible, active_jit, active_scim, active_manual, suspended_jit, suspended_scim, suspended_manual, deprovisioned_jit, deprovisioned_scim, deprovisioned_manual, pending_approval_jit, pending_approval_scim, pending_approval_manual)
      select organization_id, roster_account_slot(id), count(*) filter (where status <> 'deprovisioned'), ${sql.join(counts, sql`, `)}
      from accounts where organization_id = ${organizationId}::uuid group by 1, 2`);
  });
}
