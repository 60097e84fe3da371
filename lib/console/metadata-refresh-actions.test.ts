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
import { createSamlConnection, createSamlSchema, refreshMetadataFromForm, refreshMetadataSchema } from './connection-actions';
import { loadConnectionPage } from './connections-page';

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

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const actions = (sessionId: string) => ({
  saml: defineAdminAction('connections.create_saml', createSamlSchema, (input, ctx) => createSamlConnection(input, ctx), deps(sessionId)),
  refresh: defineAdminAction('connections.refresh_metadata', refreshMetadataSchema, (input, ctx) => refreshMetadataFromForm(input, ctx, { metadataTimeoutMs: 2_000 }), deps(sessionId)),
});

describe('a SAML connection made from a metadata URL in the console', () => {
  it('keeps the URL; "Refresh metadata" applies a rotated key and says so; a failure is the form’s error and audited; an auditor is refused', async () => {
    const { org, connection } = await makeOrganization(db);
    await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
    const admin = await makeAdminSession(db, org.id, connection.id);
    const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
    await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
    const at = `/${org.id}/metadata`;
    const idp = (key: SigningKey) => new TestIdp('https://sts.acme.test/idp', 'https://sts.acme.test/sso', key);
    server.serve(at, { body: idp(keys[0]!).metadataXml() });

    const refused = await actions(admin.sessionId).saml(undefined, form({ name: 'Acme', domains: 'acme.test', samlSource: 'url', metadataUrl: 'http://sts.acme.test/metadata' }));
    expect(refused.error).toBe('Metadata URL: http://sts.acme.test/metadata must be an https URL (plain http only to 127.0.0.1 or localhost).');
    const created = await actions(admin.sessionId).saml(undefined, form({ name: 'Acme', domains: 'acme.test', samlSource: 'url', metadataUrl: server.url(at) }));
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const id = created.data!.connectionId;
    expect(readSamlConfig((await getConnectionById(db, id))!.samlConfig)).toMatchObject({ metadataUrl: server.url(at), idpEntityId: 'https://sts.acme.test/idp' });
    expect((await loadConnectionPage(db, org.id, id))!.saml).toMatchObject({ metadataUrl: server.url(at), lastRefresh: null, refreshSchedule: 'daily at 04:20 UTC' });

    server.serve(at, { body: idp(keys[1]!).metadataXml() });
    const done = await actions(admin.sessionId).refresh(undefined, form({ connectionId: id }));
    expect(done).toEqual({ ok: true, data: { message: expect.stringMatching(/^The SAML metadata of Acme was refreshed: 1 certificate added \(expiring [\d-]+\), 1 certificate removed\.$/) } });
    const page = (await loadConnectionPage(db, org.id, id))!;
    expect(page.saml!.certificates).toEqual([expect.objectContaining({ subject: 'CN=Second' })]);
    expect(page.saml!.lastRefresh).toMatchObject({ outcome: 'updated', summary: '1 certificate added, 1 certificate removed.', by: 'an administrator' });

    server.serve(at, { status: 500, body: 'oops', contentType: 'text/plain' });
    const failed = await actions(admin.sessionId).refresh(undefined, form({ connectionId: id }));
    expect(failed).toEqual({ error: `Metadata URL: ${server.url(at)} answered 500 Internal Server Error.` });
    expect((await loadConnectionPage(db, org.id, id))!.saml!.lastRefresh).toMatchObject({ outcome: 'failed', summary: failed.error });
    expect((await loadConnectionPage(db, org.id, id))!.saml!.certificates).toEqual([expect.objectContaining({ subject: 'CN=Second' })]);

    expect(await actions(auditor.sessionId).refresh(undefined, form({ connectionId: id }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await actions(admin.sessionId).refresh(undefined, form({ connectionId: connection.id }))).toEqual({ error: 'Test IdP is an OIDC connection: it has no SAML metadata to refresh.' });
    const trail = await findAuditEvents(db, org.id, { actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed', 'admin.action_refused'] });
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ['admin.action_refused', auditor.account.id],
      ['connection.metadata_refresh_failed', admin.account.id],
      ['connection.metadata_refreshed', admin.account.id],
    ]);
  });
});
