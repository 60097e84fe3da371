import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';

/**
 * Integration tests run against real PostgreSQL: the server at DATABASE_URL when set, otherwise
 * this checkout's embedded server, in a fresh database of this run's own (dropped afterwards),
 * so parallel runs don't disturb each other. Each test makes its own organization as well.
 */
let embedded: EmbeddedDatabase | undefined;
let database: string | undefined;

export async function setup() {
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres();
    database = `roster_test_${process.pid}`;
    await ensureDatabase(embedded.url('postgres'), database, { recreate: true });
    process.env.DATABASE_URL = embedded.url(database);
  }
  await runMigrations(process.env.DATABASE_URL);
}

export async function teardown() {
  if (embedded && database) await ensureDatabase(embedded.url('postgres'), database, { drop: true });
  await embedded?.stop();
}
