import { availableParallelism } from 'node:os';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { openPostgres } from './client';
import { getEnv } from '@/lib/env';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
/** A database handle or an open transaction: every query function takes one as its first argument. */
export type Tx = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

type Handle = { db: Database; sql: postgres.Sql };
const globalForDb = globalThis as unknown as { rosterDb?: Handle };

/**
 * While the database is away, queries fail within about two seconds rather than wait: a connection
 * attempt gives up after CONNECT_TIMEOUT_SECONDS (postgres.js waits 30), and after a failed attempt
 * the next one waits at most RECONNECT_MAX_SECONDS (postgres.js backs off to 20 s, and every query
 * on that connection waits it out). A refused connection costs nothing, so retrying that often is
 * cheap, and the first query after the database is back succeeds. Callers see the driver's error;
 * lib/errors.ts isDatabaseUnavailable tells it apart (503).
 */
export const CONNECT_TIMEOUT_SECONDS = 2;
export const RECONNECT_MAX_SECONDS = 0.5;
const backoff = (retries: number) => Math.min(RECONNECT_MAX_SECONDS, 0.05 * 2 ** retries);

/**
 * How many connections a pool of this process opens (the app's, and the SCIM server's own: server.ts)
 * unless ROSTER_DB_POOL_SIZE says: twice the machine's cores plus one, at most 10 — PostgreSQL's
 * rule of thumb for connections doing work at once (cores × 2 + spindles). More transactions in
 * flight than the CPUs can run only queue in PostgreSQL and contend for the same locks and rows;
 * queued in the pool instead, they wait for nothing. Measured with the database on the app's two
 * cores (SCIM servers side by side on one database, POST /Users c8, median of 6 rounds): 22.6% of
 * the raw-insert ceiling with 5 connections (507/s), 21.8% with 4, 20.3% with 10 (453/s). With
 * PostgreSQL on a machine of its own and a slow network between, set ROSTER_DB_POOL_SIZE higher.
 */
export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.min(10, 2 * cores + 1);
}

export function createDatabase(url: string, options: { max?: number } = {}): Handle {
  const sql = openPostgres(url, { max: options.max ?? getEnv().ROSTER_DB_POOL_SIZE ?? defaultPoolSize(), onnotice: () => undefined, idle_timeout: 30, connect_timeout: CONNECT_TIMEOUT_SECONDS, backoff });
  return { db: drizzle(sql, { schema }), sql };
}

/** The process-wide client (HMR-safe). DATABASE_URL is set by the launcher (embedded Postgres) or by the operator. */
export function getDb(): Database {
  if (!globalForDb.rosterDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) {
      throw new Error('DATABASE_URL is not set. Start Roster with `npm run dev` or `npm start` (they start an embedded PostgreSQL), or set DATABASE_URL.');
    }
    globalForDb.rosterDb = createDatabase(url);
  }
  return globalForDb.rosterDb.db;
}

export async function closeDb(): Promise<void> {
  await globalForDb.rosterDb?.sql.end({ timeout: 5 });
  globalForDb.rosterDb = undefined;
}
