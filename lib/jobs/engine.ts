import PgBoss from 'pg-boss';
import type { Database } from '@/db';
import { lockKeys } from '@/db/queries/person-locks';
import { handleQueueJob } from './handle-queue-job';
import { jobDefinitions } from './registry';
import type { QueueJobData } from './fan-out';
import type { JobDefinition } from './types';

export const JOBS_SCHEMA = 'pgboss';

export type RetryPolicy = { retryLimit: number; retryDelay: number; retryBackoff: boolean };
/** A failed run is tried again after about 1, 2, then 4 minutes (pg-boss backoff, with jitter), then stays failed. */
export const DEFAULT_RETRY: RetryPolicy = { retryLimit: 3, retryDelay: 60, retryBackoff: true };

export type EngineOptions = {
  /** The app's PostgreSQL (DATABASE_URL or the embedded server's URL). */
  url: string;
  /** The app's database handle, which the jobs and job_runs use. */
  db: Database;
  /** pg-boss's own schema, which it creates and migrates itself. */
  schema?: string;
  definitions?: readonly JobDefinition[];
  /** Register the cron schedules and keep pg-boss's clock (default true). */
  schedule?: boolean;
  /** pg-boss maintenance: expires jobs whose process died (so they retry), archives and deletes old ones (default true). */
  supervise?: boolean;
  /** Start workers (default true); false only registers queues and schedules. */
  work?: boolean;
  pollingIntervalSeconds?: number;
  retry?: RetryPolicy;
  /** A run may take this long before pg-boss counts it as failed and retries it. */
  expireInSeconds?: number;
  clock?: () => Date;
  log?: (line: string) => void;
};

export type JobEngine = {
  boss: PgBoss;
  definitions: readonly JobDefinition[];
  /** Stops taking jobs, lets running ones finish (up to timeoutMs), then closes pg-boss's pool. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
};

/**
 * The job engine on pg-boss 10, in its own schema of the app's PostgreSQL: one queue per job (with
 * the retry policy), its cron schedule (UTC), and a worker that executes what the queue holds.
 * Any number of instances may run it: pg-boss sends each cron tick once, and a queued job is
 * fetched by one worker only (SELECT … FOR UPDATE SKIP LOCKED).
 */
export async function startJobEngine(options: EngineOptions): Promise<JobEngine> {
  const definitions = options.definitions ?? jobDefinitions;
  const log = options.log ?? ((line: string) => process.stderr.write(`[jobs] ${line}\n`));
  const clock = options.clock ?? (() => new Date());
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const schedule = options.schedule ?? true;
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema ?? JOBS_SCHEMA,
    application_name: 'roster-jobs',
    max: 4,
    schedule,
    supervise: options.supervise ?? true,
  });
  boss.on('error', (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  try {
    await registerQueues(boss, options, definitions, schedule);
    if (options.work ?? true) {
      for (const definition of definitions) {
        const deps = { boss, db: options.db, definition, clock, log };
        await boss.work<QueueJobData | null>(definition.name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds }, async (jobs) => {
          const results = [];
          for (const job of jobs) results.push(await handleQueueJob(deps, job));
          return results[0];
        });
      }
    }
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  return {
    boss,
    definitions,
    stop: ({ timeoutMs = 20_000 } = {}) => boss.stop({ graceful: true, timeout: timeoutMs, wait: true }),
  };
}

/**
 * One queue (with the retry policy) and one UTC schedule per job. Instances starting together take
 * turns (an advisory lock held by a transaction of the app's pool): pg-boss creates a queue's
 * partition table with DDL that deadlocks when two instances create the same queue at once.
 */
async function registerQueues(boss: PgBoss, options: EngineOptions, definitions: readonly JobDefinition[], schedule: boolean): Promise<void> {
  const retry = options.retry ?? DEFAULT_RETRY;
  await options.db.transaction(async (tx) => {
    await lockKeys(tx, [`roster-jobs-register:${options.schema ?? JOBS_SCHEMA}`]);
    for (const definition of definitions) {
      const queue = { name: definition.name, policy: 'standard' as const, ...retry, expireInSeconds: options.expireInSeconds ?? 30 * 60 };
      if (await boss.getQueue(definition.name)) await boss.updateQueue(definition.name, queue);
      else await boss.createQueue(definition.name, queue);
      if (schedule) await boss.schedule(definition.name, definition.schedule, {}, { tz: 'UTC' });
    }
  });
}
