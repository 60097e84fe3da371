import { runMigrations } from '@/db/migrate';
import type { Command } from '../command';
import { redactUrl } from '../open-database';

const migrate: Command = {
  name: 'db migrate',
  summary: 'Apply the committed migrations to DATABASE_URL (or the embedded PostgreSQL)',
  usage: [],
  options: {},
  prepare: () => async ({ url }) => {
    await runMigrations(url);
    return { data: { migrated: true, database: redactUrl(url) }, text: `Migrations applied to ${redactUrl(url)}` };
  },
};

export const dbCommands = [migrate];
