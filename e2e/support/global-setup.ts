import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../../db';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { runMigrations } from '../../db/migrate';
import { seedDemo } from '../../db/seed';
import { DEMO_CLIENT_ID, DEMO_USERS, DemoDirectory, startDemoIdp, startDemoSamlIdp } from '../../lib/demo-idp';
import { appServerArgs, withPeerAddressHook } from '../../lib/cli/next-server';
import { e2ePorts } from './ports';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Real Postgres, a real OpenID Provider, a real SAML IdP and the production build of the app, for
 * the whole run: two `next start` instances of the same build (E2E_APP_URL, E2E_APP2_URL), sharing
 * the database and secrets, as two replicas behind a load balancer would.
 *
 * NEXTAUTH_URL: each instance is told its own URL, so a sign-in started at one instance runs there
 * end to end (OIDC callback, SAML ACS, the SP entity ID the AuthnRequest names and the response's
 * Audience must match). The demo IdPs trust both (redirect URIs, SP origins). The CLI and the SCIM
 * base URL it prints use instance 1's; SCIM works the same on either (bearer token, no URL in it).
 */
export default async function globalSetup() {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('Run `next build` first (npm run test:e2e does).');
  const ports = e2ePorts();
  const appUrl = `http://127.0.0.1:${ports.app}`;
  const app2Url = `http://127.0.0.1:${ports.app2}`;
  const issuer = `http://127.0.0.1:${ports.idp}`;
  const secrets = { NEXTAUTH_SECRET: randomBytes(48).toString('base64'), ROSTER_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  Object.assign(process.env, secrets);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  const database = `roster_e2e_${process.pid}`;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres();
    await ensureDatabase(embedded.url('postgres'), database, { recreate: true });
    databaseUrl = embedded.url(database);
  }
  await runMigrations(databaseUrl);
  const handle = createDatabase(databaseUrl, { max: 2 });
  // One directory for both IdPs, as in `npm run dev`: a PATCH to either changes the user for both.
  const directory = new DemoDirectory(DEMO_USERS);
  const saml = await startDemoSamlIdp({ port: ports.saml, trustedSpOrigins: [appUrl, app2Url], directory });
  const clientSecret = randomBytes(24).toString('base64url');
  const seeded = await seedDemo(handle.db, {
    issuer,
    clientId: DEMO_CLIENT_ID,
    clientSecret,
    appUrl,
    encryptionKey: secrets.ROSTER_ENCRYPTION_KEY,
    saml: { metadataXml: saml.metadataXml },
  });
  const idp = await startDemoIdp({
    port: ports.idp,
    clients: [{ clientId: DEMO_CLIENT_ID, clientSecret, redirectUris: [appUrl, app2Url].map((url) => `${url}/api/auth/callback/${seeded.connectionId}`) }],
    directory,
  });
  // In parallel: the second instance adds little to the start-up time.
  const apps = await startApps([
    { port: ports.app, env: { ...secrets, DATABASE_URL: databaseUrl, NEXTAUTH_URL: appUrl } },
    { port: ports.app2, env: { ...secrets, DATABASE_URL: databaseUrl, NEXTAUTH_URL: app2Url } },
  ]);

  Object.assign(process.env, {
    E2E_APP_URL: appUrl,
    E2E_APP2_URL: app2Url,
    E2E_IDP_URL: issuer,
    E2E_DATABASE_URL: databaseUrl,
    E2E_CONNECTION_ID: seeded.connectionId,
    E2E_SAML_IDP_URL: saml.baseUrl,
    E2E_SAML_CONNECTION_ID: seeded.samlConnectionId!,
    E2E_ORG_SLUG: 'acme',
  });

  return async () => {
    await Promise.all(apps.map(stopApp));
    await idp.stop();
    await saml.stop();
    await handle.sql.end({ timeout: 5 });
    if (embedded) await ensureDatabase(embedded.url('postgres'), database, { drop: true });
    await embedded?.stop();
  };
}

/** Starts every instance at once; if one fails, stops the others before throwing. */
async function startApps(instances: { port: number; env: Record<string, string> }[]): Promise<ChildProcess[]> {
  const started = await Promise.allSettled(instances.map(({ port, env }) => startApp(port, env)));
  const failed = started.find((r) => r.status === 'rejected');
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (!failed) return running;
  await Promise.all(running.map(stopApp));
  throw failed.reason;
}

async function stopApp(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || app.signalCode !== null) return;
  const exited = new Promise((resolve) => app.once('exit', resolve));
  app.kill('SIGTERM');
  await exited;
}

async function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, appServerArgs(root, '127.0.0.1', port), {
    cwd: root,
    // As the launcher runs it: with the socket peer recorded for the audit trail (lib/http/client-ip.ts).
    env: withPeerAddressHook({ ...process.env, ...env, NODE_ENV: 'production', ROSTER_DEMO: '0', PORT: String(port) }, root),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (process.env.E2E_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`next start did not become healthy within 60 s:\n${output}`);
}
