import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { Actor } from '@/lib/audit/record-event';
import { BULK_HARD_CAP } from '@/lib/lifecycle/bulk/limits';
import { runBulkAction } from '@/lib/lifecycle/bulk/run-bulk-action';
import type { BulkInput, BulkReport } from '@/lib/lifecycle/bulk/types';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';

/**
 * The console's bulk actions (runBulkAction) over 10,000 accounts (the hard cap), each with a live
 * session: a dry run, then suspend (sessions revoked), the same again (all unchanged), restore, a
 * time-bound grant and its revoke. One run per scenario, after an unmeasured warm-up run over
 * other accounts; the latency columns are the whole run, OPS/S is accounts per second.
 */
const ACCOUNTS = BULK_HARD_CAP;
const WARMUP = 1_000;

/**
 * Accounts with a live session each, in one statement apiece (setup, not measured; like the scim
 * case's seed, the one write outside lib/lifecycle: 10k accounts through the commands would take
 * longer than what is measured).
 */
async function seed(db: Database, organizationId: string, prefix: string, total: number): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    insert into accounts (organization_id, source, user_name, email, display_name)
    select ${organizationId}::uuid, 'manual', ${prefix} || n, ${prefix} || n || '@bulk.bench.test', 'Bulk ' || n
    from generate_series(1, ${total}) as n
    returning id`);
  await db.execute(sql`
    insert into sessions (organization_id, account_id, expires_at)
    select ${organizationId}::uuid, a.id, now() + interval '8 hours' from accounts a where a.organization_id = ${organizationId}::uuid and a.user_name like ${`${prefix}%`}`);
  await db.execute(sql`vacuum analyze accounts, sessions, role_assignments`);
  return rows.map((r) => r.id);
}

export const bulkCase: BenchCase = {
  name: 'bulk',
  description: `bulk actions of the console (runBulkAction) over ${ACCOUNTS.toLocaleString('en-US')} accounts with a live session each`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(4);
    try {
      const org = await insertOrganization(pool.db, { slug: 'bulk-bench', name: 'Bulk Bench' });
      await upsertRole(pool.db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
      const [warm, ids] = [await seed(pool.db, org.id, 'warm', WARMUP), await seed(pool.db, org.id, 'bulk', ACCOUNTS)];
      ctx.log(`  bulk seeded ${ACCOUNTS + WARMUP} accounts, a live session each`);
      const actor: Actor = { type: 'admin', id: randomUUID() };
      const bulk = (accountIds: string[], input: Pick<BulkInput, 'action' | 'roleKey' | 'expiresAt' | 'dryRun'>) =>
        runBulkAction(pool.db, { organizationId: org.id, accountIds, confirmOver: accountIds.length, reason: 'bench', ...input }, { actor, now: new Date() });
      await bulk(warm, { action: 'suspend', dryRun: false });
      await bulk(warm, { action: 'restore', dryRun: false });

      const results: BenchResult[] = [];
      const until = new Date(Date.now() + 30 * 86_400_000);
      const scenarios: [string, Pick<BulkInput, 'action' | 'roleKey' | 'expiresAt' | 'dryRun'>, keyof BulkReport['byOutcome']][] = [
        ['suspend, dry run', { action: 'suspend', dryRun: true }, 'suspended'],
        ['suspend', { action: 'suspend', dryRun: false }, 'suspended'],
        ['suspend again (unchanged)', { action: 'suspend', dryRun: false }, 'already_suspended'],
        ['restore', { action: 'restore', dryRun: false }, 'restored'],
        ['grant role until a date', { action: 'grant_role', roleKey: 'auditor', expiresAt: until, dryRun: false }, 'granted'],
        ['revoke role', { action: 'revoke_role', roleKey: 'auditor', dryRun: false }, 'revoked'],
      ];
      for (const [scenario, input, expected] of scenarios) {
        const started = performance.now();
        const report = await bulk(ids, input);
        const ms = performance.now() - started;
        if (report.byOutcome[expected] !== ACCOUNTS) throw new Error(`bench bulk ${scenario}: expected ${ACCOUNTS} ${expected}, got ${JSON.stringify(report.byOutcome)}`);
        const seconds = ms / 1000;
        ctx.log(`  bulk ${scenario.padEnd(26)} ${ACCOUNTS} accounts in ${seconds.toFixed(2)} s (${(ACCOUNTS / seconds).toFixed(0)}/s)`);
        const round = (v: number) => Number(v.toFixed(2));
        results.push({ case: 'bulk', scenario, count: ACCOUNTS, concurrency: 1, seconds: Number(seconds.toFixed(3)), perSecond: Number((ACCOUNTS / seconds).toFixed(1)), p50Ms: round(ms), p95Ms: round(ms), p99Ms: round(ms), meanMs: round(ms), maxMs: round(ms) });
      }
      return results;
    } finally {
      await pool.close();
    }
  },
};
