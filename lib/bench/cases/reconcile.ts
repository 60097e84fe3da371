import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { insertOrganization } from '@/db/queries/organizations';
import { countReconcileDiff } from '@/db/queries/reconcile-diff';
import { insertReconcileRun, updateRunningReconcileRun } from '@/db/queries/reconcile-runs';
import { analyzeStagedRecords, deleteStagedRecords } from '@/db/queries/reconcile-staging';
import { openReconcileSource } from '@/lib/reconcile/open-source';
import { matchKeysOf, remediationOf, spokenFields } from '@/lib/reconcile/policy';
import { runReconciliation } from '@/lib/reconcile/run';
import { createReconcileSource } from '@/lib/reconcile/sources';
import { stageRecords } from '@/lib/reconcile/stage';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { seedAccountsInChunks } from '../seed-accounts';

/**
 * Reconciliation end to end (a real run, the policy reporting only: parse the CSV with the real
 * reader, stage it with COPY, diff in SQL, record the findings) of an organization of N accounts
 * against a generated N-row HR export, against the bare SQL diff (the same classification
 * statement, counted and not stored) on the same staged data. The figures to watch: the ratio
 * end-to-end / bare diff (target at most 2x) and the process's peak RSS (target under 500 MB;
 * process.resourceUsage().maxRSS, the whole bench process so far). The file: per 200 accounts,
 * one absent (orphan), one "Terminated" (stale), two in another department (drift), one extra row
 * of a person with no account (missing); the rest agree. Seeding and writing the file are setup.
 */
const ROUNDS = 3;
const mapping = { columns: { 'Employee ID': 'employeeNumber', Email: 'email', Status: 'status', Department: 'department' }, statuses: { Active: 'active', Terminated: 'inactive' } } as const;

async function seed(db: Database, organizationId: string, total: number, log: (line: string) => void) {
  await seedAccountsInChunks(
    db,
    organizationId,
    total,
    (from, to) => sql`insert into accounts (organization_id, source, user_name, email, employee_number, department)
      select ${organizationId}::uuid, 'manual', 'r' || n || '@recon.bench.test', 'r' || n || '@recon.bench.test', 'E' || n, 'Dept ' || (n % 50)
      from generate_series(${from}::int, ${to}::int) as n`,
    (line) => log(`  reconcile${line}`),
  );
  await db.execute(sql`vacuum analyze accounts`);
}

/** The HR export, streamed to disk. Returns its path and the expected counts. */
async function writeExport(total: number): Promise<{ file: string; expected: Record<string, number>; rows: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-bench-reconcile-'));
  const file = path.join(dir, 'hr.csv');
  const out = createWriteStream(file);
  const expected = { matched: 0, drift: 0, orphan: 0, stale: 0, missing: 0, conflict: 0 };
  let rows = 0;
  let chunk: string[] = ['Employee ID,Email,Status,Department'];
  const flush = async () => {
    if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
    chunk = [];
  };
  for (let n = 1; n <= total; n++) {
    const k = n % 200;
    const email = `r${n}@recon.bench.test`;
    const department = k === 2 || k === 3 ? `"Moved, ${n % 7}"` : `Dept ${n % 50}`;
    if (k === 0) expected.orphan++;
    else {
      chunk.push(`E${n},${email},${k === 1 ? 'Terminated' : 'Active'},${department}`);
      rows++;
      if (k === 1) expected.stale++;
      else if (department.startsWith('"')) expected.drift++;
      else expected.matched++;
    }
    if (k === 4) {
      chunk.push(`N${n},new${n}@recon.bench.test,Active,Dept 1`);
      expected.missing++;
      rows++;
    }
    if (chunk.length >= 10_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { file, expected, rows };
}

function row(scenario: string, count: number, ms: number): BenchResult {
  const round = (v: number) => Number(v.toFixed(2));
  return { case: 'reconcile', scenario, count, concurrency: 1, seconds: Number((ms / 1000).toFixed(3)), perSecond: Number((count / (ms / 1000)).toFixed(1)), p50Ms: round(ms), p95Ms: round(ms), p99Ms: round(ms), meanMs: round(ms), maxMs: round(ms) };
}

async function measure(ctx: BenchContext, db: Database, total: number): Promise<BenchResult[]> {
  const label = total >= 1_000_000 ? `${total / 1_000_000}M` : `${total / 1000}k`;
  const org = await insertOrganization(db, { slug: `reconcile-${total}`, name: `Reconcile ${total}` });
  let t = performance.now();
  await seed(db, org.id, total, ctx.log);
  const { file, expected, rows } = await writeExport(total);
  ctx.log(`  reconcile ${label}: seeded and wrote ${rows.toLocaleString('en-US')} rows (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const source = await createReconcileSource(db, { organizationId: org.id, actor: { type: 'system', id: 'bench' }, source: { name: 'HR', kind: 'csv', mapping: { columns: { ...mapping.columns }, statuses: { ...mapping.statuses } } } });
  try {
    const ends: number[] = [];
    let last: Awaited<ReturnType<typeof runReconciliation>> | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      t = performance.now();
      const opened = await openReconcileSource(db, source, { file });
      last = await runReconciliation(db, { organizationId: org.id, source, records: opened.records, filePath: file, checksum: opened.checksum, dryRun: false, now: new Date(), actor: { type: 'system', id: 'bench' }, trigger: 'cli' });
      ends.push(performance.now() - t);
      if (last.outcome !== 'completed' || JSON.stringify(last.counts) !== JSON.stringify(expected)) throw new Error(`bench reconcile: expected ${JSON.stringify(expected)}, got ${last.outcome} ${JSON.stringify(last.counts)} ${last.haltReason ?? last.failureReason ?? ''}`);
    }
    const rss = process.resourceUsage().maxRSS / 1024;
    // The bare diff on the same staged data: stage once more (not measured), then the classification alone.
    const scratch = await insertReconcileRun(db, { organizationId: org.id, sourceId: source.id, dryRun: true, trigger: 'cli', startedBy: 'bench', asOf: new Date(), jobRunId: null, confirmsRunId: null, filePath: file });
    const opened = await openReconcileSource(db, source, { file });
    await stageRecords(db, scratch.id, opened.records);
    await analyzeStagedRecords(db, scratch.id);
    const bares: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      t = performance.now();
      const counts = await countReconcileDiff(db, { runId: scratch.id, keys: matchKeysOf(source), organizationId: org.id, asOfDate: new Date().toISOString().slice(0, 10), spoken: spokenFields(source.mapping), actions: remediationOf({}), previousRunId: null });
      bares.push(performance.now() - t);
      if ((counts.orphan ?? 0) !== expected.orphan || (counts.drift ?? 0) !== expected.drift) throw new Error(`bench reconcile: the bare diff found ${JSON.stringify(counts)}`);
    }
    await deleteStagedRecords(db, scratch.id);
    await updateRunningReconcileRun(db, scratch.id, { outcome: 'failed', failureReason: 'bench scratch run', finished: true });
    const [endMs, bareMs] = [Math.min(...ends), Math.min(...bares)];
    const all = (list: number[]) => list.map((ms) => (ms / 1000).toFixed(2)).join(', ');
    const timings = (last?.runId && (await db.execute<{ details: { timings?: Record<string, number> } }>(sql`select details from reconcile_runs where id = ${last.runId}::uuid`))[0]?.details.timings) || {};
    ctx.log(`  reconcile ${label} rounds: end to end ${all(ends)} s (last: read+stage ${((timings.readAndStageMs ?? 0) / 1000).toFixed(2)} s, diff+record ${((timings.diffMs ?? 0) / 1000).toFixed(2)} s); bare diff ${all(bares)} s`);
    ctx.log(`  reconcile ${label}: end to end ${(endMs / 1000).toFixed(2)} s, bare SQL diff ${(bareMs / 1000).toFixed(2)} s, ratio ${(endMs / bareMs).toFixed(2)}x; peak RSS ${rss.toFixed(0)} MB (${JSON.stringify(last?.counts)})`);
    return [row(`end to end (parse, stage, diff, record), ${label} rows`, rows, endMs), row(`bare SQL diff, ${label} staged rows`, rows, bareMs), { ...row(`peak RSS MB after ${label} (process)`, rows, rss), perSecond: 0 }];
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export const reconcileCase: BenchCase = {
  name: 'reconcile',
  description: 'reconciliation end to end (CSV reader, COPY staging, SQL diff, findings recorded) vs the bare SQL diff on the same staged data, 100k and 1M accounts and rows',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const pool = ctx.connect(4);
    try {
      const results: BenchResult[] = [];
      for (const total of ctx.options.reconcileSizes ?? [100_000, 1_000_000]) results.push(...(await measure(ctx, pool.db, total)));
      return results;
    } finally {
      await pool.close();
    }
  },
};
