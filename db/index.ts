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

export function createDatabase(url: string, options: { max?: number } = {}): Handle {
  const sql = openPostgres(url, { max: options.max ?? 10, onnotice: () => undefined, idle_timeout: 30 });
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
