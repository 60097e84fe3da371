import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { createDatabase } from '@/db';
import { ensureDatabase, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seedDemo } from '@/db/seed';
import { DEMO_CLIENT_ID, DEMO_USERS, DemoDirectory, startDemoIdp, startDemoSamlIdp } from '@/lib/demo-idp';
import { parseEnv, type Env } from '@/lib/env';
import { startJobEngine } from '@/lib/jobs/engine';
import { formatBanner, type DemoServers } from './dev-banner';
import { projectRoot, readDevSettings, type DevSettings } from './dev-settings';
import { prepareLocalEnv } from './local-env';
import { watchEmbeddedPostgres } from './postgres-watchdog';
import { onStopSignal } from './stop-signals';
import { assertProductionBuild, startNext, type NextServer } from './next-server';

/**
 * `npm run dev` / `npm start`: secrets in .env.local, PostgreSQL (embedded unless DATABASE_URL),
 * migrations, in development the demo IdP and tenant, the job workers (unless ROSTER_WORKERS=off),
 * then next. Stops what it started on exit (the workers before the database).
 */
const cleanups: (() => Promise<unknown>)[] = [];
let next: NextServer | undefined;
let exiting = false;

async function main(): Promise<never> {
  onStopSignal(onSignal);
  const production = process.argv.includes('--production');
  const local = prepareLocalEnv(projectRoot, { generate: !production });
  const settings = readDevSettings(process.argv, process.env);
  if (settings.production) assertProductionBuild(projectRoot);
  const env = appEnv(settings);

  const database = await provideDatabase();
  await runMigrations(database.url);
  const demo = settings.demo ? await startDemo(settings, database.url, env) : null;
  if (settings.workers && !exiting) await startWorkers(database.url);

  process.stdout.write(
    formatBanner({
      production: settings.production,
      appUrl: settings.appUrl,
      demo,
      database: database.embeddedPort ? { embedded: true, port: database.embeddedPort } : { embedded: false, url: database.url },
      generatedSecrets: local.generated,
    }) + '\n',
  );
  process.stdout.write(settings.workers ? 'Job workers: running in this process (ROSTER_WORKERS=off runs them apart: npm run worker)\n' : 'Job workers: off here (ROSTER_WORKERS=off); run them with npm run worker\n');
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
  if (embedded.startedHere) {
    // Ours to keep running: restarted within seconds if it dies (the app answers 503 meanwhile).
    const watchdog = watchEmbeddedPostgres(embedded, { start: () => startEmbeddedPostgres({ root: projectRoot }), log: (line) => process.stderr.write(`${line}\n`) });
    cleanups.push(() => watchdog.stop());
  }
  // Otherwise the server was already running (another launcher, a test run): its starter stops it.
  await ensureDatabase(embedded.url('postgres'), 'roster');
  return { url: embedded.url('roster'), embeddedPort: embedded.port };
}

/** The job engine in this process (lib/jobs/engine.ts), with a pool of its own; stopped before the database. */
async function startWorkers(url: string): Promise<void> {
  const handle = createDatabase(url, { max: 4 });
  const engine = await startJobEngine({ url, db: handle.db }).catch(async (error: unknown) => {
    await handle.sql.end({ timeout: 5 });
    throw error;
  });
  cleanups.push(async () => {
    await engine.stop();
    await handle.sql.end({ timeout: 5 });
  });
}

/**
 * The SAML IdP first (the seed creates its connection from the IdP's metadata, whose key is made
 * at start), then the seed, then the OIDC IdP (its client's redirect URI holds the connection id).
 * Both IdPs share one directory, so a PATCH to either changes the user for both protocols.
 */
async function startDemo(settings: DevSettings, databaseUrl: string, env: Env): Promise<DemoServers> {
  const directory = new DemoDirectory(DEMO_USERS);
  const saml = await startDemoSamlIdp({ port: settings.samlIdpPort, trustedSpOrigins: [settings.appUrl], directory }).catch(
    portInUse(settings.samlIdpPort, 'demo SAML IdP', 'ROSTER_DEMO_SAML_PORT'),
  );
  cleanups.push(() => saml.stop());
  const issuer = `http://127.0.0.1:${settings.idpPort}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const handle = createDatabase(databaseUrl, { max: 1 });
  const seeded = await seedDemo(handle.db, {
    issuer,
    clientId: DEMO_CLIENT_ID,
    clientSecret,
    appUrl: settings.appUrl,
    encryptionKey: env.ROSTER_ENCRYPTION_KEY,
    saml: { metadataXml: saml.metadataXml },
  }).finally(() => handle.sql.end({ timeout: 5 }));
  const idp = await startDemoIdp({
    port: settings.idpPort,
    issuer,
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret, redirectUris: [seeded.redirectUri] }],
    directory,
  }).catch(portInUse(settings.idpPort, 'demo IdP', 'ROSTER_DEMO_IDP_PORT'));
  cleanups.push(() => idp.stop());
  return { idpIssuer: idp.issuer, samlIdpUrl: saml.baseUrl, samlConnectionId: seeded.samlConnectionId };
}

function portInUse(port: number, what: string, variable: string) {
  return (error: unknown): never => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(`Port ${port} for the ${what} is in use (another \`npm run dev\`?). Set ${variable} to use another.`);
  };
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
