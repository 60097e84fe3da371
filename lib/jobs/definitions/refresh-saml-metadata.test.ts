import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById, insertConnection } from '@/db/queries/connections';
import type { Actor } from '@/lib/audit/record-event';
import { readSamlConfig } from '@/lib/saml/config';
import { buildSamlConnectionConfig } from '@/lib/saml/idp-metadata';
import { certificateRef } from '@/lib/saml/metadata-diff';
import { generateSigningKey, type SigningKey } from '@/lib/saml/testing/keys';
import { startMetadataServer, type MetadataServer } from '@/lib/saml/testing/metadata-server';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { runJob } from '../run-job';
import { refreshSamlMetadataJob } from './refresh-saml-metadata';

const db = testDb();
const cli: Actor = { type: 'cli', id: 'ops' };
let server: MetadataServer;
let keys: SigningKey[];

beforeAll(async () => {
  server = await startMetadataServer();
  keys = await Promise.all([1, 2, 3, 4, 5].map((i) => generateSigningKey({ commonName: `IdP key ${i}` })));
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

/** A SAML connection of the organization made from the metadata its IdP serves at `/<org>/<name>`; `url: false` keeps no URL. */
async function samlConnection(organizationId: string, name: string, key: SigningKey, options: { url?: boolean; enabled?: boolean } = {}) {
  const at = `/${organizationId}/${name}`;
  const idp = new TestIdp(`https://${name}.example.test/saml`, `https://${name}.example.test/sso`, key);
  server.serve(at, { body: idp.metadataXml() });
  const settings = options.url === false ? {} : { metadataUrl: server.url(at) };
  const { samlMetadata, samlConfig } = buildSamlConnectionConfig({ metadataXml: idp.metadataXml(), settings });
  const row = await insertConnection(db, { organizationId, name, protocol: 'saml', samlMetadata, samlConfig, allowedDomains: [`${name}.example.test`], enabled: options.enabled ?? true });
  return { row, at, idp };
}
const certificatesOf = async (id: string) => readSamlConfig((await getConnectionById(db, id))!.samlConfig)!.certificates.map((c) => certificateRef(c).fingerprint);

describe('refresh-saml-metadata job', () => {
  it('is a daily organization job, fanned out to organizations with an enabled SAML connection keeping a metadata URL', async () => {
    expect(refreshSamlMetadataJob).toMatchObject({ name: 'refresh-saml-metadata', scope: 'organization', schedule: '20 4 * * *' });
    const { org: withUrl } = await makeOrganization(db);
    const { org: without } = await makeOrganization(db);
    const { org: disabled } = await makeOrganization(db);
    await samlConnection(withUrl.id, 'acme', keys[0]!);
    await samlConnection(without.id, 'acme', keys[0]!, { url: false });
    await samlConnection(disabled.id, 'acme', keys[0]!, { enabled: false });
    const picked = await refreshSamlMetadataJob.selectOrganizations!(db, new Date());
    expect(picked).toContain(withUrl.id);
    expect(picked).not.toContain(without.id);
    expect(picked).not.toContain(disabled.id);
  });

  it('refreshes every connection, survives one failing, skips disabled and URL-less ones, and puts the run id on each event', async () => {
    const { org } = await makeOrganization(db);
    const rotated = await samlConnection(org.id, 'rotated', keys[0]!);
    const down = await samlConnection(org.id, 'down', keys[1]!);
    const same = await samlConnection(org.id, 'same', keys[2]!);
    const off = await samlConnection(org.id, 'off', keys[3]!, { enabled: false });
    const fixed = await samlConnection(org.id, 'fixed', keys[3]!, { url: false });
    // Stored settings no longer valid (hand-edited): refreshSamlMetadata throws for it; the run goes on.
    const broken = await insertConnection(db, { organizationId: org.id, name: 'broken', protocol: 'saml', samlConfig: { metadataUrl: server.url(same.at), idpEntityId: 'x' }, allowedDomains: ['broken.example.test'] });
    server.serve(rotated.at, { body: new TestIdp(rotated.idp.entityId, rotated.idp.ssoUrl, keys[4]!).metadataXml() });
    server.serve(down.at, { status: 503, body: 'maintenance', contentType: 'text/plain' });
    server.serve(off.at, { body: new TestIdp(off.idp.entityId, off.idp.ssoUrl, keys[4]!).metadataXml() });

    const dry = await runJob(db, refreshSamlMetadataJob, { organizationId: org.id, trigger: 'cli', actor: cli, now: new Date(), dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', counts: { metadata_updated: 1, metadata_unchanged: 1, metadata_failed: 2, metadata_refused: 0 } });
    expect(await certificatesOf(rotated.row.id)).toEqual([certificateRef(keys[0]!.certificate).fingerprint]);
    expect(await findAuditEvents(db, org.id, { actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed'] })).toEqual([]);

    const run = await runJob(db, refreshSamlMetadataJob, { organizationId: org.id, trigger: 'cli', actor: cli, now: new Date() });
    expect(run).toMatchObject({ status: 'succeeded', counts: { metadata_updated: 1, metadata_unchanged: 1, metadata_failed: 2, metadata_refused: 0 } });
    const [stored] = await db.execute<{ details: { connections: { name: string; outcome: string; reason: string | null }[] } }>(sql`select details from job_runs where id = ${run.runId}`);
    expect(stored!.details.connections.map((c) => [c.name, c.outcome, c.reason])).toEqual([
      ['broken', 'failed', 'precondition_failed'],
      ['down', 'failed', 'http_status'],
      ['rotated', 'updated', null],
      ['same', 'unchanged', null],
    ]);
    expect(broken.id).toBeTruthy();
    expect(await certificatesOf(rotated.row.id)).toEqual([certificateRef(keys[4]!.certificate).fingerprint]);
    expect(await certificatesOf(down.row.id)).toEqual([certificateRef(keys[1]!.certificate).fingerprint]);
    expect(await certificatesOf(off.row.id)).toEqual([certificateRef(keys[3]!.certificate).fingerprint]);
    const events = await findAuditEvents(db, org.id, { actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed'] });
    expect(events.map((e) => [e.targetId, e.action, e.actorType, (e.data as { runId?: string }).runId]).sort()).toEqual(
      [
        [rotated.row.id, 'connection.metadata_refreshed', 'cli', run.runId],
        [down.row.id, 'connection.metadata_refresh_failed', 'cli', run.runId],
        [same.row.id, 'connection.metadata_refreshed', 'cli', run.runId],
      ].sort(),
    );
    expect(events.some((e) => e.targetId === fixed.row.id || e.targetId === off.row.id)).toBe(false);
  });
});
