import { defineConfig } from 'drizzle-kit';

// Generation needs no database; `npm run db:migrate` uses lib/cli (embedded Postgres when no DATABASE_URL).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/roster' },
  strict: true,
});
