import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertOrganization } from '@/db/queries/organizations';
import { setDormancyPolicy } from '@/lib/governance/dormancy/policy';
import { runDormancySweep } from '@/lib/governance/dormancy/sweep';
import { setNotifyTransport } from '@/lib/governance/notify';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { recountAccounts, seedAccountsInChunks } from '../seed-accounts';

/**
 * The dormancy sweep (a real run, not dry) over generated organizations of 100k and (with
 * --dormancy-1m) 1M accounts, against the bare SQL UPDATE that suspends the same accounts on the
 * same data. A tenth of the accounts were last active 120 days ago (suspended: suspend after 90), a
 * tenth 70 days ago (dormant only), a tenth never signed in and were created 10 days ago, the rest
 * were active within 30 days; a tenth have a live session. The ratio sweep / bare update is the
 * figure to watch (target: at most 2x). Also timed: a dry run (the plan with every account and its
 * clause), and the next day's sweep with nothing due (the steady state: the scan and checks). Seeding is setup, not measured (generate_series in chunks
 * with triggers off, lib/bench/seed-accounts.ts; the one write outside lib/lifecycle). 1M stays
 * behind a flag for the time its seed and sweeps take.
 */
const DAY = 86_400_000;
const ROUNDS = 2;

async function seed(db: Database, organizationId: string, total: number, log: (line: string) => void) {
  await seedAccountsInChunks(
    db,
    organizationId,
    total,
    (from, to) => sql`
    insert into accounts (organization_id, source, user_name, email, created_at, first_login_at, last_activity_at)
    select ${organizationId}::uuid, 'scim', 'd' || n, 'd' || n || '@dormancy.bench.test',
      case when n % 10 = 2 then now() - interval '10 days' else now() - interval '400 days' end,
      a.at, a.at
    from generate_series(${from}::int, ${to}::int) as n,
      lateral (select case n % 10 when 0 then now() - interval '120 days' when 1 then now() - interval '70 days' when 2 then null
        else now() - (n % 30) * interval '1 day' end as at) a`,
    (line) => log(`  dormancy${line}`),
  );
  await db.execute(sql`insert into sessions (organization_id, account_id, expires_at)
    select ${organizationId}::uuid, a.id, now() + interval '8 hours' from accounts a where a.organization_id = ${organizationId}::uuid and a.user_name like '%3'`);
  await db.execute(sql`vacuum analyze accounts, sessions`);
}

/** Puts the suspended accounts back as they were (not measured), so the bare update finds the same set. */
async function reset(db: Database, organizationId: string) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`update accounts set status = 'active', deactivated_at = null, dormancy_suspended_at = null
      where organization_id = ${organizationId}::uuid and dormancy_suspended_at is not null`);
  });
  await recountAccounts(db, organizationId);
  await db.execute(sql`vacuum analyze accounts`);
}

function row(scenario: string, count: number, ms: number): BenchResult {
  const round = (v: number) => Number(v.toFixed(2));
  return { case: 'dormancy', scenario, count, concurrency: 1, seconds: Number((ms / 1000).toFixed(3)), perSecond: Number((count / (ms / 1000)).toFixed(1)), p50Ms: round(ms), p95Ms: round(ms), p99Ms: round(ms), meanMs: round(ms), maxMs: round(ms) };
}

async function measure(ctx: BenchContext, db: Database, total: number): Promise<BenchResult[]> {
  const org = await insertOrganization(db, { slug: `dormancy-${total}`, name: `Dormancy ${total}` });
  const started = performance.now();
  await seed(db, org.id, total, ctx.log);
  ctx.log(`  dormancy seeded ${total.toLocaleString('en-US')} accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await setDormancyPolicy(db, { organizationId: org.id, policy: { dormantAfterDays: 60, suspendAfterDays: 90, deprovisionAfterDays: 30, neverSignedInAfterDays: 45, maxSharePercent: 100 }, actor: { type: 'system', id: 'bench' } });
  const now = new Date();
  const cutoff = new Date(now.getTime() - 90 * DAY).toISOString();
  // Alternating rounds on the same data (reset between, not measured); the best of each is
  // reported, as the machine may be shared.
  const sweep = (dryRun: boolean) => runDormancySweep({ db, now, dryRun, organizationId: org.id, runId: randomUUID(), actor: { type: 'system', id: 'dormancy' }, confirmed: null });
  const timed = async (dryRun: boolean) => {
    const t = performance.now();
    const run = await sweep(dryRun);
    return { run, ms: performance.now() - t };
  };
  const dry = await timed(true);
  const sweeps: number[] = [];
  const bares: number[] = [];
  let suspended = 0;
  let idle = { ms: 0, run: dry.run };
  for (let round = 0; round < ROUNDS; round++) {
    const { run, ms } = await timed(false);
    sweeps.push(ms);
    suspended = run.counts.suspend ?? 0;
    if (suspended !== total / 10) throw new Error(`bench dormancy: expected ${total / 10} suspended, got ${JSON.stringify(run.counts)}`);
    // The steady state: the next day's sweep, with what was due already done (the scan and the checks only).
    if (round === ROUNDS - 1) idle = await timed(false);
    await reset(db, org.id);
    const t1 = performance.now();
    const bare = await db.execute(sql`update accounts set status = 'suspended', deactivated_at = ${now.toISOString()}::timestamptz, dormancy_suspended_at = ${now.toISOString()}::timestamptz
      where organization_id = ${org.id}::uuid and status = 'active' and coalesce(last_activity_at, created_at) <= ${cutoff}::timestamptz returning id`);
    bares.push(performance.now() - t1);
    if (bare.length !== suspended) throw new Error(`bench dormancy: the bare update suspended ${bare.length}, the sweep ${suspended}`);
    await reset(db, org.id);
  }
  const [sweepMs, bareMs] = [Math.min(...sweeps), Math.min(...bares)];
  const all = (list: number[]) => list.map((ms) => (ms / 1000).toFixed(2)).join(', ');
  ctx.log(`  dormancy rounds: sweep ${all(sweeps)} s; bare update ${all(bares)} s`);
  const label = `${(total / 1000).toLocaleString('en-US')}k accounts`;
  ctx.log(`  dormancy ${label}: sweep ${(sweepMs / 1000).toFixed(2)} s, bare update ${(bareMs / 1000).toFixed(2)} s, ratio ${(sweepMs / bareMs).toFixed(2)}x (${suspended.toLocaleString('en-US')} suspended)`);
  if ((idle.run.counts.suspend ?? 0) !== 0) throw new Error(`bench dormancy: the second sweep found more to do: ${JSON.stringify(idle.run.counts)}`);
  ctx.log(`  dormancy ${label}: dry run ${(dry.ms / 1000).toFixed(2)} s (${dry.run.planned?.length ?? 0} planned); sweep with nothing due ${(idle.ms / 1000).toFixed(2)} s`);
  return [
    row(`sweep, ${label}`, suspended, sweepMs),
    row(`bare UPDATE, ${label}`, suspended, bareMs),
    row(`dry run, ${label}`, total, dry.ms),
    row(`sweep, nothing due, ${label}`, total, idle.ms),
  ];
}

export const dormancyCase: BenchCase = {
  name: 'dormancy',
  description: 'the dormancy sweep (real run) over 100k accounts (and 1M with --dormancy-1m) vs the bare SQL UPDATE suspending the same set',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(4);
    const previous = setNotifyTransport(() => undefined);
    try {
      const results = await measure(ctx, pool.db, 100_000);
      if (ctx.options.dormancyMillion) results.push(...(await measure(ctx, pool.db, 1_000_000)));
      return results;
    } finally {
      setNotifyTransport(previous);
      await pool.close();
    }
  },
};
