import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById, getConnectionSecret } from '@/db/queries/connections';
import { linkIdentity } from '@/lib/lifecycle/identity/link-identity';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';

const launcher = path.join(import.meta.dirname, 'roster.mjs');
const db = testDb();
afterAll(closeTestDb);

type Run = { code: number; stdout: string; stderr: string };
function roster(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
async function json<T>(args: string[]): Promise<T> {
  const run = await roster([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

describe('roster connection update|disable|enable|delete (the real CLI)', { timeout: 120_000 }, () => {
  it('updates only what is given, by id or name; bad input is a usage error (exit 2) and changes nothing', async () => {
    const { org, connection } = await makeOrganization(db);
    const key: Record<string, string> = process.env.ROSTER_ENCRYPTION_KEY ? {} : { ROSTER_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    const updated = await roster(['connection', 'update', '--org', org.slug, '--connection', 'Test IdP', '--domain', 'Example.org', '--map', 'department=dept', '--default-role', 'staff', '--no-jit', '--client-secret', 'n3w', '--json'], key);
    expect(updated, updated.stderr).toMatchObject({ code: 0 });
    const data = JSON.parse(updated.stdout) as Record<string, unknown>;
    expect(data).toMatchObject({ id: connection.id, allowedDomains: ['example.org'], claimMapping: { department: 'dept' }, defaultRoles: ['staff'], jitEnabled: false, changed: ['allowedDomains', 'defaultRoles', 'jitEnabled', 'claimMapping', 'clientSecret'], callbackUrl: expect.stringContaining(`/api/auth/callback/${connection.id}`) });
    expect(updated.stdout).not.toContain('n3w');
    expect(await getConnectionSecret(db, org.id, connection.id)).toMatch(/\S/);
    const text = await roster(['connection', 'update', '--org', org.slug, '--connection', connection.id, '--jit']);
    expect(text).toMatchObject({ code: 0, stdout: expect.stringContaining('Changed connection "Test IdP": jitEnabled') });

    for (const [args, message] of [
      [['--domain', 'not a domain'], /--domain not a domain is not a hostname/],
      [['--map', 'salary=pay'], /--map salary: not a field/],
      [[], /nothing to change/],
      [['--metadata-url', 'https://idp.example.test/m'], /OIDC connection: the SAML options do not apply/],
    ] as const) {
      const run = await roster(['connection', 'update', '--org', org.slug, '--connection', connection.id, ...args]);
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await roster(['connection', 'update', '--org', org.slug, '--connection', 'Nope', '--jit']);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining(`no connection Nope in organization ${org.slug}`)]);
    expect(await findAuditEvents(db, org.id, { actions: ['connection.updated'] })).toHaveLength(2);
  });

  it('disables (sign-ins refused, nothing deleted) and enables; deletes only with --force while accounts sign in through it', async () => {
    const { org, connection } = await makeOrganization(db);
    const account = await makeAccount(db, org.id, { door: 'jit' });
    await asAdmin(db, (tx, ctx) => linkIdentity(tx, { organizationId: org.id, accountId: account.id, connectionId: connection.id, subject: 's-1', via: 'jit_create' }, ctx));
    const which = ['--org', org.slug, '--connection', connection.id];

    const off = await roster(['connection', 'disable', ...which]);
    expect(off).toMatchObject({ code: 0, stdout: expect.stringMatching(/Disabled connection "Test IdP": sign-ins through it are refused.*Nothing was deleted: its 1 account\(s\) keep/) });
    expect(await getConnectionById(db, connection.id)).toMatchObject({ enabled: false });
    expect(await json(['connection', 'disable', ...which])).toMatchObject({ changed: false, enabled: false });
    expect(await json(['connection', 'enable', ...which])).toMatchObject({ changed: true, enabled: true });

    const refused = await roster(['connection', 'delete', ...which]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Test IdP is in use: 1 account signs in through it: the accounts stay .*add --force to delete it anyway/);
    expect(await getConnectionById(db, connection.id)).not.toBeNull();
    const deleted = await json<Record<string, unknown>>(['connection', 'delete', ...which, '--force']);
    expect(deleted).toMatchObject({ connectionId: connection.id, accounts: 1, identities: 1, forced: true });
    expect(await getConnectionById(db, connection.id)).toBeNull();
    const actions = (await findAuditEvents(db, org.id, { targetId: connection.id })).map((e) => [e.action, e.actorType]);
    expect(actions).toEqual(expect.arrayContaining([['connection.disabled', 'cli'], ['connection.enabled', 'cli'], ['connection.deleted', 'cli']]));
  });
});
