import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConnectionById, getConnectionSecret } from '@/db/queries/connections';
import { hasRole } from '@/db/queries/roles';
import { decryptSecret } from '@/lib/crypto/secret-box';
import { provisionFromLogin } from '@/lib/jit/provision-user';
import { postToAcs } from '@/lib/saml/testing/fixtures';
import { generateSigningKey } from '@/lib/saml/testing/keys';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';

const launcher = path.join(import.meta.dirname, 'roster.mjs');
const key = randomBytes(32).toString('base64');
const appUrl = 'https://roster.example.test';
const db = testDb();
afterAll(closeTestDb);

type Run = { code: number; stdout: string; stderr: string };

/** The real CLI in a child process, against this run's test database. */
function roster(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, ROSTER_ENCRYPTION_KEY: key, NEXTAUTH_URL: appUrl, ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function json<T>(args: string[]): Promise<T> {
  const run = await roster([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

const slug = `cli-${randomUUID().slice(0, 8)}`;
const domain = `${slug}.example`;
type Org = { id: string; slug: string; name: string };
type Connection = { id: string; organizationId: string; allowedDomains: string[]; signInUrl: string; callbackUrl: string };
let org: Org;
let connection: Connection;

const connectionArgs = ['--org', slug, '--name', 'Okta', '--issuer', 'https://idp.example.test', '--client-id', 'roster-app'];

beforeAll(async () => {
  org = await json<Org>(['org', 'create', '--slug', slug, '--name', 'CLI Corp']);
  connection = await json<Connection>(['connection', 'create', ...connectionArgs, '--client-secret', 's3cret', '--domain', domain]);
}, 60_000);

describe('roster CLI', { timeout: 120_000 }, () => {
  it('creates and lists organizations, and refuses a duplicate slug with exit 1', async () => {
    expect(org).toMatchObject({ slug, name: 'CLI Corp' });
    const orgs = await json<Org[]>(['org', 'list']);
    expect(orgs).toContainEqual(expect.objectContaining({ id: org.id, slug }));
    const duplicate = await roster(['org', 'create', '--slug', slug, '--name', 'Again']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain(`organization ${slug} already exists`);
  });

  it('creates a connection with its URLs and the client secret encrypted', async () => {
    expect(connection).toMatchObject({ organizationId: org.id, allowedDomains: [domain] });
    expect(connection.signInUrl).toBe(`${appUrl}/sso/${connection.id}`);
    expect(connection.callbackUrl).toBe(`${appUrl}/api/auth/callback/${connection.id}`);
    const sealed = await getConnectionSecret(db, org.id, connection.id);
    expect(sealed).not.toContain('s3cret');
    expect(decryptSecret(sealed!, key)).toBe('s3cret');

    const text = await roster(['connection', 'create', ...connectionArgs, '--client-secret', 'x', '--domain', `b.${domain}`]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${appUrl}/sso/[0-9a-f-]{36}`));
    expect(text.stdout).toMatch(new RegExp(`${appUrl}/api/auth/callback/[0-9a-f-]{36}`));
  });

  it.concurrent.for<[string, string[], RegExp]>([
    ['a missing --domain', [...connectionArgs, '--client-secret', 'x'], /--domain is required/],
    ['a relative issuer', ['--org', slug, '--name', 'X', '--issuer', 'idp.test', '--client-id', 'a', '--client-secret', 'b', '--domain', 'a.com'], /--issuer/],
    ['a bad domain', [...connectionArgs, '--client-secret', 'x', '--domain', 'not a domain'], /--domain not a domain/],
    ['SAML without metadata or settings', ['--org', slug, '--protocol', 'saml', '--name', 'Entra', '--domain', 'a.com'], /--metadata FILE, --metadata-url URL/],
    ['SAML with an unreadable metadata file', ['--org', slug, '--protocol', 'saml', '--name', 'Entra', '--domain', 'a.com', '--metadata', '/nonexistent.xml'], /cannot read metadata file/],
    ['an unknown option', [...connectionArgs, '--bogus'], /Unknown option '--bogus'/],
    ['a mapping of an unknown field', [...connectionArgs, '--client-secret', 'x', '--domain', 'a.com', '--map', 'salary=pay'], /--map salary: not a field/],
    ['a mapping without a claim', [...connectionArgs, '--client-secret', 'x', '--domain', 'a.com', '--map', 'department'], /write field=claim/],
  ])('refuses %s with exit 2 and a message', async ([, args, message], { expect }) => {
    const run = await roster(['connection', 'create', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('explains a missing encryption key with exit 1', async () => {
    const run = await roster(['connection', 'create', ...connectionArgs, '--client-secret', 'x', '--domain', domain], { ROSTER_ENCRYPTION_KEY: '' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ROSTER_ENCRYPTION_KEY is not set.*npm run dev/);
  });

  it('lists connections and accounts, grants roles and suspends an account', async () => {
    expect(await json<Connection[]>(['connection', 'list', '--org', slug])).toHaveLength(2);
    const user = `alice@${domain}`;
    const login = await provisionFromLogin(
      db,
      { connectionId: connection.id, subject: 'sub-alice', claims: { email: user, email_verified: true, name: 'Alice A', department: 'Ops' } },
      { sessionMaxAgeSeconds: 600 },
    );
    expect(login.ok).toBe(true);

    const page = await json<{ total: number; accounts: { id: string; userName: string; status: string }[] }>(['accounts', 'list', '--org', slug, '--search', 'alice']);
    expect(page.total).toBe(1);
    expect(page.accounts[0]).toMatchObject({ userName: user, status: 'active' });
    const accountId = page.accounts[0]!.id;

    expect(await hasRole(db, org.id, accountId, 'admin')).toBe(false);
    const grant = await json<{ granted: boolean; role: string }>(['role', 'grant', '--org', slug, '--user', user, '--role', 'admin']);
    expect(grant).toMatchObject({ granted: true, role: 'admin' });
    expect(await hasRole(db, org.id, accountId, 'admin')).toBe(true);
    expect(await json<{ granted: boolean }>(['grant-admin', '--org', slug, '--user', user])).toMatchObject({ granted: false });

    const unknownRole = await roster(['role', 'grant', '--org', slug, '--user', user, '--role', 'auditor']);
    expect([unknownRole.code, unknownRole.stderr]).toEqual([1, expect.stringContaining('no role auditor')]);
    const unknownUser = await roster(['grant-admin', '--org', slug, '--user', `bob@${domain}`]);
    expect(unknownUser.code).toBe(1);

    const suspended = await json<{ status: string; changed: boolean; sessionsRevoked: number }>(['account', 'suspend', '--org', slug, '--user', user, '--reason', 'test']);
    expect(suspended).toMatchObject({ status: 'suspended', changed: true, sessionsRevoked: 1 });
    expect(await json<{ total: number }>(['accounts', 'list', '--org', slug, '--status', 'active'])).toMatchObject({ total: 0 });
    expect(await json<{ status: string }>(['account', 'restore', '--org', slug, '--user', user])).toMatchObject({ status: 'active' });

    type Shown = { id: string; status: string; profile: Record<string, string | null>; owners: Record<string, string>; roles: { key: string; source: string; expiresAt: string | null }[]; identities: { subject: string }[]; sessions: unknown[] };
    const shown = await json<Shown>(['account', 'show', '--org', slug, '--user', user]);
    expect(shown).toMatchObject({ id: accountId, status: 'active', profile: { displayName: 'Alice A', department: 'Ops' }, owners: { department: 'jit' }, identities: [{ subject: 'sub-alice' }] });
    expect(shown.roles).toEqual([expect.objectContaining({ key: 'admin', source: 'manual', expiresAt: null })]);
    expect((await roster(['account', 'show', '--org', slug, '--user', user])).stdout).toMatch(/department \(jit\):\s+Ops/);

    const revoked = await json<{ revoked: boolean; remaining: unknown[] }>(['role', 'revoke', '--org', slug, '--user', user, '--role', 'admin', '--reason', 'no longer needed']);
    expect(revoked).toMatchObject({ revoked: true, remaining: [] });
    expect(await hasRole(db, org.id, accountId, 'admin')).toBe(false);
    const again = await roster(['role', 'revoke', '--org', slug, '--user', user, '--role', 'admin']);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('does not hold the role "admin"')]);
    expect((await json<Shown>(['account', 'show', '--org', slug, '--user', user])).roles).toEqual([]);

    const events = await json<{ action: string; actorType: string; targetId: string }[]>(['audit', 'list', '--org', slug, '--account', accountId]);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['account.jit_created', 'role.granted', 'account.suspended', 'account.restored', 'role.revoked']));
  });

  it('records connection.created in the audit trail, by the CLI', async () => {
    const events = await json<{ action: string; actorType: string; targetId: string }[]>(['audit', 'list', '--org', slug, '--action', 'connection.created']);
    expect(events).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ action: 'connection.created', actorType: 'cli', targetId: connection.id }));
    const text = await roster(['audit', 'list', '--org', slug, '--action', 'connection.created', '--limit', '1']);
    expect(text.stdout).toContain('connection.created');
  });

  it('lists the deployment’s own trail with --deployment: sign-ins refused for a connection that does not exist', async () => {
    const missing = randomUUID();
    expect(await postToAcs(db, missing, 'x')).toMatchObject({ ok: false, reason: 'unknown_connection' });
    const events = await json<{ action: string; targetId: string; data: { reason: string } }[]>(['audit', 'list', '--deployment', '--action', 'login.rejected', '--limit', '500']);
    expect(events).toContainEqual(expect.objectContaining({ action: 'login.rejected', targetId: missing, data: expect.objectContaining({ reason: 'unknown_connection' }) }));
    expect(await json<{ targetId: string }[]>(['audit', 'list', '--org', slug, '--action', 'login.rejected'])).not.toContainEqual(expect.objectContaining({ targetId: missing }));
    const both = await roster(['audit', 'list', '--org', slug, '--deployment']);
    const neither = await roster(['audit', 'list']);
    expect([both.code, both.stderr, neither.code, neither.stderr]).toEqual([2, expect.stringContaining('exclude each other'), 2, expect.stringContaining('--org is required')]);
  });

  it('prints help with exit 0 and refuses unknown commands with exit 2', async () => {
    const help = await roster(['help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('connection create')]);
    const commandHelp = await roster(['accounts', 'list', '--help']);
    expect([commandHelp.code, commandHelp.stdout]).toEqual([0, expect.stringContaining('--status')]);
    const unknown = await roster(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown command: frobnicate')]);
    const badLimit = await roster(['accounts', 'list', '--org', slug, '--limit', 'lots']);
    expect(badLimit.code).toBe(2);
  });

  it('creates a SAML connection from IdP metadata and prints the SP coordinates; refuses a DOCTYPE', async () => {
    const samlSlug = `cli-saml-${randomUUID().slice(0, 8)}`;
    await json(['org', 'create', '--slug', samlSlug, '--name', 'SAML Corp']);
    const idp = new TestIdp('https://sts.windows.example/tenant/', 'https://login.example.test/saml2', await generateSigningKey());
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-cli-'));
    const metadata = path.join(dir, 'idp.xml');
    writeFileSync(metadata, idp.metadataXml());
    const created = await json<{ id: string; protocol: string; spEntityId: string; acsUrl: string; spMetadataUrl: string; signInUrl: string }>([
      'connection', 'create', '--org', samlSlug, '--protocol', 'saml', '--name', 'Entra ID', '--metadata', metadata, '--domain', 'saml.example',
    ]);
    expect(created).toMatchObject({
      protocol: 'saml',
      spEntityId: `${appUrl}/api/saml/${created.id}/metadata`,
      acsUrl: `${appUrl}/api/saml/${created.id}/acs`,
      spMetadataUrl: `${appUrl}/api/saml/${created.id}/metadata`,
      signInUrl: `${appUrl}/sso/${created.id}`,
    });
    const stored = await getConnectionById(db, created.id);
    expect(stored?.samlConfig).toMatchObject({ idpEntityId: 'https://sts.windows.example/tenant/', ssoUrl: 'https://login.example.test/saml2', allowIdpInitiated: false });

    const evil = path.join(dir, 'evil.xml');
    writeFileSync(evil, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${idp.metadataXml()}`);
    const refused = await roster(['connection', 'create', '--org', samlSlug, '--protocol', 'saml', '--name', 'Evil', '--metadata', evil, '--domain', 'saml.example']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/document type/i);
    expect(await json<unknown[]>(['connection', 'list', '--org', samlSlug])).toHaveLength(1);
  });

  it('stores a claim mapping with fallbacks and required fields, which the next sign-in uses', async () => {
    const created = await json<{ id: string; claimMapping: Record<string, unknown>; requiredAttributes: string[] }>([
      'connection', 'create', ...connectionArgs, '--client-secret', 'x', '--domain', 'mapped.example',
      '--map', 'department=dept', '--map', 'title=job', '--map', 'title=role_title', '--map', 'extra.costCenter=cc', '--require', 'email', '--require', 'department',
    ]);
    expect(created.claimMapping).toEqual({ department: 'dept', title: ['job', 'role_title'], 'extra.costCenter': 'cc' });
    expect(created.requiredAttributes).toEqual(['email', 'department']);
    const ctx = { sessionMaxAgeSeconds: 60 };
    const refused = await provisionFromLogin(db, { connectionId: created.id, subject: 'm1', claims: { sub: 'm1', email: 'm1@mapped.example', department: 'ignored' } }, ctx);
    expect(refused).toMatchObject({ ok: false, reason: 'missing_claim', detail: 'department' });
    const ok = await provisionFromLogin(db, { connectionId: created.id, subject: 'm1', claims: { sub: 'm1', email: 'm1@mapped.example', dept: 'Research', role_title: 'Fellow', cc: '4711' } }, ctx);
    expect(ok.ok).toBe(true);
    const list = await json<{ accounts: { userName: string; department: string; title: string }[] }>(['accounts', 'list', '--org', slug, '--search', 'm1@mapped.example']);
    expect(list.accounts).toEqual([expect.objectContaining({ department: 'Research', title: 'Fellow' })]);
  });
});
