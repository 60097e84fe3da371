import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDatabase, type Database } from '@/db';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { isMigrated, runMigrations } from '@/db/migrate';
import { getEnv, resetEnvCache } from '@/lib/env';

/** The checkout this CLI belongs to, whatever the working directory. */
export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Loads `.env.local` from the project root; variables already set win. */
export function loadProjectEnv(): void {
  const file = path.join(projectRoot, '.env.local');
  if (existsSync(file)) process.loadEnvFile(file);
  resetEnvCache();
}

export type OpenDatabase = { db: Database; url: string; close: () => Promise<void> };

/**
 * DATABASE_URL when set (the operator migrates it); otherwise this checkout's embedded Postgres,
 * reused if running (the dev server's) or started for this command, with the `roster` database migrated.
 * `close` ends the pool and stops Postgres if it was started here.
 */
export async function openDatabase(options: { max?: number } = {}): Promise<OpenDatabase> {
  const configured = getEnv().DATABASE_URL;
  if (configured) {
    const handle = createDatabase(configured, { max: options.max ?? 4 });
    return { db: handle.db, url: configured, close: () => handle.sql.end({ timeout: 5 }) };
  }
  const embedded = await startEmbeddedPostgres({ root: projectRoot });
  const url = embedded.url('roster');
  let handle = createDatabase(url, { max: options.max ?? 4 });
  try {
    // Migrate only when the database lacks a migration (a first run, a checkout with new ones): a
    // call on a current database costs one query for it, not the migrator's connection and lock.
    if (!(await isMigrated(handle.sql))) {
      await handle.sql.end({ timeout: 5 });
      await ensureDatabase(embedded.url('postgres'), 'roster');
      await runMigrations(url);
      handle = createDatabase(url, { max: options.max ?? 4 });
    }
  } catch (error) {
    await handle.sql.end({ timeout: 5 }).catch(() => undefined);
    await embedded.stop();
    throw error;
  }
  return {
    db: handle.db,
    url,
    close: async () => {
      await handle.sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
