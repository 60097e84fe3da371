import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';

/**
 * Integration tests run against real PostgreSQL: the server at DATABASE_URL when set, otherwise
 * this checkout's embedded server with a fresh `roster_test` database. Each test makes its own
 * organization, so tests never see each other's rows.
 */
let embedded: EmbeddedDatabase | undefined;

export async function setup() {
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres();
    await ensureDatabase(embedded.url('postgres'), 'roster_test', { recreate: true });
    process.env.DATABASE_URL = embedded.url('roster_test');
  }
  await runMigrations(process.env.DATABASE_URL);
}

export async function teardown() {
  await embedded?.stop();
}
