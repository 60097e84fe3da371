import { execFile } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { insertOrganization } from '@/db/queries/organizations';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { measure } from '../measure';

/**
 * The CLI's wall time per call, as a script sees it: `node lib/cli/roster.mjs <read> --json` in a
 * process of its own, against the running bench database (DATABASE_URL), for reads of a small
 * organization, and `help` (no database). The first call (unmeasured) may build the CLI's bundle.
 * The bar: a read answers well under a second. `npx roster` adds npm's own start (about a
 * second on a busy machine); call node_modules/.bin/roster or the launcher directly in scripts.
 */
const RUNS = 10;
const launcher = path.resolve(import.meta.dirname, '../../cli/roster.mjs');

function run(args: string[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [launcher, ...args], { env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`roster ${args.join(' ')}: ${stderr || error.message}`)) : resolve()));
  });
}

export const cliCase: BenchCase = {
  name: 'cli',
  description: 'wall time of one CLI call (a process per call) that only reads, against the running database',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(1);
    try {
      const org = await insertOrganization(pool.db, { slug: 'cli-bench', name: 'CLI Bench' });
      await pool.db.execute(sql`insert into accounts (organization_id, source, user_name) select ${org.id}::uuid, 'manual', 'cli' || n from generate_series(1, 200) n`);
    } finally {
      await pool.close();
    }
    const results: BenchResult[] = [];
    const scenarios: [string, string[]][] = [
      ['help (no database)', ['help']],
      ['accounts list --json', ['accounts', 'list', '--org', 'cli-bench', '--json']],
      ['org list --json', ['org', 'list', '--json']],
      ['rule list --json', ['rule', 'list', '--org', 'cli-bench', '--json']],
      ['role list --json', ['role', 'list', '--org', 'cli-bench', '--json']],
    ];
    for (const [scenario, args] of scenarios) {
      const figures = await measure({ count: RUNS, warmup: 1, concurrency: 1 }, () => run(args, ctx.url));
      ctx.log(`  cli ${scenario.padEnd(24)} p50 ${figures.p50Ms} ms, max ${figures.maxMs} ms`);
      results.push({ case: 'cli', scenario, ...figures });
    }
    return results;
  },
};
