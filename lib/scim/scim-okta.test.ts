import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getScimAccount } from '@/db/queries/scim-accounts';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { PATCH_SCHEMA } from './scimmy';
import { oktaCreateUser } from '@/lib/testing/idp-requests';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';

/**
 * Okta's SCIM 2.0 client, request by request, with the bodies of Okta's "SCIM 2.0 Protocol
 * Reference" (developer.okta.com/docs/reference/scim/scim-20): look up, create, read, PUT update,
 * PATCH deactivate/reactivate, import pages, and group push.
 */
const db = testDb();
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const call = (method: string, path: string, body?: unknown) =>
  server.call(method, path, { token: tenant.token, body, headers: { 'User-Agent': 'Okta SCIM Client 1.0.0' } });
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

beforeAll(async () => {
  server = await startScimServer(db);
  tenant = await makeScimTenant(db);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const oktaUser = oktaCreateUser;

describe('Okta user lifecycle', () => {
  let id = '';

  it('determines that the user does not exist yet', async () => {
    const res = await call('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('creates the user (password and groups are not stored or echoed)', async () => {
    const res = await call('POST', '/Users', oktaUser);
    expect(res.status).toBe(201);
    id = String(res.body!.id);
    expect(res.body).toMatchObject({ userName: 'test.user@okta.local', displayName: 'Test User', locale: 'en-US', externalId: '00ujl29u0le5T6Aj10h7', active: true });
    expect(res.body).not.toHaveProperty('password');
    expect((await getScimAccount(db, tenant.org.id, id))).toMatchObject({ source: 'scim', status: 'active', firstLoginAt: null });
  });

  it('finds it with the same lookup, and a second POST is 409 uniqueness', async () => {
    const found = await call('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100');
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    const again = await call('POST', '/Users', oktaUser);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
  });

  it('updates with GET then PUT; a PUT keeps externalId when Okta leaves it out', async () => {
    const current = await call('GET', `/Users/${id}`);
    expect(current.body).toMatchObject({ id, name: { givenName: 'Test', familyName: 'User' } });
    const res = await call('PUT', `/Users/${id}`, {
      schemas: [USER],
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' }],
      active: true,
      groups: [],
      meta: { resourceType: 'User' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' }, externalId: '00ujl29u0le5T6Aj10h7', active: true });
    expect(res.body).not.toHaveProperty('displayName');
  });

  it('deactivates with PATCH {active:false} and reactivates with {active:true}', async () => {
    const off = await call('PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false });
    const on = await call('PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(on.body).toMatchObject({ active: true });
  });

  it('a PUT that omits active suspends nobody, and does not reactivate a deactivated user either', async () => {
    const put = (extra: object) => call('PUT', `/Users/${id}`, { schemas: [USER], userName: 'test.user@okta.local', name: { givenName: 'Another', familyName: 'User' }, ...extra });
    expect((await put({})).body).toMatchObject({ active: true });
    await call('PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] });
    expect((await put({})).body).toMatchObject({ active: false });
    expect((await put({ active: true })).body).toMatchObject({ active: true });
  });

  it('imports page by page with startIndex and count, in a stable order', async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/Users', { schemas: [USER], userName: `import${i}@okta.local` });
    const pages = [];
    for (let start = 1; start <= 6; start += 2) pages.push(await call('GET', `/Users?startIndex=${start}&count=2`));
    expect(pages.map((p) => p.body!.totalResults)).toEqual([6, 6, 6]);
    expect(pages.map((p) => p.body!.startIndex)).toEqual([1, 3, 5]);
    const ids = pages.flatMap((p) => (p.body!.Resources as { id: string }[]).map((r) => r.id));
    expect(new Set(ids).size).toBe(6);
    const again = await call('GET', '/Users?startIndex=3&count=2');
    expect((again.body!.Resources as { id: string }[]).map((r) => r.id)).toEqual(ids.slice(2, 4));
  });
});

describe('Okta group push', () => {
  let groupId = '';
  const members: string[] = [];

  beforeAll(async () => {
    for (const name of ['a', 'b', 'c']) members.push(String((await call('POST', '/Users', { schemas: [USER], userName: `${name}@push.okta.local` })).body!.id));
  });

  it('pushes a group', async () => {
    const res = await call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Test SCIMv2', members: [] });
    expect(res.status).toBe(201);
    groupId = String(res.body!.id);
    expect(res.body).toMatchObject({ displayName: 'Test SCIMv2', members: [] });
    expect((await call('GET', '/Groups?startIndex=1&count=100')).body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
  });

  it('renames it with a no-path replace that echoes the id', async () => {
    const res = await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', value: { id: groupId, displayName: 'Test SCIMv20' } }],
    });
    expect(res.status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).body).toMatchObject({ displayName: 'Test SCIMv20' });
  });

  it('changes membership: remove by filter and add in one PATCH, then a full replace', async () => {
    await call('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: members[0] }] }] });
    const res = await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'remove', path: `members[value eq "${members[0]}"]` },
        { op: 'add', path: 'members', value: [{ value: members[1], display: 'b@push.okta.local' }] },
      ],
    });
    expect(res.status).toBe(204);
    const memberIds = async () => ((await call('GET', `/Groups/${groupId}`)).body!.members as { value: string }[]).map((m) => m.value).sort();
    expect(await memberIds()).toEqual([members[1]]);
    await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'members', value: [{ value: members[0], display: 'x' }, { value: members[2], display: 'y' }] }],
    });
    expect(await memberIds()).toEqual([members[0], members[2]].sort());
  });

  it('unlinks the pushed group with DELETE', async () => {
    expect((await call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).status).toBe(404);
    expect((await call('GET', `/Users/${members[0]}`)).body).not.toHaveProperty('groups');
  });
});
