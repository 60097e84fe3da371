import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getConnectionById } from '@/db/queries/connections';
import { insertOrganization } from '@/db/queries/organizations';
import { readSamlConfig } from '@/lib/saml/config';
import { certificateRef } from '@/lib/saml/metadata-diff';
import { generateSigningKey, type SigningKey } from '@/lib/saml/testing/keys';
import { startMetadataServer, type MetadataServer } from '@/lib/saml/testing/metadata-server';
import { TestIdp } from '@/lib/saml/testing/test-idp';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';

const launcher = path.join(import.meta.dirname, 'roster.mjs');
const db = testDb();
let server: MetadataServer;
let keys: SigningKey[];

beforeAll(async () => {
  server = await startMetadataServer();
  keys = await Promise.all([generateSigningKey({ commonName: 'Old' }), generateSigningKey({ commonName: 'New' })]);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

type Run = { code: number; stdout: string; stderr: string };
function roster(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env: process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
async function json<T>(args: string[]): Promise<T> {
  const run = await roster([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0 });
  return JSON.parse(run.stdout) as T;
}

describe('roster connection refresh-metadata (the real CLI, a real local metadata server)', { timeout: 120_000 }, () => {
  it('keeps the URL from create, refreshes a rotated key, reports failures (exit 1, audited), runs --all as a job, and forgets the URL on request', async () => {
    const org = await insertOrganization(db, { slug: `meta-${crypto.randomUUID().slice(0, 8)}`, name: 'Meta' });
    const idp = (key: SigningKey) => new TestIdp('https://idp.meta.test/saml', 'https://idp.meta.test/sso', key);
    server.serve(`/${org.slug}`, { body: idp(keys[0]!).metadataXml() });
    const url = server.url(`/${org.slug}`);

    const bad = await roster(['connection', 'create', '--org', org.slug, '--protocol', 'saml', '--name', 'Meta IdP', '--domain', 'meta.test', '--metadata-url', 'http://idp.meta.test/metadata']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--metadata-url must be an https URL (plain http only to 127.0.0.1 or localhost)')]);
    const created = await json<{ id: string }>(['connection', 'create', '--org', org.slug, '--protocol', 'saml', '--name', 'Meta IdP', '--domain', 'meta.test', '--metadata-url', url]);
    const config = async () => readSamlConfig((await getConnectionById(db, created.id))!.samlConfig)!;
    expect(await config()).toMatchObject({ metadataUrl: url, idpEntityId: 'https://idp.meta.test/saml' });

    server.serve(`/${org.slug}`, { body: idp(keys[1]!).metadataXml() });
    const which = ['--org', org.slug, '--connection', 'Meta IdP'];
    const dry = await json<{ outcome: string; dryRun: boolean }>(['connection', 'refresh-metadata', ...which, '--dry-run']);
    expect(dry).toMatchObject({ outcome: 'updated', dryRun: true });
    expect((await config()).certificates.map((c) => certificateRef(c).fingerprint)).toEqual([certificateRef(keys[0]!.certificate).fingerprint]);
    const text = await roster(['connection', 'refresh-metadata', ...which]);
    expect(text, text.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('The SAML metadata of Meta IdP was refreshed: 1 certificate added') });
    expect(text.stdout).toContain(`certificate added:   ${certificateRef(keys[1]!.certificate).fingerprint}`);
    expect((await config()).certificates.map((c) => certificateRef(c).fingerprint)).toEqual([certificateRef(keys[1]!.certificate).fingerprint]);

    server.serve(`/${org.slug}`, { status: 404, body: 'gone', contentType: 'text/plain' });
    const failed = await roster(['connection', 'refresh-metadata', ...which, '--json']);
    expect([failed.code, failed.stdout, failed.stderr]).toEqual([1, '', expect.stringContaining(`Metadata URL: ${url} answered 404 Not Found.`)]);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    const events = await findAuditEvents(db, org.id, { actions: ['connection.metadata_refreshed', 'connection.metadata_refresh_failed'] });
    expect(events.map((e) => [e.action, e.actorType])).toEqual([['connection.metadata_refresh_failed', 'cli'], ['connection.metadata_refreshed', 'cli']]);

    server.serve(`/${org.slug}`, { body: idp(keys[1]!).metadataXml() });
    const all = await json<{ runId: string; counts: Record<string, number>; connections: { name: string; outcome: string }[] }>(['connection', 'refresh-metadata', '--org', org.slug, '--all']);
    expect(all).toMatchObject({ counts: { metadata_unchanged: 1 }, connections: [{ name: 'Meta IdP', outcome: 'unchanged' }] });
    expect((await findAuditEvents(db, org.id, { actions: ['connection.metadata_refreshed'], limit: 1 }))[0]).toMatchObject({ data: expect.objectContaining({ runId: all.runId, changed: [] }) });

    const usage = await roster(['connection', 'refresh-metadata', '--org', org.slug]);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('give --connection NAME|ID or --all')]);
    await json(['connection', 'update', ...which, '--no-metadata-url']);
    expect((await config()).metadataUrl).toBeUndefined();
    const none = await roster(['connection', 'refresh-metadata', ...which]);
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('Meta IdP has no metadata URL')]);
  });
});
