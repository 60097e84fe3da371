import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { insertOrganization } from '@/db/queries/organizations';
import { upsertRole } from '@/db/queries/roles';
import type { Actor } from '@/lib/audit/record-event';
import { applyRuleChange } from '@/lib/lifecycle/rules/apply-rule-change';
import { previewRuleChange } from '@/lib/lifecycle/rules/preview-rule-change';
import type { RuleChange } from '@/lib/lifecycle/rules/rule-change';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { measure } from '../measure';
import { seedAccountsInChunks } from '../seed-accounts';

/**
 * Birthright rule previews (previewRuleChange: which accounts gain and lose which roles, in SQL)
 * over an organization of 100,000 accounts (five departments, four titles, sign-in groups, an extra
 * attribute), one rule already applied to a fifth of them; and the set-based apply of a new rule
 * (once: it grants a fifth of the organization through the gate, audited). The bar: a
 * preview at 100k accounts well under a second.
 */
const ACCOUNTS = 100_000;
const RUNS = 20;
const WARMUP = 3;

const rule = (name: string, roleKey: string, conditions: Extract<RuleChange, { kind: 'create' }>['rule']['conditions']): RuleChange => ({ kind: 'create', rule: { name, roleKey, conditions } });

export const rulesCase: BenchCase = {
  name: 'rules',
  description: `birthright rule previews and apply over ${ACCOUNTS.toLocaleString('en-US')} accounts`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(4);
    try {
      const org = await insertOrganization(pool.db, { slug: 'rules-bench', name: 'Rules Bench' });
      for (const key of ['engineer', 'seller', 'manager', 'cost-center']) await upsertRole(pool.db, { organizationId: org.id, key, name: key });
      await seedAccountsInChunks(
        pool.db,
        org.id,
        ACCOUNTS,
        (from, to) => sql`
          insert into accounts (organization_id, source, user_name, email, display_name, department, title, login_groups, extra_attributes)
          select ${org.id}::uuid, 'manual', 'r' || n, 'r' || n || '@rules.bench.test', 'Rule ' || n,
            (array['Engineering', 'Sales', 'Marketing', 'Finance', 'Support'])[1 + n % 5], (array['Engineer', 'Senior Engineer', 'Manager', 'Director'])[1 + n % 4],
            array['everyone', 'team-' || (n % 50)], jsonb_build_object('costCenter', (n % 100)::text)
          from generate_series(${from}::int, ${to}::int) as n`,
        ctx.log,
      );
      await pool.db.execute(sql`vacuum analyze accounts, role_assignments`);
      const actor: Actor = { type: 'admin', id: randomUUID() };
      const engineers = rule('Engineers', 'engineer', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'engineering' }] });
      const results: BenchResult[] = [];
      const round = (v: number) => Number(v.toFixed(2));
      const once = async (scenario: string, work: () => Promise<number>) => {
        const started = performance.now();
        const changed = await work();
        const ms = performance.now() - started;
        ctx.log(`  rules ${scenario.padEnd(40)} ${changed.toLocaleString('en-US')} accounts in ${(ms / 1000).toFixed(2)} s`);
        results.push({ case: 'rules', scenario, count: 1, concurrency: 1, seconds: round(ms / 1000), perSecond: round(1000 / ms), p50Ms: round(ms), p95Ms: round(ms), p99Ms: round(ms), meanMs: round(ms), maxMs: round(ms) });
      };
      await once('apply a new rule (20k accounts gain)', async () => (await applyRuleChange(pool.db, org.id, engineers, { actor }, { dryRun: false, confirmOver: ACCOUNTS / 5 })).granted);
      await pool.db.execute(sql`vacuum analyze role_assignments, audit_events`);

      const previews: [string, RuleChange][] = [
        ['preview: create (title starts with senior)', rule('Seniors', 'manager', { match: 'all', conditions: [{ attribute: 'title', op: 'startsWith', value: 'senior' }] })],
        ['preview: create (groups in 10 teams, any)', rule('Teams', 'seller', { match: 'any', conditions: [{ attribute: 'groups', op: 'in', value: Array.from({ length: 10 }, (_, i) => `team-${i}`) }, { attribute: 'department', op: 'eq', value: 'sales' }] })],
        ['preview: create (extra.costCenter in 5)', rule('Cost centers', 'cost-center', { match: 'all', conditions: [{ attribute: 'extra.costCenter', op: 'in', value: ['1', '2', '3', '4', '5'] }] })],
        ['preview: update applied rule (move 20k)', { kind: 'update', rule: 'Engineers', set: { conditions: { match: 'all', conditions: [{ attribute: 'department', op: 'contains', value: 'sales' }] } } }],
        ['preview: disable applied rule (20k lose)', { kind: 'update', rule: 'Engineers', set: { enabled: false } }],
      ];
      for (const [scenario, change] of previews) {
        let accounts = 0;
        const figures = await measure({ count: RUNS, warmup: WARMUP, concurrency: 1 }, async () => {
          accounts = (await previewRuleChange(pool.db, org.id, change)).counts.accounts;
        });
        if (accounts === 0) throw new Error(`bench rules ${scenario}: the preview found no account`);
        ctx.log(`  rules ${scenario.padEnd(40)} ${accounts.toLocaleString('en-US')} accounts, p50 ${figures.p50Ms} ms, max ${figures.maxMs} ms`);
        results.push({ case: 'rules', scenario, ...figures });
      }
      return results;
    } finally {
      await pool.close();
    }
  },
};
