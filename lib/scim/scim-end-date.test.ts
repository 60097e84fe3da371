import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { findAuditEvents } from '@/db/queries/audit-events';
import { setAccountEndDate } from '@/lib/lifecycle/account/set-end-date';
import { asAdmin, closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { PATCH_SCHEMA, ROSTER_USER_SCHEMA } from './scimmy';

/** The account's end date over SCIM: `endDate` of Roster's User extension, owned by SCIM once sent. */
const db = testDb();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
let server: ScimTestServer;
type Tenant = Awaited<ReturnType<typeof makeScimTenant>>;

beforeAll(async () => {
  server = await startScimServer(db);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const as = (tenant: Tenant) => (method: string, path: string, body?: unknown) => server.call(method, path, { token: tenant.token, body });
const patchOf = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

describe('SCIM endDate (Roster User extension)', () => {
  it('sets the end date on create, shows it, moves and removes it by PATCH, and owns it', async () => {
    const tenant = await makeScimTenant(db);
    const call = as(tenant);
    const created = await call('POST', '/Users', { schemas: [USER, ROSTER_USER_SCHEMA], userName: 'temp@example.com', [ROSTER_USER_SCHEMA]: { endDate: '2099-03-31T17:00:00Z' } });
    expect(created.status).toBe(201);
    const id = String(created.body!.id);
    expect(created.body).toMatchObject({ schemas: expect.arrayContaining([ROSTER_USER_SCHEMA]), [ROSTER_USER_SCHEMA]: { endDate: '2099-03-31T17:00:00.000Z' } });
    expect(await getAccountById(db, tenant.org.id, id)).toMatchObject({ endsAt: new Date('2099-03-31T17:00:00Z'), fieldOwners: expect.objectContaining({ endsAt: 'scim' }) });
    // An admin cannot override what the directory owns.
    await expect(asAdmin(db, (tx, ctx) => setAccountEndDate(tx, { organizationId: tenant.org.id, accountId: id, endsAt: null }, ctx))).rejects.toMatchObject({ code: 'conflict' });

    const moved = await call('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: `${ROSTER_USER_SCHEMA}:endDate`, value: '2099-06-30T00:00:00Z' }));
    expect(moved).toMatchObject({ status: 200, body: { [ROSTER_USER_SCHEMA]: { endDate: '2099-06-30T00:00:00.000Z' } } });
    expect((await call('GET', `/Users/${id}`)).body).toMatchObject({ [ROSTER_USER_SCHEMA]: { endDate: '2099-06-30T00:00:00.000Z' } });
    const selected = await call('GET', `/Users/${id}?attributes=${encodeURIComponent(`${ROSTER_USER_SCHEMA}:endDate`)}`);
    expect(selected.body).toEqual({ id, schemas: expect.any(Array), [ROSTER_USER_SCHEMA]: { endDate: '2099-06-30T00:00:00.000Z' } });
    const without = await call('GET', `/Users/${id}?excludedAttributes=${encodeURIComponent(ROSTER_USER_SCHEMA)}`);
    expect(without.body![ROSTER_USER_SCHEMA]).toBeUndefined();
    const events = await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['account.updated'] });
    expect(events[0]).toMatchObject({ before: { endsAt: '2099-03-31T17:00:00.000Z' }, after: { endsAt: '2099-06-30T00:00:00.000Z' } });

    const removed = await call('PATCH', `/Users/${id}`, patchOf({ op: 'remove', path: `${ROSTER_USER_SCHEMA}:endDate` }));
    expect(removed.status).toBe(200);
    expect(removed.body![ROSTER_USER_SCHEMA]).toBeUndefined();
    expect(await getAccountById(db, tenant.org.id, id)).toMatchObject({ endsAt: null });
    expect((await getAccountById(db, tenant.org.id, id))!.fieldOwners.endsAt).toBeUndefined();
  });

  it('accepts the attribute sent flat (Entra) and in a no-path PATCH', async () => {
    const tenant = await makeScimTenant(db);
    const call = as(tenant);
    const created = await call('POST', '/Users', { schemas: [USER], userName: 'flat@example.com', [`${ROSTER_USER_SCHEMA}:endDate`]: '2099-01-15T00:00:00Z' });
    expect(created.status).toBe(201);
    const id = String(created.body!.id);
    expect(await getAccountById(db, tenant.org.id, id)).toMatchObject({ endsAt: new Date('2099-01-15T00:00:00Z') });
    const patched = await call('PATCH', `/Users/${id}`, patchOf({ op: 'replace', value: { [ROSTER_USER_SCHEMA]: { endDate: '2099-02-15T00:00:00Z' } } }));
    expect(patched.status).toBe(200);
    expect(await getAccountById(db, tenant.org.id, id)).toMatchObject({ endsAt: new Date('2099-02-15T00:00:00Z') });
  });

  it('refuses an end date that is no date with 400 invalidValue, and writes nothing', async () => {
    const tenant = await makeScimTenant(db);
    const call = as(tenant);
    for (const endDate of ['soon', '2099-02-30T00:00:00Z', 20990101]) {
      const refused = await call('POST', '/Users', { schemas: [USER, ROSTER_USER_SCHEMA], userName: `bad-${String(endDate)}@example.com`, [ROSTER_USER_SCHEMA]: { endDate } });
      expect(refused, String(endDate)).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
    }
    expect((await call('GET', '/Users')).body).toMatchObject({ totalResults: 0 });
    const created = await call('POST', '/Users', { schemas: [USER], userName: 'ok@example.com' });
    const id = String(created.body!.id);
    const bad = await call('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: `${ROSTER_USER_SCHEMA}:endDate`, value: 'next week' }));
    expect(bad).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
    expect(await getAccountById(db, tenant.org.id, id)).toMatchObject({ endsAt: null, version: 1 });
  });

  it('lists the extension in /Schemas', async () => {
    const tenant = await makeScimTenant(db);
    const schemas = await as(tenant)('GET', '/Schemas');
    expect(JSON.stringify(schemas.body)).toContain(ROSTER_USER_SCHEMA);
  });
});
