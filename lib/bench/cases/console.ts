import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertConnection } from '@/db/queries/connections';
import { upsertDormancyPolicy } from '@/db/queries/dormancy-policies';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import { parseAccountListParams } from '@/lib/console/account-list-params';
import { parseAuditListParams } from '@/lib/console/audit-list-params';
import { loadDormancyPage, loadSeatsPage } from '@/lib/console/governance-page';
import { loadJobsPage } from '@/lib/console/jobs-page';
import { loadAccountPage, loadAccountsPage, loadAuditPage, loadOverviewPage, loadPeoplePage } from '@/lib/console/page-data';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { summarize } from '../measure';

/**
 * The console's pages at 1M accounts: each page's data path (lib/console/page-data.ts, what the
 * page awaits before it renders) timed one request at a time, p50 and p95. The bar (issue 9): a
 * first render under 300 ms of server time. `ROSTER_BENCH_CONSOLE_ACCOUNTS` changes the size.
 *
 * Seeded in set-based SQL (setup, not measured): accounts of every status and source with names,
 * departments and last sign-ins spread over 120 days (a tenth never signed in), each drawn
 * independently (hashint4) so no filter's matches cluster along a sort order by construction, a sign-in identity
 * for each JIT account on one of two connections, a role held by a fifth of them, 50 groups with
 * 300k memberships, and an audit trail of a creation event per account plus 30 days of sign-ins,
 * admin actions and refusals.
 */
const ACCOUNTS = Number(process.env.ROSTER_BENCH_CONSOLE_ACCOUNTS ?? 1_000_000);
const CHUNK = 250_000;

async function seed(db: Database, log: (line: string) => void) {
  const org = await insertOrganization(db, { slug: 'console-bench', name: 'Console Bench' });
  const o = sql`${org.id}::uuid`;
  const oidc = await insertConnection(db, { organizationId: org.id, name: 'Entra ID', protocol: 'oidc', issuer: 'https://login.bench.test', clientId: 'roster' });
  const saml = await insertConnection(db, { organizationId: org.id, name: 'Okta', protocol: 'saml' });
  const engineering = await upsertRole(db, { organizationId: org.id, key: 'engineering', name: 'Engineering' });
  const admin = await upsertRole(db, { organizationId: org.id, key: 'admin', name: 'Administrator' });
  const started = performance.now();
  for (let from = 1; from <= ACCOUNTS; from += CHUNK) {
    const to = Math.min(ACCOUNTS, from + CHUNK - 1);
    // Triggers off for the seed (session_replication_role): the counter trigger's per-row upserts
    // would revisit 256 counter rows a million times in one transaction; the counts are set after.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
      insert into accounts (organization_id, status, source, user_name, email, display_name, department, title, last_login_at, last_activity_at, created_at)
      select ${o},
        (case when n % 20 < 18 then 'active' when n % 20 = 18 then 'suspended' when n % 40 = 19 then 'deprovisioned' else 'pending_approval' end)::account_status,
        (case when n % 20 < 12 then 'jit' when n % 20 < 19 then 'scim' else 'manual' end)::account_source,
        'user' || n || '@bench.test', 'user' || n || '@bench.test',
        (array['Alice','Bob','Carol','Dave','Erin','Frank','Grace','Heidi','Ivan','Judy'])[1 + abs(hashint4(n)) % 10] || ' ' || (array['Anders','Baker','Clark','Diaz','Evans','Fischer','Garcia','Hughes'])[1 + abs(hashint4(n + 7)) % 8] || ' ' || n,
        (array['Engineering','Sales','Support','Finance','People'])[1 + n % 5], 'Staff',
        case when abs(hashint4(n + 1)) % 10 = 0 then null else now() - (abs(hashint4(n + 2)) % 120) * interval '1 day' - (n % 1440) * interval '1 minute' end,
        case when abs(hashint4(n + 1)) % 10 = 0 then null else now() - (abs(hashint4(n + 2)) % 120) * interval '1 day' - (n % 1440) * interval '1 minute' end,
        now() - (n % 400) * interval '1 day'
      from generate_series(${from}::int, ${to}::int) as n`);
    });
    log(`  console seeded ${to.toLocaleString('en-US')} accounts (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await db.execute(sql`
    insert into account_counts (organization_id, slot, visible, active_jit, active_scim, active_manual, suspended_jit, suspended_scim, suspended_manual, deprovisioned_jit, deprovisioned_scim, deprovisioned_manual, pending_approval_jit, pending_approval_scim, pending_approval_manual)
    select organization_id, roster_account_slot(id), count(*) filter (where status <> 'deprovisioned'),
      ${sql.join(
        ['active', 'suspended', 'deprovisioned', 'pending_approval'].flatMap((status) => ['jit', 'scim', 'manual'].map((source) => sql`count(*) filter (where status = ${status} and source = ${source})`)),
        sql`, `,
      )}
    from accounts where organization_id = ${o} group by 1, 2`);
  await db.execute(sql`
    insert into external_identities (organization_id, connection_id, subject, account_id, last_login_at)
    select ${o}, case when a.n % 3 = 0 then ${saml.id}::uuid else ${oidc.id}::uuid end, 'sub-' || a.n, a.id, a.last_login_at
    from (select id, last_login_at, row_number() over () as n from accounts where organization_id = ${o} and source = 'jit') a`);
  await db.execute(sql`
    insert into role_assignments (organization_id, account_id, role_id, source, source_ref)
    select ${o}, id, ${engineering.id}::uuid, 'birthright', 'rule' from accounts where organization_id = ${o} and department = 'Engineering'`);
  await db.execute(sql`
    insert into role_assignments (organization_id, account_id, role_id, source, granted_by)
    select ${o}, id, ${admin.id}::uuid, 'manual', 'bench' from accounts where organization_id = ${o} and user_name in ('user1@bench.test', 'user2@bench.test', 'user3@bench.test')`);
  await db.execute(sql`insert into groups (organization_id, display_name) select ${o}, 'Group ' || g from generate_series(1, 50) g`);
  await db.execute(sql`
    insert into group_memberships (organization_id, group_id, account_id)
    select ${o}, g.id, a.id from (select id, row_number() over () as n from accounts where organization_id = ${o} limit 300000) a
    join (select id, row_number() over (order by display_name) as n from groups where organization_id = ${o}) g on g.n = 1 + a.n % 50`);
  // A dormancy policy (the overview's Dormant card, the dormancy and seats pages read it): 60 days
  // dormant, 90 suspended. The Sales suspended accounts (~10k at 1M) count as suspended for
  // dormancy, and the old Finance accounts (~50k) as warned: the dormant list's other two groups.
  await upsertDormancyPolicy(db, org.id, { enabled: true, dormantAfterDays: 60, suspendAfterDays: 90, deprovisionAfterDays: 30, neverSignedInAfterDays: 30, warnBeforeDays: 7, exemptRoleKeys: ['admin'], maxSharePercent: 10, maxCount: null }, 'bench');
  await db.execute(sql`update accounts set dormancy_suspended_at = created_at + interval '1 day' where organization_id = ${o} and status = 'suspended' and department = 'Sales'`);
  await db.execute(sql`update accounts set dormancy_warned_at = now() - interval '3 days' where organization_id = ${o} and status = 'active' and department = 'Finance' and last_activity_at < now() - interval '85 days'`);
  log('  console seeded identities, roles, groups, a dormancy policy');
  await db.execute(sql`
    insert into audit_events (organization_id, actor_type, action, target_type, target_id, created_at)
    select ${o}, (case when source = 'scim' then 'scim' else 'user' end)::actor_type, case when source = 'jit' then 'account.jit_created' else 'account.created' end, 'account', id::text, created_at
    from accounts where organization_id = ${o}`);
  await db.execute(sql`
    insert into audit_events (organization_id, actor_type, actor_id, action, target_type, target_id, data, created_at)
    select ${o}, 'user', null, 'login.succeeded', 'account', a.id::text, '{}'::jsonb, now() - (g % 30) * interval '1 day' - (g % 1440) * interval '1 minute'
    from generate_series(1, 300000) g join lateral (select id from accounts where organization_id = ${o} and user_name = 'user' || (1 + g * 7 % ${ACCOUNTS}) || '@bench.test') a on true`);
  await db.execute(sql`
    insert into audit_events (organization_id, actor_type, actor_id, action, target_type, target_id, data, created_at)
    select ${o}, 'admin'::actor_type, 'bench-admin', 'account.suspended', 'account', 'acct-' || g, '{"reason":"bench"}'::jsonb, now() - g * interval '1 minute' from generate_series(1, 2000) g
    union all
    select ${o}, 'user'::actor_type, null::text, 'login.rejected', null::text, null::text, '{"reason":"domain_not_allowed"}'::jsonb, now() - g * interval '3 minute' from generate_series(1, 2000) g`);
  log('  console seeded the audit trail; vacuum analyze');
  await db.execute(sql`vacuum analyze accounts, external_identities, role_assignments, groups, group_memberships, audit_events, account_counts`);
  const sample = await db.execute<{ id: string }>(sql`select id from accounts where organization_id = ${o} and user_name = ${`user${Math.floor(ACCOUNTS / 2) + 1}@bench.test`}`);
  const group = await db.execute<{ id: string }>(sql`select id from groups where organization_id = ${o} order by display_name limit 1`);
  return { organizationId: org.id, accountId: sample[0]?.id ?? '', groupId: group[0]?.id ?? '', connectionId: oidc.id };
}

export const consoleCase: BenchCase = {
  name: 'console',
  description: `the console's pages' data paths (lib/console/page-data.ts) with ${ACCOUNTS.toLocaleString('en-US')} accounts in the organization, one request at a time`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(10);
    try {
      const t = await seed(pool.db, ctx.log);
      const db = pool.db;
      // A list page renders once its rows are read; its exact total streams in after (timed apart, awaited before the next request).
      const accounts = (search: string) => () => loadAccountsPage(db, t.organizationId, parseAccountListParams(Object.fromEntries(new URLSearchParams(search))));
      const secondPage = async () => {
        const first = await loadAccountsPage(db, t.organizationId, parseAccountListParams({ sort: 'lastLoginAt' }));
        await first.total;
        return loadAccountsPage(db, t.organizationId, parseAccountListParams({ sort: 'lastLoginAt', cursor: first.page.nextCursor ?? undefined, page: 'next' }));
      };
      const audit = (search: string) => () => loadAuditPage(db, t.organizationId, parseAuditListParams(Object.fromEntries(new URLSearchParams(search))));
      const scenarios: [string, () => Promise<unknown>][] = [
        ['/admin (overview)', () => loadOverviewPage(db, t.organizationId, new Date())],
        ['/admin/accounts', accounts('')],
        ['/admin/accounts ?q=alice', accounts('q=alice')],
        ['/admin/accounts ?q=user50000', accounts('q=user50000')],
        ['/admin/accounts ?status=suspended&source=scim', accounts('status=suspended&source=scim')],
        ['/admin/accounts ?role=engineering', accounts('role=engineering')],
        [`/admin/accounts ?group=…`, accounts(`group=${t.groupId}`)],
        [`/admin/accounts ?connection=…`, accounts(`connection=${t.connectionId}`)],
        ['/admin/accounts ?never=1', accounts('never=1')],
        ['/admin/accounts ?from=…&to=… (30 days)', accounts(`from=${day(-45)}&to=${day(-15)}`)],
        ['/admin/accounts ?sort=createdAt&dir=desc', accounts('sort=createdAt&dir=desc')],
        ['/admin/accounts sort by sign-in, page 2 (both pages)', secondPage],
        ['/admin/accounts/[id]', () => loadAccountPage(db, t.organizationId, t.accountId)],
        ['/admin/audit', audit('')],
        ['/admin/audit ?action=account.suspended', audit('action=account.suspended')],
        ['/admin/audit ?actor=admin', audit('actor=admin')],
        ['/admin/audit ?q=domain', audit('q=domain')],
        ['/admin/people', () => loadPeoplePage(db, t.organizationId)],
        ['/admin/jobs', () => loadJobsPage(db, t.organizationId, {})],
        ['/admin/seats', () => loadSeatsPage(db, t.organizationId, new Date())],
        ['/admin/dormancy', () => loadDormancyPage(db, t.organizationId, { now: new Date(), group: 'dormant' })],
        ['/admin/dormancy ?group=warned', () => loadDormancyPage(db, t.organizationId, { now: new Date(), group: 'warned' })],
        ['/admin/dormancy ?group=suspended', () => loadDormancyPage(db, t.organizationId, { now: new Date(), group: 'suspended' })],
      ];
      const results: BenchResult[] = [];
      const count = Math.min(ctx.options.count, 60);
      const warmup = Math.min(ctx.options.warmup, 5);
      for (const [scenario, load] of scenarios) {
        const { render, complete } = await timePage(load, count, warmup);
        results.push({ case: 'console', scenario, ...render });
        ctx.log(`  console ${scenario}: p50 ${render.p50Ms} ms, p95 ${render.p95Ms} ms`);
        if (complete) {
          results.push({ case: 'console', scenario: `${scenario}: ${scenario.startsWith('/admin/seats') ? 'breakdown' : 'total'} streamed in`, ...complete });
          ctx.log(`  console ${scenario}, streamed part: p50 ${complete.p50Ms} ms, p95 ${complete.p95Ms} ms`);
        }
      }
      return results;
    } finally {
      await pool.close();
    }
  },
};

/**
 * One request at a time: the time until the page's data is there (what its first render waits
 * for) and, for list pages, until their streamed total is too; the next request starts after both.
 */
async function timePage(load: () => Promise<unknown>, count: number, warmup: number) {
  const render: number[] = [];
  const complete: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const started = performance.now();
    const data = await load();
    const rendered = performance.now();
    // What the page streams in after its first render: a list's total, the seat breakdown.
    const streamed = data as { total?: Promise<unknown>; breakdown?: Promise<unknown> } | null;
    const total = streamed?.total ?? streamed?.breakdown;
    if (total) await total;
    if (i < warmup) continue;
    render.push(rendered - started);
    if (total) complete.push(performance.now() - started);
  }
  const figures = (ms: number[]) => summarize({ latenciesMs: ms, wallMs: ms.reduce((a, b) => a + b, 0) }, 1);
  return { render: figures(render), complete: complete.length ? figures(complete) : null };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
