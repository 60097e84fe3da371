import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { createDatabase } from '@/db';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/db/seed';
import { DEMO_CLIENT_ID, startDemoIdp, type DemoIdp } from '@/lib/demo-idp';
import { parseEnv, type Env } from '@/lib/env';
import { formatBanner } from './dev-banner';
import { projectRoot, readDevSettings, type DevSettings } from './dev-settings';
import { prepareLocalEnv } from './local-env';
import { assertProductionBuild, startNext, type NextServer } from './next-server';

/**
 * `npm run dev` / `npm start`: secrets in .env.local, PostgreSQL (embedded unless DATABASE_URL),
 * migrations, in development the demo IdP and tenant, then next. Stops what it started on exit.
 */
const cleanups: (() => Promise<unknown>)[] = [];
let next: NextServer | undefined;
let exiting = false;

async function main(): Promise<never> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const production = process.argv.includes('--production');
  const local = prepareLocalEnv(projectRoot, { generate: !production });
  const settings = readDevSettings(process.argv, process.env);
  if (settings.production) assertProductionBuild(projectRoot);
  const env = appEnv(settings);

  const database = await provideDatabase();
  await runMigrations(database.url);
  const idp = settings.demo ? await startDemo(settings, database.url, env) : null;

  process.stdout.write(
    formatBanner({
      production: settings.production,
      appUrl: settings.appUrl,
      idpIssuer: idp?.issuer ?? null,
      database: database.embeddedPort ? { embedded: true, port: database.embeddedPort } : { embedded: false, url: database.url },
      generatedSecrets: local.generated,
    }) + '\n',
  );
  if (exiting) return new Promise<never>(() => undefined); // interrupted while starting: shutdown() exits
  next = startNext({
    root: projectRoot,
    command: settings.production ? 'start' : 'dev',
    host: settings.host,
    port: settings.port,
    env: { ...process.env, ...nextVariables(settings), DATABASE_URL: database.url },
  });
  return shutdown(await next.exited);
}

function nextVariables(settings: DevSettings) {
  return { NEXTAUTH_URL: settings.appUrl, ROSTER_DEMO: settings.demo ? '1' : '0', PORT: String(settings.port) };
}

/** Checks the app's configuration now, with lib/env's messages, rather than on next's first request. */
function appEnv(settings: DevSettings): Env {
  return parseEnv({ ...process.env, ...nextVariables(settings), NODE_ENV: settings.production ? 'production' : 'development' });
}

async function provideDatabase(): Promise<{ url: string; embeddedPort: number | null }> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, embeddedPort: null };
  const embedded = await startEmbeddedPostgres({ root: projectRoot });
  // A no-op when the server was already running (another launcher, a test run): its starter stops it.
  cleanups.push(() => embedded.stop());
  await ensureDatabase(embedded.url('postgres'), 'roster');
  return { url: embedded.url('roster'), embeddedPort: embedded.port };
}

/** Seeds first: the client's redirect URI contains the connection id, and the issuer is known from the port. */
async function startDemo(settings: DevSettings, databaseUrl: string, env: Env): Promise<DemoIdp> {
  const issuer = `http://127.0.0.1:${settings.idpPort}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const handle = createDatabase(databaseUrl, { max: 1 });
  const seeded = await seedDemo(handle.db, {
    issuer,
    clientId: DEMO_CLIENT_ID,
    clientSecret,
    appUrl: settings.appUrl,
    encryptionKey: env.ROSTER_ENCRYPTION_KEY,
  }).finally(() => handle.sql.end({ timeout: 5 }));
  const idp = await startDemoIdp({
    port: settings.idpPort,
    issuer,
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret, redirectUris: [seeded.redirectUri] }],
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(`Port ${settings.idpPort} for the demo IdP is in use (another \`npm run dev\`?). Set ROSTER_DEMO_IDP_PORT to use another.`);
  });
  cleanups.push(() => idp.stop());
  return idp;
}

function onSignal(signal: NodeJS.Signals): void {
  // With next running, stopping it ends main(), which cleans up; before that, clean up here.
  if (next) void next.stop('SIGTERM');
  else if (!exiting) void shutdown(128 + constants.signals[signal]);
}

async function shutdown(code: number): Promise<never> {
  if (exiting) return new Promise<never>(() => undefined);
  exiting = true;
  for (const task of cleanups.reverse()) {
    await task().catch((error: unknown) => process.stderr.write(`Cleanup failed: ${String(error)}\n`));
  }
  process.exit(code);
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  void shutdown(1);
});
