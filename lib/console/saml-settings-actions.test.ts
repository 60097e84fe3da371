import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { readSamlConfig } from '@/lib/saml/config';
import { generateSigningKey, type SigningKey } from '@/lib/saml/testing/keys';
import { startMetadataServer, type MetadataServer } from '@/lib/saml/testing/metadata-server';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { createSamlConnection, createSamlSchema, updateConnectionFromForm, updateSchema } from './connection-actions';

const db = testDb();
let server: MetadataServer;
let keys: SigningKey[];
beforeAll(async () => {
  server = await startMetadataServer();
  keys = await Promise.all([generateSigningKey({ commonName: 'First' }), generateSigningKey({ commonName: 'Second' })]);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const form = (fields: Record<string, string | Blob>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const actions = (sessionId: string) => ({
  saml: defineAdminAction('connections.create_saml', createSamlSchema, (input, ctx) => createSamlConnection(input, ctx), deps(sessionId)),
  update: defineAdminAction('connections.update', updateSchema, (input, ctx) => updateConnectionFromForm(input, ctx), deps(sessionId)),
});
const idp = (key: SigningKey, sso = 'https://sts.acme.test/sso') => new TestIdp('https://sts.acme.test/idp', sso, key);

describe('editing a SAML connection’s IdP settings on its page', () => {
  it('keeps them, or replaces them from a file, a URL or by hand; a failure changes nothing; an auditor is refused', async () => {
    const { org, connection: oidc } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
    const admin = await makeAdminSession(db, org.id, oidc.id);
    const auditor = await makeAdminSession(db, org.id, oidc.id, { admin: false });
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
    const at = `/${org.id}/metadata`;
    server.serve(at, { body: idp(keys[0]!).metadataXml() });
    const created = await actions(admin.sessionId).saml(undefined, form({ name: 'Acme', domains: 'acme.test', samlSource: 'url', metadataUrl: server.url(at) }));
    const id = (created as { data: { connectionId: string } }).data.connectionId;
    const config = async () => readSamlConfig((await getConnectionById(db, id))!.samlConfig)!;
    const subjects = async () => (await config()).certificates.map((pem) => new X509Certificate(pem).subject);
    const common = { connectionId: id, name: 'Acme', domains: 'acme.test', jit: 'on' };

    // Keep: only the common settings change.
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, name: 'Acme SSO', samlSource: 'keep' }))).toMatchObject({ ok: true });
    expect(await config()).toMatchObject({ metadataUrl: server.url(at), idpEntityId: 'https://sts.acme.test/idp' });
    expect(await subjects()).toEqual(['CN=First']);

    // From a file: the new key; the URL is dropped (the daily refresh would undo the file).
    const file = new Blob([idp(keys[1]!).metadataXml()], { type: 'text/xml' });
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, samlSource: 'metadata', metadataFile: file }))).toMatchObject({ ok: true, data: { changed: expect.arrayContaining(['samlConfig']) } });
    expect(await subjects()).toEqual(['CN=Second']);
    expect((await config()).metadataUrl).toBeUndefined();

    // From a URL: fetched now, and kept.
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, samlSource: 'url', metadataUrl: server.url(at) }))).toMatchObject({ ok: true });
    expect(await subjects()).toEqual(['CN=First']);
    expect((await config()).metadataUrl).toBe(server.url(at));

    // Failures change nothing: a 404, an empty hand edit, an http URL elsewhere.
    const before = await config();
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, samlSource: 'url', metadataUrl: server.url('/gone') }))).toEqual({ error: expect.stringMatching(/404/) });
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, samlSource: 'manual' }))).toEqual({ error: 'By hand: give the entity ID, SSO URL or signing certificate to change (blank ones are kept).' });
    expect(await config()).toEqual(before);

    // By hand: one value; the others kept; the refresh stops.
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, samlSource: 'manual', ssoUrl: 'https://sts.acme.test/sso2' }))).toMatchObject({ ok: true });
    expect(await config()).toMatchObject({ ssoUrl: 'https://sts.acme.test/sso2', idpEntityId: 'https://sts.acme.test/idp' });
    expect((await config()).metadataUrl).toBeUndefined();
    expect(await subjects()).toEqual(['CN=First']);

    // An OIDC connection has none; an auditor cannot.
    expect(await actions(admin.sessionId).update(undefined, form({ ...common, connectionId: oidc.id, samlSource: 'manual', ssoUrl: 'https://x.test/sso' }))).toEqual({ error: 'An OIDC connection has no SAML settings to replace.' });
    expect(await actions(auditor.sessionId).update(undefined, form({ ...common, samlSource: 'manual', ssoUrl: 'https://evil.test/sso' }))).toMatchObject({ error: expect.any(String) });
    expect((await config()).ssoUrl).toBe('https://sts.acme.test/sso2');
    const updates = await findAuditEvents(db, org.id, { actions: ['connection.updated'] });
    expect(updates.filter((e) => e.targetId === id)).toHaveLength(4);
  });
});
