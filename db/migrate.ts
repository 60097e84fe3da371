import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { openPostgres } from './client';

/** Applies the committed migrations. Safe to run from several processes at once (drizzle takes a lock per run). */
export async function runMigrations(url: string): Promise<void> {
  const sql = openPostgres(url, { max: 1, onnotice: () => undefined });
  try {
    // Serialize concurrent starters (several app instances, tests) on one advisory lock.
    await sql`select pg_advisory_lock(7243001)`;
    await migrate(drizzle(sql), { migrationsFolder: path.join(import.meta.dirname, 'migrations') });
  } finally {
    await sql`select pg_advisory_unlock(7243001)`.catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}
