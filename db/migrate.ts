import { readFileSync } from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';
import { openPostgres } from './client';

const migrationsFolder = path.join(import.meta.dirname, 'migrations');

/** Applies the committed migrations. Safe to run from several processes at once (drizzle takes a lock per run). */
export async function runMigrations(url: string): Promise<void> {
  const [{ drizzle }, { migrate }] = await Promise.all([import('drizzle-orm/postgres-js'), import('drizzle-orm/postgres-js/migrator')]);
  const sql = openPostgres(url, { max: 1, onnotice: () => undefined });
  try {
    // Serialize concurrent starters (several app instances, tests) on one advisory lock.
    await sql`select pg_advisory_lock(7243001)`;
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql`select pg_advisory_unlock(7243001)`.catch(() => undefined);
    await sql.end({ timeout: 5 });
  }
}

/**
 * Whether the database has every committed migration, in one cheap query (the CLI asks before each
 * command instead of running the migrator): drizzle applies the migrations newer than the last one
 * it recorded, so the database is current when that one is the journal's newest. A database or
 * migrations table that does not exist yet: not current.
 */
export async function isMigrated(sql: postgres.Sql): Promise<boolean> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  try {
    const [row] = await sql<{ last: string | null }[]>`select max(created_at)::text as last from drizzle.__drizzle_migrations`;
    return row?.last !== null && row?.last !== undefined && Number(row.last) >= newest;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '3D000' || code === '42P01' || code === '3F000') return false;
    throw error;
  }
}
