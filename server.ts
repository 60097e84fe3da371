import next from 'next';
import { createDatabase } from '@/db';
import { getEnv } from '@/lib/env';
import { createAppServer, stopAppServer } from '@/lib/http/app-server';

/**
 * The production server (`npm start` runs it through lib/cli/dev.ts; `node --import tsx server.ts
 * -H HOST -p PORT` alone, with the environment set): one process and one port for the whole app.
 * `/api/scim/v2` is served by lib/scim directly (lib/http/app-server.ts), every other path by Next.js
 * from the production build, as `next start` would. The SCIM side has a PostgreSQL pool of its own.
 */
const args = process.argv.slice(2);
const option = (short: string, long: string) => {
  const i = args.findIndex((a) => a === short || a === long);
  return i >= 0 ? args[i + 1] : undefined;
};
const hostname = option('-H', '--hostname') ?? process.env.HOSTNAME ?? '127.0.0.1';
const port = Number(option('-p', '--port') ?? process.env.PORT ?? 3000);

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set: start Roster with `npm start`, which provides PostgreSQL.');
  const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
  await app.prepare();
  const scimDb = createDatabase(env.DATABASE_URL);
  const origin = env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : undefined;
  const server = createAppServer({ db: scimDb.db, origin, fallback: app.getRequestHandler() });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, hostname, resolve));
  process.stdout.write(`Roster listening on http://${hostname}:${port} (SCIM at /api/scim/v2 served directly, the rest by Next.js)\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 5_000);
    timer.unref();
    void Promise.allSettled([app.close(), stopAppServer(server).then(() => scimDb.sql.end({ timeout: 2 }))]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Roster could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
