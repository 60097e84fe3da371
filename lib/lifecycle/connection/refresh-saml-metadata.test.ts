import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import type { Actor } from '@/lib/audit/record-event';
import { readSamlConfig } from '@/lib/saml/config';
import { certificateRef } from '@/lib/saml/metadata-diff';
import { makeSamlConnection } from '@/lib/saml/testing/fixtures';
import { generateSigningKey, type SigningKey } from '@/lib/saml/testing/keys';
import { startMetadataServer, type MetadataServer } from '@/lib/saml/testing/metadata-server';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { refreshSamlMetadata } from './refresh-saml-metadata';

const db = testDb();
const admin: Actor = { type: 'admin', id: 'test-admin' };
let server: MetadataServer;
let oldKey: SigningKey;
let newKey: SigningKey;
let weakKey: SigningKey;
let path = 0;

beforeAll(async () => {
  server = await startMetadataServer();
  [oldKey, newKey, weakKey] = await Promise.all([generateSigningKey(), generateSigningKey({ commonName: 'Rolled over' }), generateSigningKey({ bits: 1024 })]);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const ENTITY = 'https://idp.example.test/saml';
const idpWith = (key: SigningKey, ssoUrl = 'https://idp.example.test/saml/sso', entityId = ENTITY) => new TestIdp(entityId, ssoUrl, key);

/** A SAML connection made from the metadata at its own path of the server (served by the old key's IdP), with IdP-initiated sign-in on. */
async function setup() {
  const at = `/idp-${++path}/metadata`;
  const idp = idpWith(oldKey);
  server.serve(at, { body: idp.metadataXml() });
  const made = await makeSamlConnection(db, idp, { metadataUrl: server.url(at), allowIdpInitiated: true });
  return { ...made, at };
}
const refresh = (s: { org: { id: string }; connection: { id: string } }, extra: { runId?: string; dryRun?: boolean } = {}, timeoutMs?: number) =>
  refreshSamlMetadata(db, { organizationId: s.org.id, connectionId: s.connection.id, ...extra }, { actor: admin, fetch: timeoutMs ? { timeoutMs } : undefined });
const stored = async (id: string) => {
  const row = await getConnectionById(db, id);
  return { config: readSamlConfig(row!.samlConfig)!, raw: row!.samlConfig };
};
const events = (orgId: string) => findAuditEvents(db, orgId, { actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed'] });

describe('refreshSamlMetadata (a real local metadata server)', () => {
  it('applies a rotated certificate and a moved SSO URL, keeps the connection’s own options, and audits what changed with the run', async () => {
    const s = await setup();
    server.serve(s.at, { body: idpWith(newKey, 'https://idp.example.test/saml/sso2').metadataXml() });
    const runId = crypto.randomUUID();
    const result = await refresh(s, { runId });
    const added = certificateRef(newKey.certificate);
    const removed = certificateRef(oldKey.certificate);
    expect(result).toMatchObject({ outcome: 'updated', reason: null, changed: ['certificates', 'ssoUrl'], certificatesAdded: [added], certificatesRemoved: [removed], ssoUrl: { before: 'https://idp.example.test/saml/sso', after: 'https://idp.example.test/saml/sso2' } });
    expect(result.message).toMatch(/^The SAML metadata of Test IdP was refreshed: 1 certificate added \(expiring \d{4}-\d\d-\d\d\), 1 certificate removed, SSO URL now https:\/\/idp\.example\.test\/saml\/sso2\.$/);
    const { config } = await stored(s.connection.id);
    expect(config.certificates.map(certificateRef)).toEqual([added]);
    expect(config).toMatchObject({ idpEntityId: ENTITY, ssoUrl: 'https://idp.example.test/saml/sso2', allowIdpInitiated: true, metadataUrl: server.url(s.at) });
    const [event] = await events(s.org.id);
    expect(event).toMatchObject({
      action: 'connection.metadata_refreshed', actorType: 'admin', targetId: s.connection.id,
      before: { ssoUrl: 'https://idp.example.test/saml/sso' }, after: { ssoUrl: 'https://idp.example.test/saml/sso2' },
      data: { name: 'Test IdP', metadataUrl: server.url(s.at), runId, changed: ['certificates', 'ssoUrl'], certificatesAdded: [added], certificatesRemoved: [removed] },
    });

    // The same metadata again: nothing is written, and the check is recorded (the page's "last refresh").
    const again = await refresh(s);
    expect(again).toMatchObject({ outcome: 'unchanged', changed: [], message: 'The SAML metadata of Test IdP is unchanged: nothing was written.' });
    expect((await stored(s.connection.id)).config).toEqual(config);
    expect((await events(s.org.id))[0]).toMatchObject({ action: 'connection.metadata_refreshed', data: { changed: [] } });
  });

  it('a dry run says what it would do and writes and audits nothing', async () => {
    const s = await setup();
    server.serve(s.at, { body: idpWith(newKey).metadataXml() });
    const before = await stored(s.connection.id);
    expect(await refresh(s, { dryRun: true })).toMatchObject({ outcome: 'updated', dryRun: true, changed: ['certificates'], message: expect.stringContaining('would be refreshed') });
    expect((await stored(s.connection.id)).raw).toEqual(before.raw);
    expect(await events(s.org.id)).toEqual([]);
  });

  it('refuses metadata that names another entity ID: nothing changes, the refusal is audited', async () => {
    const s = await setup();
    const before = await stored(s.connection.id);
    server.serve(s.at, { body: idpWith(newKey, undefined, 'https://evil.example.test/saml').metadataXml() });
    const result = await refresh(s);
    expect(result).toMatchObject({ outcome: 'refused', reason: 'entity_id_changed', message: expect.stringContaining(`names the entity ID https://evil.example.test/saml, not ${ENTITY}: refused, nothing changed`) });
    expect((await stored(s.connection.id)).raw).toEqual(before.raw);
    expect(await events(s.org.id)).toEqual([
      expect.objectContaining({ action: 'connection.metadata_refresh_failed', data: expect.objectContaining({ reason: 'entity_id_changed', storedEntityId: ENTITY, foundEntityId: 'https://evil.example.test/saml' }) }),
    ]);
  });

  it.each([
    ['a 404', () => ({ status: 404, body: 'gone', contentType: 'text/plain' }), 'http_status', /answered 404 Not Found/],
    ['a timeout', () => 'hang' as const, 'timeout', /did not answer within 500 ms/],
    ['an oversize document', () => ({ body: `<x>${'a'.repeat(1024 * 1024)}</x>` }), 'too_large', /larger than 1 MiB/],
    ['bad XML', () => ({ body: '<EntityDescriptor><oops' }), 'invalid_metadata', /IdP metadata: not well-formed XML/],
    ['a DTD', () => ({ body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' }), 'invalid_metadata', /IdP metadata: /],
    ['no signing certificate', () => ({ body: idpWith(newKey).metadataXml().replace(/<(\w+:)?KeyDescriptor[\s\S]*<\/(\w+:)?KeyDescriptor>/, '') }), 'invalid_metadata', /lists no signing certificate/],
    ['a 1024-bit key', () => ({ body: idpWith(weakKey).metadataXml() }), 'invalid_metadata', /1024-bit RSA key; at least 2048 bits are required/],
  ])('%s changes nothing and is audited with its reason', async (_what, answer, reason, message) => {
    const s = await setup();
    const before = await stored(s.connection.id);
    server.serve(s.at, answer());
    const result = await refresh(s, {}, 500);
    expect(result).toMatchObject({ outcome: 'failed', reason, message: expect.stringMatching(message), changed: [] });
    expect((await stored(s.connection.id)).raw).toEqual(before.raw);
    expect(await events(s.org.id)).toEqual([expect.objectContaining({ action: 'connection.metadata_refresh_failed', actorType: 'admin', targetId: s.connection.id, data: expect.objectContaining({ reason, message: result.message, metadataUrl: server.url(s.at) }) })]);
  });

  it('refuses to refresh what cannot be refreshed, before fetching anything', async () => {
    const oidc = await makeOrganization(db);
    await expect(refresh(oidc)).rejects.toThrow(/is an OIDC connection: it has no SAML metadata to refresh/);
    const manual = await makeSamlConnection(db, idpWith(oldKey));
    await expect(refresh(manual)).rejects.toThrow(/has no metadata URL/);
    await expect(refreshSamlMetadata(db, { organizationId: oidc.org.id, connectionId: manual.connection.id }, { actor: admin })).rejects.toThrow(/No such connection/);
  });
});
