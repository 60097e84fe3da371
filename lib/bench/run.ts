import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase } from '@/db';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { table } from '@/lib/cli/format';
import { getEnv } from '@/lib/env';
import type { BenchCase, BenchContext, BenchOptions, BenchResult } from './bench-case';
import { bulkCase } from './cases/bulk';
import { cliCase } from './cases/cli';
import { consoleCase } from './cases/console';
import { dormancyCase } from './cases/dormancy';
import { jitCase } from './cases/jit';
import { reconcileCase } from './cases/reconcile';
import { roleExpiryCase } from './cases/role-expiry';
import { rulesCase } from './cases/rules';
import { samlCase } from './cases/saml';
import { scimCase } from './cases/scim';
import { scimHttpCase } from './cases/scim-http';

/**
 * `npm run bench [-- --count 400 --warmup 50 --concurrency 1,16 --case jit --dormancy-1m --reconcile-sizes 100000 --scim-http-sizes 10000,100000 --no-build --scim-http-profile DIR --scim-http-next]`
 * Real code paths against real Postgres, in a database of its own (`roster_bench`, recreated each run).
 * Add a case as lib/bench/cases/<name>.ts exporting a BenchCase, and register it here.
 */
const cases: BenchCase[] = [jitCase, samlCase, scimCase, bulkCase, consoleCase, roleExpiryCase, dormancyCase, rulesCase, cliCase, reconcileCase, scimHttpCase];
const DATABASE = 'roster_bench';
const root = path.resolve(import.meta.dirname, '../..');

/** Bad arguments: a one-line message and the usage, exit 2, no stack. */
class UsageError extends Error {}

const usage = () => `usage: npm run bench -- [options]
  --case NAME               run only this case (repeatable); cases: ${cases.map((c) => c.name).join(', ')}
  --count N                 operations per scenario (default 400)
  --warmup N                warm-up operations before each scenario (default 50)
  --concurrency A,B         concurrencies to run each scenario at (default 1,16)
  --dormancy-1m             dormancy: also sweep a million accounts
  --reconcile-sizes A,B     reconcile: directory sizes (default 100000,1000000)
  --scim-http-sizes A,B     scim-http: users stored at each measurement (default 100000)
  --scim-http-profile DIR   scim-http: CPU-profile the server per scenario into DIR
  --scim-http-next          scim-http: serve SCIM through the Next route (next start), not server.ts
  --no-build                scim-http: reuse the existing production build
  --help                    this text
Prints a table, then one line: BENCH_JSON {...}.`;

function parseOptions(): BenchOptions & { only: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ options: optionSpec });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    process.exit(0);
  }
  return readOptions(values);
}

const optionSpec = {
  count: { type: 'string', default: '400' },
  warmup: { type: 'string', default: '50' },
  concurrency: { type: 'string', default: '1,16' },
  case: { type: 'string', multiple: true },
  'dormancy-1m': { type: 'boolean', default: false },
  'reconcile-sizes': { type: 'string', default: '100000,1000000' },
  'scim-http-sizes': { type: 'string', default: '100000' },
  'scim-http-profile': { type: 'string' },
  'no-build': { type: 'boolean', default: false },
  'scim-http-next': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function readOptions(values: ReturnType<typeof parseArgs<{ options: typeof optionSpec }>>['values']): BenchOptions & { only: string[] } {
  const int = (raw: string, name: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number`);
    return n;
  };
  const concurrencies = values.concurrency.split(',').map((c) => int(c.trim(), 'concurrency'));
  const only = values.case ?? [];
  const unknown = only.filter((name) => !cases.some((c) => c.name === name));
  if (unknown.length) throw new UsageError(`unknown case ${unknown.join(', ')}; known: ${cases.map((c) => c.name).join(', ')}`);
  const reconcileSizes = values['reconcile-sizes'].split(',').map((c) => int(c.trim(), 'reconcile-sizes'));
  if (reconcileSizes.some((n) => n < 1000)) throw new UsageError('--reconcile-sizes: each size is at least 1000 accounts');
  const scimHttpSizes = values['scim-http-sizes'].split(',').map((c) => int(c.trim(), 'scim-http-sizes'));
  if (scimHttpSizes.some((n) => n < 1000)) throw new UsageError('--scim-http-sizes: each size is at least 1000 users');
  return {
    count: Math.max(1, int(values.count, 'count')),
    warmup: int(values.warmup, 'warmup'),
    concurrencies,
    only,
    dormancyMillion: values['dormancy-1m'],
    reconcileSizes,
    scimHttpSizes,
    noBuild: values['no-build'],
    scimHttpProfile: values['scim-http-profile'],
    scimHttpNext: values['scim-http-next'],
  };
}

/** DATABASE_URL's server when set, else this checkout's embedded Postgres (reused, or started and later stopped). */
async function openServer() {
  const configured = getEnv().DATABASE_URL;
  if (configured) {
    const at = (database: string) => Object.assign(new URL(configured), { pathname: `/${database}` }).toString();
    return { url: at, stop: async () => undefined, embedded: false, pid: null };
  }
  const server = await startEmbeddedPostgres({ root });
  return { url: server.url, stop: server.stop, embedded: true, pid: server.pid };
}

function report(results: BenchResult[]): string {
  return table(results, [
    ['CASE', (r) => r.case],
    ['SCENARIO', (r) => r.scenario],
    ['CONC', (r) => r.concurrency],
    ['COUNT', (r) => r.count],
    ['OPS/S', (r) => r.perSecond.toFixed(1)],
    ['P50 MS', (r) => r.p50Ms.toFixed(2)],
    ['P95 MS', (r) => r.p95Ms.toFixed(2)],
    ['P99 MS', (r) => r.p99Ms.toFixed(2)],
    ['MEAN MS', (r) => r.meanMs.toFixed(2)],
    ['MAX MS', (r) => r.maxMs.toFixed(2)],
    // scim-http: the same scenario in process, and the share of the raw ceiling (only when a row has them).
    ...(results.some((r) => r.inProcess)
      ? ([
          ['IN-PROC OPS/S', (r) => r.inProcess?.perSecond.toFixed(1)],
          ['IN-PROC P95', (r) => r.inProcess?.p95Ms.toFixed(2)],
          ['IN-PROC P99', (r) => r.inProcess?.p99Ms.toFixed(2)],
          ['% CEILING', (r) => r.ofCeilingPct?.toFixed(1)],
        ] as [string, (r: BenchResult) => string | undefined][])
      : []),
  ]);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const server = await openServer();
  try {
    await ensureDatabase(server.url('postgres'), DATABASE, { recreate: true });
    await runMigrations(server.url(DATABASE));
    const ctx: BenchContext = {
      options,
      connect: (max) => {
        const handle = createDatabase(server.url(DATABASE), { max });
        return { db: handle.db, close: () => handle.sql.end({ timeout: 5 }) };
      },
      log,
      url: server.url(DATABASE),
      postgresPid: server.pid,
    };
    const probe = createDatabase(server.url(DATABASE), { max: 1 });
    const [version] = await probe.sql<{ server_version: string }[]>`show server_version`.finally(() => probe.sql.end({ timeout: 5 }));
    log(`roster bench: ${options.count} operations per scenario after ${options.warmup} warm-up, concurrency ${options.concurrencies.join(', ')}`);
    const results: BenchResult[] = [];
    for (const benchCase of cases.filter((c) => options.only.length === 0 || options.only.includes(c.name))) {
      log(`${benchCase.name}: ${benchCase.description}`);
      results.push(...(await benchCase.run(ctx)));
    }
    const { count, warmup, concurrencies } = options;
    const environment = { node: process.version, postgres: version?.server_version ?? null, embedded: server.embedded, cpus: cpus().length };
    process.stdout.write(`${report(results)}\n`);
    process.stdout.write(`BENCH_JSON ${JSON.stringify({ at: new Date().toISOString(), ...environment, count, warmup, concurrencies, results })}\n`);
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
