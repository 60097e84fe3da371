import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import { runRoleExpiry } from '@/lib/jobs/definitions/role-expiry';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';

/**
 * The role-expiry job over 100,000 lapsed grants (one per account, beside 100,000 grants still in
 * force that it must leave alone): its dry run, the run (batched DELETE … RETURNING through the
 * access gate, one role.expired event per grant), an idle tick (nothing lapsed), and the bare SQL
 * DELETE of the same grants, without and with its audit rows in one statement, for the ratios. One
 * run per scenario; OPS/S is grants per second.
 */
const GRANTS = 100_000;
const HOUR = 3_600_000;

/** Accounts with a lapsed grant and a grant in force each, in set-based statements (setup, not measured). */
async function seed(db: Database, organizationId: string, roles: { lapsed: string; inForce: string }, endedAt: Date) {
  await db.execute(sql`
    insert into accounts (organization_id, source, user_name, email)
    select ${organizationId}::uuid, 'manual', 'expiry' || n, 'expiry' || n || '@expiry.bench.test' from generate_series(1, ${GRANTS}) as n`);
  await grant(db, organizationId, roles.lapsed, endedAt);
  await db.execute(sql`
    insert into role_assignments (organization_id, account_id, role_id, source, granted_at, expires_at)
    select organization_id, id, ${roles.inForce}::uuid, 'manual', now(), ${new Date(endedAt.getTime() + 1000 * HOUR).toISOString()}::timestamptz from accounts where organization_id = ${organizationId}::uuid`);
  await db.execute(sql`vacuum analyze accounts, role_assignments`);
}

async function grant(db: Database, organizationId: string, roleId: string, endedAt: Date) {
  await db.execute(sql`
    insert into role_assignments (organization_id, account_id, role_id, source, granted_at, expires_at)
    select organization_id, id, ${roleId}::uuid, 'manual', now(), ${endedAt.toISOString()}::timestamptz from accounts where organization_id = ${organizationId}::uuid`);
  await db.execute(sql`analyze role_assignments`);
}

function result(scenario: string, count: number, ms: number): BenchResult {
  const round = (v: number) => Number(v.toFixed(2));
  const seconds = ms / 1000;
  return { case: 'role-expiry', scenario, count, concurrency: 1, seconds: Number(seconds.toFixed(3)), perSecond: Number((count / seconds).toFixed(1)), p50Ms: round(ms), p95Ms: round(ms), p99Ms: round(ms), meanMs: round(ms), maxMs: round(ms) };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

export const roleExpiryCase: BenchCase = {
  name: 'role-expiry',
  description: `the role-expiry job over ${GRANTS.toLocaleString('en-US')} lapsed grants (and as many in force)`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(2);
    try {
      const org = await insertOrganization(pool.db, { slug: 'expiry-bench', name: 'Expiry Bench' });
      const [lapsed, inForce] = [await upsertRole(pool.db, { organizationId: org.id, key: 'contractor', name: 'Contractor' }), await upsertRole(pool.db, { organizationId: org.id, key: 'member', name: 'Member' })];
      const endedAt = new Date(Date.now() + HOUR);
      await seed(pool.db, org.id, { lapsed: lapsed.id, inForce: inForce.id }, endedAt);
      ctx.log(`  role-expiry seeded ${GRANTS} accounts, a lapsed and an in-force grant each`);
      const now = new Date(endedAt.getTime() + 1000);
      const marks: number[] = [];
      const job = (dryRun: boolean) => runRoleExpiry({ db: pool.db, now, dryRun, organizationId: org.id, runId: randomUUID(), actor: { type: 'system', id: 'bench' } }, { afterBatch: () => void marks.push(performance.now()) });
      const results: BenchResult[] = [];
      const check = (scenario: string, got: number, want: number) => {
        if (got !== want) throw new Error(`bench role-expiry ${scenario}: expected ${want}, got ${got}`);
      };
      const [dry, dryMs] = await timed(() => job(true));
      check('dry run', dry.counts.revoke_role ?? 0, GRANTS);
      results.push(result('dry run (plan)', GRANTS, dryMs));
      const [real, realMs] = await timed(() => job(false));
      check('run', real.counts.revoke_role ?? 0, GRANTS);
      results.push(result('run (revoke + audit)', GRANTS, realMs));
      const gaps = marks.slice(1).map((m, i) => m - marks[i]!);
      if (gaps.length) ctx.log(`  role-expiry batches: first ${gaps[0]!.toFixed(0)} ms, last ${gaps.at(-1)!.toFixed(0)} ms (${marks.length} full batches)`);
      const [idle, idleMs] = await timed(() => job(false));
      check('idle tick', idle.counts.revoke_role ?? 0, 0);
      results.push(result('idle tick (nothing lapsed)', 1, idleMs));
      await grant(pool.db, org.id, lapsed.id, endedAt);
      const [, bareMs] = await timed(() => pool.db.execute(sql`delete from role_assignments where organization_id = ${org.id}::uuid and expires_at <= ${now.toISOString()}::timestamptz`));
      results.push(result('bare SQL delete (no audit)', GRANTS, bareMs));
      await grant(pool.db, org.id, lapsed.id, endedAt);
      const [, bareAuditMs] = await timed(() =>
        pool.db.execute(sql`
          with deleted as (delete from role_assignments where organization_id = ${org.id}::uuid and expires_at <= ${now.toISOString()}::timestamptz returning account_id, role_id, source, source_ref, expires_at)
          insert into audit_events (organization_id, actor_type, actor_id, action, target_type, target_id, data)
          select ${org.id}::uuid, 'system', 'bench', 'role.expired', 'account', d.account_id::text,
            jsonb_build_object('roleId', d.role_id, 'roleKey', 'contractor', 'source', d.source, 'sourceRef', d.source_ref, 'expiresAt', d.expires_at, 'runId', ${randomUUID()}::text)
          from deleted d`),
      );
      results.push(result('bare SQL delete + audit insert', GRANTS, bareAuditMs));
      for (const r of results) ctx.log(`  role-expiry ${r.scenario.padEnd(28)} ${r.count} in ${r.seconds.toFixed(2)} s`);
      ctx.log(`  role-expiry run / bare delete: ${(realMs / bareMs).toFixed(1)}x; run / bare delete + audit: ${(realMs / bareAuditMs).toFixed(1)}x`);
      return results;
    } finally {
      await pool.close();
    }
  },
};
