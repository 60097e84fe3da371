import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { getOrganizationSettings } from '@/db/queries/organizations';
import { getConnectionById } from '@/db/queries/connections';
import { upsertRole } from '@/db/queries/roles';
import { resolveAdmin } from '@/lib/auth/admin-gate';
import { defineAdminAction } from '@/lib/auth/define-action';
import { grantRole } from '@/lib/lifecycle/access/grant-role';
import { makeSamlConnection, makeTestIdp } from '@/lib/saml/testing/fixtures';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, testDb } from '@/lib/testing/fixtures';
import { idpInitiatedSchema, saveOrganizationSettings, setIdpInitiated, settingsFormSchema } from './settings-actions';
import { loadSettingsPage } from './settings-page';

const db = testDb();
afterAll(closeTestDb);
const DEPLOYMENT = 8 * 3600;

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};
const deps = (sessionId: string) => ({ db: () => db, gate: () => resolveAdmin(db, sessionId), onSignedOut: (): never => { throw new Error('signed out'); } });
const save = (sessionId: string) => defineAdminAction('organization.update_settings', settingsFormSchema(() => DEPLOYMENT), (input, ctx) => saveOrganizationSettings(input, ctx, DEPLOYMENT), deps(sessionId));
const toggle = (sessionId: string) => defineAdminAction('connection.set_idp_initiated', idpInitiatedSchema, (input, ctx) => setIdpInitiated(input, ctx), deps(sessionId));

const idp = await makeTestIdp();

async function tenant() {
  const { org, connection } = await makeSamlConnection(db, idp);
  await upsertRole(db, { organizationId: org.id, key: 'auditor', name: 'Auditor' });
  const admin = await makeAdminSession(db, org.id, connection.id);
  const auditor = await makeAdminSession(db, org.id, connection.id, { admin: false });
  await asAdmin(db, (tx, ctx) => grantRole(tx, { organizationId: org.id, accountId: auditor.account.id, roleKey: 'auditor' }, ctx));
  return { org, connection, admin, auditor };
}

describe('the settings form', () => {
  it('an admin saves it: the session lifetime typed in minutes, stored in seconds, audited with the admin as actor', async () => {
    const t = await tenant();
    const state = await save(t.admin.sessionId)(undefined, form({ purgeDeprovisionedAfterDays: '30', sessionMaxAgeMinutes: '10', seatPricePerMonth: '' }));
    expect(state).toMatchObject({ ok: true, data: { message: 'Settings saved: 2 changed.' } });
    expect(await getOrganizationSettings(db, t.org.id)).toEqual({ purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 });
    expect(await findAuditEvents(db, t.org.id, { actions: ['organization.settings_changed'] })).toEqual([
      expect.objectContaining({ actorType: 'admin', actorId: t.admin.account.id, after: { purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 } }),
    ]);
    expect((await loadSettingsPage(db, t.org.id)).settings).toEqual({ purgeDeprovisionedAfterDays: 30, sessionMaxAgeSeconds: 600 });
  });

  it.each([
    [{ purgeDeprovisionedAfterDays: '0' }, 'purgeDeprovisionedAfterDays', 'Purge after must be at least 1 day.'],
    [{ purgeDeprovisionedAfterDays: 'soon' }, 'purgeDeprovisionedAfterDays', 'Purge after must be a whole number of days.'],
    [{ sessionMaxAgeMinutes: '2' }, 'sessionMaxAgeMinutes', 'Session lifetime must be a whole number of minutes from 5 to 480'],
    [{ sessionMaxAgeMinutes: '481' }, 'sessionMaxAgeMinutes', 'from 5 to 480'],
    [{ seatPricePerMonth: '-3' }, 'seatPricePerMonth', 'Seat price must be at least 0.'],
  ])('invalid %j: a field error on %s, nothing saved', async (change, field, message) => {
    const t = await tenant();
    const state = await save(t.admin.sessionId)(undefined, form({ purgeDeprovisionedAfterDays: '', sessionMaxAgeMinutes: '', seatPricePerMonth: '', ...change }));
    expect(state.error).toBe('Check the highlighted fields.');
    expect(state.fieldErrors?.[field]?.[0]).toContain(message);
    expect(await getOrganizationSettings(db, t.org.id)).toEqual({});
  });

  it('an auditor is refused, the refusal audited, nothing saved', async () => {
    const t = await tenant();
    expect(await save(t.auditor.sessionId)(undefined, form({ purgeDeprovisionedAfterDays: '30' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect(await getOrganizationSettings(db, t.org.id)).toEqual({});
    expect(await findAuditEvents(db, t.org.id, { actions: ['admin.action_refused'] })).toHaveLength(1);
  });
});

describe('the IdP-initiated switch', () => {
  it('turns it on and off in saml_config, other keys kept, audited connection.updated with before and after', async () => {
    const t = await tenant();
    await db.execute(sql`update connections set saml_config = saml_config || '{"metadataUrl": "https://idp.example/metadata"}'::jsonb where id = ${t.connection.id}::uuid`);
    expect((await loadSettingsPage(db, t.org.id)).samlConnections).toEqual([{ id: t.connection.id, name: t.connection.name, enabled: true, allowIdpInitiated: false }]);
    expect(await toggle(t.admin.sessionId)(undefined, form({ connectionId: t.connection.id, allow: 'true' }))).toMatchObject({ ok: true, data: { message: `IdP-initiated sign-in is on for ${t.connection.name}.` } });
    const stored = (await getConnectionById(db, t.connection.id))!.samlConfig as Record<string, unknown>;
    expect(stored).toMatchObject({ allowIdpInitiated: true, metadataUrl: 'https://idp.example/metadata', idpEntityId: expect.any(String) });
    const [event] = await findAuditEvents(db, t.org.id, { actions: ['connection.updated'] });
    expect(event).toMatchObject({ actorId: t.admin.account.id, data: { changed: ['samlConfig'] }, before: { samlConfig: { allowIdpInitiated: false } }, after: { samlConfig: { allowIdpInitiated: true } } });
    expect(await toggle(t.admin.sessionId)(undefined, form({ connectionId: t.connection.id, allow: 'false' }))).toMatchObject({ ok: true });
    expect((await loadSettingsPage(db, t.org.id)).samlConnections[0]!.allowIdpInitiated).toBe(false);
  });

  it('another organization’s connection is not found and stays as it was; an auditor is refused', async () => {
    const a = await tenant();
    const b = await tenant();
    expect(await toggle(a.admin.sessionId)(undefined, form({ connectionId: b.connection.id, allow: 'true' }))).toEqual({ error: 'No such connection in this organization.' });
    expect(await toggle(a.auditor.sessionId)(undefined, form({ connectionId: a.connection.id, allow: 'true' }))).toEqual({ error: 'Only an administrator of this organization can do that.' });
    expect((await loadSettingsPage(db, b.org.id)).samlConnections[0]!.allowIdpInitiated).toBe(false);
    expect((await loadSettingsPage(db, a.org.id)).samlConnections[0]!.allowIdpInitiated).toBe(false);
  });
});
