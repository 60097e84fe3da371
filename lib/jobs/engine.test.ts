import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJobRuns } from '@/db/queries/job-runs';
import { organizations as organizationsTable } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { startJobEngine, type EngineOptions, type JobEngine } from './engine';
import { fanOut, tickJobId } from './fan-out';
import type { JobDefinition, JobInput } from './types';

/**
 * The engine on real pg-boss against the test database, in a pg-boss schema of this file's own.
 * pg-boss polls (0.5 s here, its minimum), so the tests wait for an event (a run recorded, a job
 * completed) with a bound, never for time itself; the jobs' clock is injected.
 */
const db = testDb();
const url = process.env.DATABASE_URL!;
const schema = `pgboss_test_${randomUUID().slice(0, 8)}`;
const clock = () => new Date('2032-01-01T00:00:00Z');
const engines: JobEngine[] = [];

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop({ timeoutMs: 5000 })));
  await db.execute(sql.raw(`drop schema if exists "${schema}" cascade`));
  await closeTestDb();
});

function start(definitions: JobDefinition[], options: Partial<EngineOptions> = {}) {
  return startJobEngine({ url, db, schema, definitions, schedule: false, supervise: false, pollingIntervalSeconds: 0.5, clock, log: () => undefined, ...options }).then((e) => {
    engines.push(e);
    return e;
  });
}

/** Waits for `check` to hold, polling the database, for at most `ms`. */
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function queueJobs(name: string) {
  const rows = await db.execute<{ id: string; state: string; data: { organizationId?: string; tick?: string } | null }>(
    sql`select id, state, data from ${sql.identifier(schema)}.job where name = ${name}`,
  );
  return [...rows];
}

function definition(scope: JobDefinition['scope'], run: (input: JobInput) => ReturnType<JobDefinition['run']>, extra: Partial<JobDefinition> = {}): JobDefinition {
  return { name: `test-${randomUUID().slice(0, 8)}`, summary: 'test', scope, schedule: '0 4 * * *', run, ...extra };
}

describe('job engine (pg-boss)', { timeout: 60_000 }, () => {
  let organizations: string[];
  beforeAll(async () => {
    organizations = [(await makeOrganization(db)).org.id, (await makeOrganization(db)).org.id];
  });

  it('two instances racing for the same jobs: each job runs exactly once, with the injected clock', async () => {
    const calls: JobInput[] = [];
    const racing = definition('deployment', async (input) => (calls.push(input), { counts: { done: 1 } }));
    const [a, b] = await Promise.all([start([racing]), start([racing])]);
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).boss.send(racing.name, {})));
    await until('every job completed', async () => (await queueJobs(racing.name)).every((j) => j.state === 'completed') && (await queueJobs(racing.name)).length === 12);
    const runs = await findJobRuns(db, { job: racing.name, limit: 100 });
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map((r) => r.queueJobId))).toEqual(new Set(ids));
    expect(runs.every((r) => r.status === 'succeeded' && r.trigger === 'schedule' && r.attempt === 1 && r.startedBy === `system:job:${racing.name}`)).toBe(true);
    expect(calls.every((c) => c.now.getTime() === clock().getTime())).toBe(true);
  });

  it('a tick of an organization job fans out to one run per organization, and fanning out the same tick again adds none', async () => {
    const perOrg = definition('organization', async () => ({ counts: { checked: 1 } }), { selectOrganizations: async () => organizations });
    const [a, b] = await Promise.all([start([perOrg]), start([perOrg])]);
    const tick = await a.boss.send(perOrg.name, {});
    await until('a run per organization', async () => (await findJobRuns(db, { job: perOrg.name, limit: 10 })).filter((r) => r.status === 'succeeded').length === 2);
    // The same tick fanned out again, by the other instance (a retry of the tick, a second scheduler): no new job.
    expect(await fanOut(b.boss, db, perOrg, tick!, clock())).toBe(2);
    expect(await fanOut(a.boss, db, perOrg, tick!, clock())).toBe(2);
    const jobs = await queueJobs(perOrg.name);
    expect(jobs.filter((j) => j.data?.tick === tick).map((j) => j.id).sort()).toEqual(organizations.map((o) => tickJobId(perOrg.name, o, tick!)).sort());
    expect(jobs).toHaveLength(3); // the tick and one job per organization
    const runs = await findJobRuns(db, { job: perOrg.name, limit: 10 });
    expect(runs.map((r) => r.organizationId).sort()).toEqual([...organizations].sort());

    // An organization deleted after the fan-out is skipped, not failed and retried.
    const { org: doomed } = await makeOrganization(db);
    await a.boss.insert([{ name: perOrg.name, data: { organizationId: doomed.id, tick: 'tick-gone' } }]);
    await db.delete(organizationsTable).where(eq(organizationsTable.id, doomed.id));
    await until('the job for the deleted organization completed', async () => (await queueJobs(perOrg.name)).some((j) => j.data?.tick === 'tick-gone' && j.state === 'completed'));

    // Another tick is another run per organization.
    await fanOut(b.boss, db, perOrg, 'tick-2', clock());
    await until('the second tick ran', async () => (await findJobRuns(db, { job: perOrg.name, limit: 10 })).filter((r) => r.status === 'succeeded').length === 4);
  });

  it('a failed run is retried, and each attempt has its job_runs row', async () => {
    let calls = 0;
    const flaky = definition('deployment', async () => {
      calls += 1;
      if (calls === 1) throw new Error('first attempt fails');
      return { counts: { done: 1 } };
    });
    const engine = await start([flaky], { retry: { retryLimit: 2, retryDelay: 0, retryBackoff: false } });
    const id = await engine.boss.send(flaky.name, {});
    const runs = await until('the retry succeeded', async () => {
      const found = await findJobRuns(db, { job: flaky.name, limit: 10 });
      return found.some((r) => r.status === 'succeeded') && found;
    });
    expect(runs.map((r) => [r.attempt, r.status, r.error, r.queueJobId]).sort()).toEqual([
      [1, 'failed', 'first attempt fails', id],
      [2, 'succeeded', null, id],
    ]);
  });

  it('a job that keeps failing ends failed in pg-boss, each attempt visible with its error', async () => {
    const broken = definition('deployment', async () => {
      throw new Error('always broken');
    });
    const engine = await start([broken], { retry: { retryLimit: 1, retryDelay: 0, retryBackoff: false } });
    await engine.boss.send(broken.name, {});
    await until('the job failed for good', async () => (await queueJobs(broken.name))[0]?.state === 'failed');
    const runs = await findJobRuns(db, { job: broken.name, limit: 10 });
    expect(runs.map((r) => [r.attempt, r.status, r.error]).sort()).toEqual([
      [1, 'failed', 'always broken'],
      [2, 'failed', 'always broken'],
    ]);
  });

  it('registers a queue and a UTC schedule per job, once however many instances start', async () => {
    const scheduled = definition('deployment', async () => ({ counts: {} }), { schedule: '*/15 * * * *' });
    const [a] = await Promise.all([start([scheduled], { schedule: true, work: false }), start([scheduled], { schedule: true, work: false })]);
    const schedules = (await a.boss.getSchedules()).filter((s) => s.name === scheduled.name);
    expect(schedules).toEqual([expect.objectContaining({ name: scheduled.name, cron: '*/15 * * * *', timezone: 'UTC' })]);
    expect(await a.boss.getQueue(scheduled.name)).toMatchObject({ name: scheduled.name, policy: 'standard', retryLimit: 3, retryDelay: 60, retryBackoff: true });
  });

  it('stops gracefully: a run in progress finishes and is recorded before the engine stops', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const running = new Promise<void>((resolve) => (began = resolve));
    const slow = definition('deployment', async () => {
      began();
      await released;
      return { counts: { done: 1 } };
    });
    const engine = await startJobEngine({ url, db, schema, definitions: [slow], schedule: false, supervise: false, pollingIntervalSeconds: 0.5, log: () => undefined });
    await engine.boss.send(slow.name, {});
    await running;
    const stopped = engine.stop({ timeoutMs: 10_000 });
    setTimeout(release, 300);
    await stopped;
    expect(await findJobRuns(db, { job: slow.name, limit: 5 })).toEqual([expect.objectContaining({ status: 'succeeded', counts: { done: 1 } })]);
    expect((await queueJobs(slow.name))[0]?.state).toBe('completed');
  });

  it('stops cleanly while idle, and then takes no more jobs', async () => {
    const idle = definition('deployment', async () => ({ counts: {} }));
    const engine = await startJobEngine({ url, db, schema, definitions: [idle], schedule: false, supervise: false, pollingIntervalSeconds: 0.5, log: () => undefined });
    const started = Date.now();
    await engine.stop({ timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(engine.boss.send(idle.name, {})).rejects.toThrow();
  });
});
