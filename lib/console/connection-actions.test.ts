import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findConnectionsByOrganization, getConnectionById, insertConnection } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { createOidcConnection, createOidcSchema, createSamlConnection, createSamlSchema, deleteConnectionFromForm, deleteSchema, toggleConnection, toggleSchema } from './connection-actions';
import { loadConnectionPage, loadConnectionsList } from './connections-page';

const db = testDb();
/** A real local HTTP server: /good answers its discovery document, /bare answers 404 to everything else. */
let server: Server;
let base = '';
beforeAll(async () => {
  process.env.ROSTER_ENCRYPTION_KEY ??= Buffer.alloc(32, 3).toString('base64');
  server = createServer((req, res) => {
    if (req.url === '/good/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: `${base}/good`, authorization_endpoint: `${base}/good/auth`, token_endpoint: `${base}/good/token`, jwks_uri: `${base}/good/jwks` }));
    } else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeTestDb();
});

const form = (fields: Record<string, string | string[] | Blob>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const actions = (sessionId: string) => ({
  oidc: defineAdminAction('connections.create_oidc', createOidcSchema, (input, ctx) => createOidcConnection(input, ctx), deps(sessionId)),
  saml: defineAdminAction('connections.create_saml', createSamlSchema, (input, ctx) => createSamlConnection(input, ctx), deps(sessionId)),
  toggle: defineAdminAction('connections.toggle', toggleSchema, (input, ctx) => toggleConnection(input, ctx), deps(sessionId)),
  remove: defineAdminAction('connections.delete', deleteSchema, (input, ctx) => deleteConnectionFromForm(input, ctx), deps(sessionId)),
});

async function tenant() {
  const { org, connection } = await makeOrganization(db);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  return { org, connection, admin, auditor };
}
const oidcForm = (issuer: string, extra: Record<string, string | string[]> = {}) =>
  form({ name: 'Okta', domains: 'acme.test, Acme.org', defaultRoles: 'member', jit: 'on', required: 'email', issuer, clientId: 'roster', clientSecret: 's3cret', mapField: ['department', ''], mapClaim: ['dept', ''], ...extra });

describe('creating a connection from the console', () => {
  it('an admin creates an OIDC connection whose issuer answers its discovery document; the secret is never shown back', async () => {
    const t = await tenant();
    const state = await actions(t.admin.sessionId).oidc(undefined, oidcForm(`${base}/good`));
    expect(state, JSON.stringify(state)).toMatchObject({ ok: true, data: { message: 'Created the OIDC connection Okta.' } });
    const created = await getConnectionById(db, state.data!.connectionId);
    expect(created).toMatchObject({ organizationId: t.org.id, protocol: 'oidc', issuer: `${base}/good`, allowedDomains: ['acme.test', 'acme.org'], defaultRoles: ['member'], jitEnabled: true, claimMapping: { department: 'dept' } });
    const page = await loadConnectionPage(db, t.org.id, created!.id);
    expect(page!.idp).toMatchObject({ protocol: 'oidc', callbackUrl: expect.stringContaining(`/api/auth/callback/${created!.id}`) });
    expect(JSON.stringify(page)).not.toContain('s3cret');
    expect(await findAuditEvents(db, t.org.id, { actions: ['connection.created'] })).toEqual([expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, targetId: created!.id })]);
  });

  it('refuses an issuer that does not serve a discovery document (a real server answering 404), and saves nothing', async () => {
    const t = await tenant();
    const state = await actions(t.admin.sessionId).oidc(undefined, oidcForm(`${base}/bare`));
    expect(state.error).toMatch(/^Issuer: The issuer did not answer its discovery document: http:\/\/127\.0\.0\.1:\d+\/bare\/\.well-known\/openid-configuration answered 404/);
    const unreachable = await actions(t.admin.sessionId).oidc(undefined, oidcForm('http://127.0.0.1:1/nobody'));
    expect(unreachable.error).toMatch(/could not be reached/);
    expect(await findConnectionsByOrganization(db, t.org.id)).toHaveLength(1);
  });

  it('puts bad input on its field', async () => {
    const t = await tenant();
    const state = await actions(t.admin.sessionId).oidc(undefined, oidcForm(`${base}/good`, { domains: 'not a domain!', issuer: 'ftp://x' }));
    expect(state.fieldErrors).toMatchObject({ domains: ['Not is not a hostname such as acme.com'], issuer: [expect.stringMatching(/^Must be an absolute http\(s\) URL/)] });
    const mapping = await actions(t.admin.sessionId).oidc(undefined, oidcForm(`${base}/good`, { mapField: ['salary'], mapClaim: ['pay'] }));
    expect(mapping.fieldErrors).toEqual({ mapping: [expect.stringMatching(/^Salary: not a field/)] });
    expect(await findConnectionsByOrganization(db, t.org.id)).toHaveLength(1);
  });

  it('shows a SAML certificate’s expiry and warns 30 days ahead (a generated certificate ending in 10 days)', async () => {
    const t = await tenant();
    const pems = await generate([{ name: 'commonName', value: 'Soon IdP' }], { keySize: 2048, algorithm: 'sha256', notAfterDate: new Date(Date.now() + 10 * 86_400_000) });
    const state = await actions(t.admin.sessionId).saml(undefined, form({ name: 'Entra', domains: 'acme.test', samlSource: 'manual', entityId: 'https://sts.example.test/x', ssoUrl: 'https://sts.example.test/sso', certificate: pems.cert }));
    expect(state, JSON.stringify(state)).toMatchObject({ ok: true });
    const page = await loadConnectionPage(db, t.org.id, state.data!.connectionId);
    expect(page!.saml!.certificates).toEqual([expect.objectContaining({ state: 'soon', daysLeft: expect.any(Number), subject: expect.stringContaining('Soon IdP') })]);
    expect(page!.saml!.certificates[0]!.daysLeft).toBeLessThan(30);
    expect(page!.idp).toMatchObject({ protocol: 'saml', acsUrl: expect.stringContaining('/acs'), spEntityId: expect.any(String), spMetadataUrl: expect.any(String) });
    const list = await loadConnectionsList(db, t.org.id);
    expect(list.find((c) => c.id === state.data!.connectionId)).toMatchObject({ protocol: 'saml', certificateWarning: { state: 'soon' } });
    expect(list.find((c) => c.id === t.connection.id)).toMatchObject({ accounts: 2, certificateWarning: null });

    const bad = await actions(t.admin.sessionId).saml(undefined, form({ name: 'Entra', domains: 'acme.test', samlSource: 'url', metadataUrl: `${base}/nothing.xml` }));
    expect(bad.error).toMatch(/^Metadata URL: .* answered 404/);
  });
});

describe('disable and delete from the console', () => {
  it('an auditor is refused and the refusal audited; nothing changes', async () => {
    const t = await tenant();
    const as = actions(t.auditor.sessionId);
    expect(await as.oidc(undefined, oidcForm(`${base}/good`))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await as.toggle(undefined, form({ connectionId: t.connection.id, enabled: 'false' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await getConnectionById(db, t.connection.id)).toMatchObject({ enabled: true });
    expect((await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).map((e) => (e.data as { action: string }).action).sort()).toEqual(['connections.create_oidc', 'connections.toggle']);
  });

  it("another organization's connection is not found", async () => {
    const [a, b] = [await tenant(), await tenant()];
    expect(await actions(a.admin.sessionId).toggle(undefined, form({ connectionId: b.connection.id, enabled: 'false' }))).toEqual({ error: 'No such connection in this organization.' });
    expect(await actions(a.admin.sessionId).remove(undefined, form({ connectionId: b.connection.id, confirm: 'Test IdP' }))).toEqual({ error: 'No such connection in this organization.' });
    expect(await loadConnectionPage(db, a.org.id, b.connection.id)).toBeNull();
    expect(await getConnectionById(db, b.connection.id)).toMatchObject({ enabled: true });
  });

  it('disables; refuses to delete a connection in use without its name typed; deletes it with the name', async () => {
    const t = await tenant();
    const old = await insertConnection(db, { organizationId: t.org.id, name: 'Old IdP', protocol: 'oidc', issuer: 'https://old.example.test', clientId: 'r', allowedDomains: ['example.com'] });
    await makeAdminSession(db, t.org.id, old.id, { admin: false });
    const as = actions(t.admin.sessionId);
    expect(await as.toggle(undefined, form({ connectionId: old.id, enabled: 'false' }))).toMatchObject({ ok: true, data: { message: 'Old IdP is disabled: sign-ins are refused and 1 session ended; its accounts are kept.' } });
    const refused = await as.remove(undefined, form({ connectionId: old.id }));
    expect(refused.error).toMatch(/Old IdP is in use: 1 account signs in through it.*Type its name to delete it anyway\./);
    expect(await as.remove(undefined, form({ connectionId: old.id, confirm: 'old' }))).toEqual({ error: 'Type the connection’s name, Old IdP, to delete it.' });
    expect(await getConnectionById(db, old.id)).not.toBeNull();
    expect(await as.remove(undefined, form({ connectionId: old.id, confirm: 'Old IdP' }))).toMatchObject({ ok: true });
    expect(await getConnectionById(db, old.id)).toBeNull();
  });
});
