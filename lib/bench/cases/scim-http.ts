import path from 'node:path';
import type { Database } from '@/db';
import { flushScimRequestLog } from '@/lib/scim/request-log';
import type { BenchCase, BenchContext, BenchResult } from '../bench-case';
import { measure, percentile, summarize, type Figures, type Sample } from '../measure';
import { insertRawAccount, reactivateRawAccounts, updateRawAccount } from '../http/ceilings';
import { startFloorServer } from '../http/floor';
import { startLoadGenerator, type LoadGenerator, type LoadRequest } from '../http/load';
import { ensureProductionBuild, startNextApp } from '../http/next-app';
import { profileScenario, type ProfiledScenario } from '../http/profile';
import { entraReplace, filterPath, get, listPath, oktaDeactivate, patch, post, userBody } from '../http/scim-requests';
import { activeSeedIds, seedUsers, settleDatabase, setUpTenant, type BenchTenant } from '../http/tenant';
import { httpTarget, inProcessTarget, scimHeaders, type Target } from '../http/targets';
import { cpuPerRequest, perRequest, postgresCpuMs, sampleCpu, type CpuPerRequest, type CpuSources } from '../http/process-cpu';

/**
 * SCIM 2.0 through the real server: server.ts (as `npm start` runs it; --scim-http-next: plain
 * `next start`, SCIM through the Next route) with the production build on the bench database,
 * driven over HTTP by a load generator in another process, at each size of --scim-http-sizes (users
 * seeded with COPY). Each figure has the same scenario in process (handleScimRequest) beside it, and the
 * writes the raw single-row ceilings of the same run (postgres.js, c8): POST against INSERT, PATCH
 * against UPDATE, in alternating rounds (ceiling, HTTP, in process) so a noisy stretch of a shared
 * machine hits all three. The Node HTTP floor (bare node:http, same generator) shows HTTP's own cost.
 * Each HTTP round also reads the CPU the server, PostgreSQL and the load generator used per request
 * (http/process-cpu.ts), so a figure splits into Node and the database.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const WRITE_CONCURRENCY = 8;
const ROUNDS = 3;
/** Rounds of each read (c1, a round lasts a second or two at --count 1000). */
const READ_ROUNDS = 5;
/** Raw statements are several times faster than SCIM writes: more of them, so a round of each lasts about as long. */
const RAW_PER_WRITE = 4;
/** Unmeasured requests per path before the first size: a server up for a while has long compiled its hot paths. */
const jitWarmup = (count: number) => Math.min(1000, 5 * count);
const PROFILED_REQUESTS = 3000;

type Env = { ctx: BenchContext; tenant: BenchTenant; db: Database; http: Target; inProcess: Target; seeded: number; cpu: CpuSources };
type Scenario = { concurrency: number; expect: number; make: (tag: string) => LoadRequest };

const median = <T>(rounds: T[], by: (r: T) => number) => [...rounds].sort((a, b) => by(a) - by(b))[Math.floor(rounds.length / 2)]!;
const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const random = (from: number, to: number) => from + Math.floor(Math.random() * (to - from + 1));

async function timed(env: Env, target: Target, scenario: Scenario, tag: string): Promise<Figures> {
  return (await timedWithCpu(env, target, scenario, tag)).figures;
}

/** Each figure's median over the rounds (`max` the largest, `count` a round's), for reads: their tails are what one noisy stretch moves. */
function medianFigures(rounds: Figures[]): Figures {
  const at = (k: keyof Figures) => median(rounds.map((r) => r[k]), (v) => v);
  return { count: rounds[0]!.count, concurrency: rounds[0]!.concurrency, seconds: at('seconds'), perSecond: at('perSecond'), p50Ms: at('p50Ms'), p95Ms: at('p95Ms'), p99Ms: at('p99Ms'), meanMs: at('meanMs'), maxMs: Math.max(...rounds.map((r) => r.maxMs)) };
}

/** The same, with the CPU per measured request of the server, PostgreSQL and the load generator (meaningful for the HTTP target). */
async function timedWithCpu(env: Env, target: Target, scenario: Scenario, tag: string): Promise<{ figures: Figures; cpu: CpuPerRequest; sample: Sample }> {
  const { count, warmup } = env.ctx.options;
  const list = (n: number, phase: string) => Array.from({ length: n }, (_, i) => scenario.make(`${tag}-${phase}-${i}`));
  if (warmup > 0) await target.run(list(warmup, 'w'), scenario.concurrency, scenario.expect);
  const before = sampleCpu(env.cpu);
  const sample = await target.run(list(count, 'm'), scenario.concurrency, scenario.expect);
  return { figures: summarize(sample, scenario.concurrency), cpu: cpuPerRequest(before, sampleCpu(env.cpu), count), sample };
}

/** Each field's median over the rounds (null when unknown). */
function medianCpu(rounds: Record<string, number | null>[]): Record<string, number | null> {
  const keys = Object.keys(rounds[0] ?? {});
  return Object.fromEntries(keys.map((k) => {
    const values = rounds.map((r) => r[k]).filter((v): v is number => v !== null && v !== undefined);
    return [k, values.length === rounds.length ? median(values, (v) => v) : null];
  }));
}

const cpuText = (cpu: Record<string, number | null>) =>
  Object.entries(cpu).map(([k, v]) => `${k.replace(/Ms$/, '')} ${v === null ? '-' : `${v} ms`}`).join(', ');

const row = (scenario: string, figures: Figures, extra: Partial<BenchResult> = {}): BenchResult => ({ case: 'scim-http', scenario, ...figures, ...extra });

/** A write against its ceiling in ROUNDS alternating rounds; each side's median round and the median of the rounds' HTTP/ceiling ratios. */
async function writeRounds(env: Env, name: string, ceilingName: string, ceiling: (tag: string) => Promise<unknown>, scenario: Scenario, size: string, beforeCeiling?: () => Promise<unknown>): Promise<BenchResult[]> {
  const { count, warmup } = env.ctx.options;
  const raws: Figures[] = [];
  const https: Figures[] = [];
  const locals: Figures[] = [];
  const rawCpu: Record<string, number | null>[] = [];
  const httpCpu: Record<string, number | null>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const tag = `${size}-${round}`;
    await beforeCeiling?.();
    const pgBefore = postgresCpuMs(env.cpu.postgres);
    const clientBefore = process.cpuUsage();
    raws.push(await measure({ count: count * RAW_PER_WRITE, warmup, concurrency: WRITE_CONCURRENCY }, (i, phase) => ceiling(`${tag}-${phase}-${i}`).then(() => undefined)));
    const client = process.cpuUsage(clientBefore);
    const ops = count * RAW_PER_WRITE + warmup; // measure's warm-up runs inside the readings
    rawCpu.push({ postgresMs: perRequest(pgBefore, postgresCpuMs(env.cpu.postgres), ops), clientMs: perRequest(0, (client.user + client.system) / 1000, ops) });
    const http = await timedWithCpu(env, env.http, scenario, `${tag}-h`);
    https.push(http.figures);
    httpCpu.push(http.cpu);
    locals.push(await timed(env, env.inProcess, scenario, `${tag}-p`));
  }
  const share = median(https.map((h, i) => h.perSecond / raws[i]!.perSecond), (r) => r);
  const [raw, http, local] = [raws, https, locals].map((rounds) => median(rounds, (r) => r.perSecond)) as [Figures, Figures, Figures];
  const [rawCpuMs, httpCpuMs] = [medianCpu(rawCpu), medianCpu(httpCpu)];
  env.ctx.log(`  ${name} (${size}) c${WRITE_CONCURRENCY}: HTTP ${http.perSecond}/s, in process ${local.perSecond}/s, ${ceilingName} ${raw.perSecond}/s: ${(100 * share).toFixed(0)}% of the ceiling`);
  env.ctx.log(`    CPU per request over HTTP: ${cpuText(httpCpuMs)}; per raw statement: ${cpuText(rawCpuMs)} (median of ${ROUNDS} rounds)`);
  return [
    row(`${ceilingName} (${size})`, raw, { cpuMsPerRequest: rawCpuMs }),
    row(`${name} (${size})`, http, { inProcess: local, ofCeilingPct: Number((100 * share).toFixed(1)), cpuMsPerRequest: httpCpuMs }),
  ];
}

/**
 * A read in READ_ROUNDS rounds, alternating HTTP and in process: each percentile is the median of the
 * rounds', as a write's rate is. A c1 tail is a few requests in a thousand, and one stretch of the
 * shared machine's noise (the bare node:http floor's own p99 ranged 0.4–3.1 ms between rounds of one
 * run) decided a single round's p99. The pooled percentiles and each round's p99 are kept beside it.
 */
async function read(env: Env, name: string, scenario: Scenario, size: string): Promise<BenchResult> {
  const https: Figures[] = [];
  const locals: Figures[] = [];
  const cpus: Record<string, number | null>[] = [];
  const latencies: number[] = [];
  for (let round = 0; round < READ_ROUNDS; round++) {
    const http = await timedWithCpu(env, env.http, scenario, `${size}-${round}-h`);
    https.push(http.figures);
    cpus.push(http.cpu);
    latencies.push(...http.sample.latenciesMs);
    locals.push(await timed(env, env.inProcess, scenario, `${size}-${round}-p`));
  }
  const [http, local, cpu] = [medianFigures(https), medianFigures(locals), medianCpu(cpus)];
  latencies.sort((a, b) => a - b);
  const pooled = { p95Ms: Number(percentile(latencies, 95).toFixed(2)), p99Ms: Number(percentile(latencies, 99).toFixed(2)) };
  const roundsP99Ms = https.map((r) => r.p99Ms);
  env.ctx.log(`  ${name} (${size}) c${scenario.concurrency}: HTTP p95 ${http.p95Ms} / p99 ${http.p99Ms} ms (median of ${READ_ROUNDS} rounds; rounds' p99 ${roundsP99Ms.join(', ')}; pooled p95 ${pooled.p95Ms} / p99 ${pooled.p99Ms}), in process p95 ${local.p95Ms} / p99 ${local.p99Ms} ms; CPU per request over HTTP: ${cpuText(cpu)}`);
  return row(`${name} (${size})`, http, { inProcess: local, cpuMsPerRequest: cpu, rounds: READ_ROUNDS, pooled, roundsP99Ms });
}

/** Hands out ids once each (a deactivation must find the account active), or round and round (`cycle`). */
function idPool(ids: string[], cycle: boolean) {
  let next = 0;
  const take = () => {
    if (!cycle && next >= ids.length) throw new Error(`bench: ${ids.length} active accounts were not enough; seed more (--scim-http-sizes) or lower --count`);
    return ids[next++ % ids.length]!;
  };
  /** The next n ids `take` will give, without taking them. */
  const peek = (n: number) => Array.from({ length: Math.min(n, ids.length) }, (_, i) => ids[(next + i) % ids.length]!);
  return Object.assign(take, { peek });
}

const filterScenario = (env: Env): Scenario => ({ concurrency: 1, expect: 200, make: () => get(filterPath(random(1, env.seeded))) });
/** A page of 100 at a random start: what an IdP's walk of the users asks. */
const listPage = (env: Env) => get(listPath(random(1, Math.max(1, env.seeded - 100))));
const oktaScenario = (take: () => string): Scenario => ({ concurrency: WRITE_CONCURRENCY, expect: 200, make: () => patch(`/Users/${take()}`, oktaDeactivate) });

async function atSize(env: Env, size: number): Promise<BenchResult[]> {
  const { ctx, tenant, db } = env;
  const label = sizeLabel(size);
  await seedUsers(db, tenant.organizationId, env.seeded + 1, size, ctx.log);
  env.seeded = Math.max(env.seeded, size);
  ctx.log(`  scim-http: ${env.seeded.toLocaleString('en-US')} users seeded`);
  const results = await writeRounds(env, 'POST /Users', 'raw insert (ceiling)', (tag) => insertRawAccount(db, tenant.organizationId, `raw-${tag}`), { concurrency: WRITE_CONCURRENCY, expect: 201, make: (tag) => post('/Users', userBody(`post-${tag}`)) }, label);

  const { count, warmup } = ctx.options;
  const perPatchRound = 2 * (count + warmup);
  // The update ceiling's rounds, for the Okta and the Entra PATCH alike, each take rows of their own
  // where the size allows; where it does not, the pool comes round again, and the rows are made
  // active before each round (reactivateRawAccounts) so no raw UPDATE finds its row already suspended.
  const perCeilingRound = RAW_PER_WRITE * count + warmup;
  const ids = await activeSeedIds(db, tenant.organizationId, ROUNDS * (perPatchRound + 2 * perCeilingRound));
  const okta = idPool(ids.slice(0, ROUNDS * perPatchRound), false);
  const rawIds = ids.slice(ROUNDS * perPatchRound);
  const rawPool = rawIds.length ? rawIds : ids;
  const rawUpdate = idPool(rawPool, true);
  const freshRows = async () => {
    const n = await reactivateRawAccounts(db, tenant.organizationId, rawUpdate.peek(perCeilingRound));
    if (n > 0) ctx.log(`  scim-http: ${n} rows of the update ceiling made active again (too few active accounts at ${label} for rows of its own)`);
  };
  const entraIds = idPool(ids, true);
  results.push(...(await writeRounds(env, 'PATCH active=false (Okta)', 'raw update (ceiling)', () => updateRawAccount(db, rawUpdate()), oktaScenario(okta), label, freshRows)));
  const entra: Scenario = { concurrency: WRITE_CONCURRENCY, expect: 200, make: (tag) => patch(`/Users/${entraIds()}`, entraReplace(tag)) };
  results.push(...(await writeRounds(env, 'PATCH multi-op replace (Entra)', 'raw update (ceiling, Entra rounds)', () => updateRawAccount(db, rawUpdate()), entra, label, freshRows)));

  // Reads are timed on a settled database: right after the write rounds (about 70,000 writes at
  // --count 1000), autovacuum is still working on `accounts`, and a c1 read's tail measured the
  // vacuum's share of the two CPUs, not the read (filter p95 2.0 against 1.2 ms settled).
  await settleDatabase(db);
  ctx.log(`  scim-http: database vacuumed and checkpointed before the reads (${label})`);
  results.push(await read(env, 'GET filter userName eq', filterScenario(env), label));
  results.push(await read(env, 'GET list page of 100', { concurrency: 1, expect: 200, make: () => listPage(env) }, label));
  return results;
}

async function floor(ctx: BenchContext, load: LoadGenerator): Promise<BenchResult[]> {
  const server = await startFloorServer();
  try {
    const results: BenchResult[] = [];
    for (const concurrency of [1, WRITE_CONCURRENCY]) {
      const requests = Array.from({ length: ctx.options.count * (concurrency === 1 ? 1 : RAW_PER_WRITE) }, () => get('/Users?filter=x'));
      await load.run({ baseUrl: server.baseUrl, concurrency, expect: 200, requests: requests.slice(0, ctx.options.warmup) });
      const figures = summarize(await load.run({ baseUrl: server.baseUrl, concurrency, expect: 200, requests }), concurrency);
      ctx.log(`  Node HTTP floor c${concurrency}: ${figures.perSecond}/s, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms`);
      results.push(row('Node HTTP floor (bare node:http)', figures));
    }
    return results;
  } finally {
    await server.stop();
  }
}

/** Unmeasured: every path the scenarios take, compiled by V8 in the server and in this process. */
async function warmUp(env: Env): Promise<void> {
  const n = jitWarmup(env.ctx.options.count);
  const entraIds = idPool(await activeSeedIds(env.db, env.tenant.organizationId, 1000), true);
  for (const target of [env.http, env.inProcess]) {
    const tag = target === env.http ? 'h' : 'p';
    await target.run(Array.from({ length: n }, (_, i) => post('/Users', userBody(`warm-${tag}-${i}`))), WRITE_CONCURRENCY, 201);
    await target.run(Array.from({ length: n }, (_, i) => patch(`/Users/${entraIds()}`, entraReplace(`warm-${tag}-${i}`))), WRITE_CONCURRENCY, 200);
    await target.run(Array.from({ length: n }, () => filterScenario(env).make('')), 1, 200);
    await target.run(Array.from({ length: Math.ceil(n / 5) }, () => listPage(env)), 1, 200);
  }
}

/** --scim-http-profile DIR: CPU profiles of the server for a filter GET and a list page (c1), an Okta and an Entra PATCH and a POST (c8), summarized by layer. */
async function profile(env: Env, load: LoadGenerator, dir: string): Promise<void> {
  // Each PATCH deactivates an account of its own: at a small size the measured rounds leave fewer
  // active than PROFILED_REQUESTS, so the profiled PATCHes are as many as there are left.
  const active = await activeSeedIds(env.db, env.tenant.organizationId, PROFILED_REQUESTS + 500);
  const patchWarmup = Math.min(500, Math.floor(active.length / 5));
  const patches = Math.min(PROFILED_REQUESTS, active.length - patchWarmup);
  const okta = idPool(active, false);
  const entra = idPool(await activeSeedIds(env.db, env.tenant.organizationId, 1000), true);
  const filter = filterScenario(env);
  const scenarios: (ProfiledScenario & { expect?: number })[] = [
    { name: 'filter-get', concurrency: 1, warmup: Array.from({ length: 1000 }, () => filter.make('')), requests: Array.from({ length: PROFILED_REQUESTS }, () => filter.make('')) },
    { name: 'list-get', concurrency: 1, warmup: Array.from({ length: 200 }, () => listPage(env)), requests: Array.from({ length: PROFILED_REQUESTS / 5 }, () => listPage(env)) },
    { name: 'patch-okta', concurrency: WRITE_CONCURRENCY, warmup: Array.from({ length: patchWarmup }, () => oktaScenario(okta).make('')), requests: Array.from({ length: patches }, () => oktaScenario(okta).make('')) },
    {
      name: 'patch-entra',
      concurrency: WRITE_CONCURRENCY,
      warmup: Array.from({ length: 500 }, (_, i) => patch(`/Users/${entra()}`, entraReplace(`prof-w-${i}`))),
      requests: Array.from({ length: PROFILED_REQUESTS }, (_, i) => patch(`/Users/${entra()}`, entraReplace(`prof-${i}`))),
    },
    {
      name: 'post-users',
      concurrency: WRITE_CONCURRENCY,
      expect: 201,
      warmup: Array.from({ length: 500 }, (_, i) => post('/Users', userBody(`prof-w-${i}`))),
      requests: Array.from({ length: PROFILED_REQUESTS }, (_, i) => post('/Users', userBody(`prof-${i}`))),
    },
  ];
  for (const scenario of scenarios) {
    const { file, summary } = await profileScenario({ root, databaseUrl: env.ctx.url, dir, load, headers: scimHeaders(env.tenant.token), scenario, expect: scenario.expect ?? 200, nextStart: env.ctx.options.scimHttpNext });
    env.ctx.log(`  profile ${scenario.name} (${scenario.requests.length} requests, c${scenario.concurrency}): ${summary.perRequestMs} ms of server CPU a request, ${summary.idleMs} ms idle; ${file}`);
    env.ctx.log(`    layer            self%  charged%  on-stack%`);
    for (const layer of summary.layers) env.ctx.log(`    ${layer.layer.padEnd(16)} ${String(layer.selfPct).padStart(5)}  ${String(layer.chargedPct).padStart(8)}  ${String(layer.onStackPct).padStart(9)}`);
    for (const top of summary.top) env.ctx.log(`    ${String(top.pct).padStart(5)}%  ${top.what}`);
  }
}

export const scimHttpCase: BenchCase = {
  name: 'scim-http',
  description: 'SCIM 2.0 over HTTP against the production server (server.ts; --scim-http-next: next start): POST, PATCH (Okta, Entra), filter, list at each size, beside in-process figures and raw ceilings',
  async run(ctx) {
    const sizes = [...(ctx.options.scimHttpSizes ?? [100_000])].sort((a, b) => a - b);
    ensureProductionBuild(root, { noBuild: ctx.options.noBuild ?? false, log: ctx.log });
    const handle = ctx.connect(10);
    const load = startLoadGenerator();
    // The in-process requests' log entries are written a batch at a time: flushed before the pool closes.
    const stops: (() => Promise<void>)[] = [flushScimRequestLog, handle.close, load.stop];
    try {
      const tenant = await setUpTenant(handle.db);
      const results = await floor(ctx, load);
      const nextStart = ctx.options.scimHttpNext ?? false;
      const app = await startNextApp({ root, databaseUrl: ctx.url, nextStart });
      stops.unshift(app.stop);
      ctx.log(`  ${nextStart ? 'next start (SCIM through the Next route)' : 'server.ts (SCIM served directly)'} on ${app.baseUrl} (pid ${app.pid})`);
      const cpu: CpuSources = { server: app.pid, loadGenerator: load.pid, postgres: ctx.postgresPid };
      const env: Env = { ctx, tenant, db: handle.db, http: httpTarget(load, app.baseUrl, tenant.token), inProcess: inProcessTarget(handle.db, tenant.token), seeded: 0, cpu };
      for (const [i, size] of sizes.entries()) {
        if (i === 0) {
          await seedUsers(handle.db, tenant.organizationId, 1, size, ctx.log);
          env.seeded = size;
          await warmUp(env);
        }
        results.push(...(await atSize(env, size)));
        if (i === 0 && ctx.options.scimHttpProfile) await profile(env, load, ctx.options.scimHttpProfile);
      }
      return results;
    } finally {
      for (const stop of stops) await stop().catch((error: unknown) => ctx.log(`  scim-http: stopping failed: ${String(error)}`));
    }
  },
};
