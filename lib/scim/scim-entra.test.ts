import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getScimAccount } from '@/db/queries/scim-accounts';
import { insertSession, getLiveSession } from '@/db/queries/sessions';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './scimmy';
import { entraCreateUser } from '@/lib/testing/idp-requests';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';

/**
 * Microsoft Entra ID's provisioning sequence, request by request, with the bodies Microsoft
 * publishes (learn.microsoft.com: "Tutorial: Develop and plan provisioning for a SCIM endpoint",
 * and "Known issues … SCIM 2.0 protocol compliance" for the legacy and ?aadOptscim062020 shapes).
 */
const db = testDb();
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const flag = 'aadOptscim062020';
const call = (method: string, path: string, body?: unknown) => server.call(method, path, { token: tenant.token, body });
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;

beforeAll(async () => {
  server = await startScimServer(db);
  tenant = await makeScimTenant(db);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const createUserBody = entraCreateUser;

describe('Entra ID user provisioning', () => {
  let userId = '';

  it('Test Connection: a query for a random GUID is an empty ListResponse (users and groups)', async () => {
    const users = await call('GET', `/Users?${flag}&${q(`userName eq "${randomUUID()}"`)}`);
    expect(users.status).toBe(200);
    expect(users.headers.get('content-type')).toContain('application/scim+json');
    expect(users.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const groups = await call('GET', `/Groups?excludedAttributes=members&${q(`displayName eq "${randomUUID()}"`)}`);
    expect(groups.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('Create User', async () => {
    const res = await call('POST', `/Users?${flag}`, createUserBody);
    expect(res.status).toBe(201);
    userId = String(res.body!.id);
    expect(res.headers.get('location')).toBe(`${server.baseUrl}/Users/${userId}`);
    expect(res.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect(res.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: createUserBody.externalId,
      userName: createUserBody.userName,
      name: createUserBody.name,
      active: true,
      emails: [{ value: createUserBody.emails[0]!.value, type: 'work', primary: true }],
      meta: { resourceType: 'User', location: `${server.baseUrl}/Users/${userId}` },
    });
  });

  it('Get User, and 404 for an unknown one', async () => {
    expect((await call('GET', `/Users/${userId}`)).body).toMatchObject({ id: userId, userName: createUserBody.userName });
    const missing = await call('GET', `/Users/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
  });

  it.each([
    ['userName', `userName eq "${createUserBody.userName}"`],
    ['userName in another case', `userName eq "${createUserBody.userName.toUpperCase()}"`],
    ['externalId, unquoted', `externalId eq ${createUserBody.externalId}`],
    ['the work email', `emails[type eq "work"].value eq "${createUserBody.emails[0]!.value}"`],
  ])('Get User by query: %s', async (_name, filter) => {
    const res = await call('GET', `/Users?${q(filter)}`);
    expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id: userId }] });
  });

  it('Update User [Multi-valued properties]', async () => {
    const res = await call('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: { familyName: 'updatedFamilyName', givenName: 'givenName' }, emails: [{ value: 'updatedEmail@microsoft.com', type: 'work' }] });
    expect((await getScimAccount(db, tenant.org.id, userId))!.email).toBe('updatedemail@microsoft.com');
  });

  it('Update User [Single-valued properties]', async () => {
    const res = await call('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    expect(res.body).toMatchObject({ userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' });
  });

  it('Update with ?aadOptscim062020: a no-path replace of several attributes, enterprise by URN', async () => {
    const res = await call('PATCH', `/Users/${userId}?${flag}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE_SCHEMA}:employeeNumber`]: 'Aklq' } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua' }, [ENTERPRISE_SCHEMA]: { employeeNumber: 'Aklq' } });
  });

  it('Adds the manager as Entra sends it (a reference list on "manager")', async () => {
    const manager = await call('POST', '/Users', { schemas: createUserBody.schemas, userName: 'manager@testuser.com' });
    const res = await call('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'Add', path: 'manager', value: [{ $ref: `${server.baseUrl}/Users/${manager.body!.id}`, value: manager.body!.id }] }],
    });
    expect(res.body).toMatchObject({ [ENTERPRISE_SCHEMA]: { manager: { value: manager.body!.id } } });
  });

  it('Disable User: legacy Replace active "False" suspends and ends sessions at once; "True" restores', async () => {
    const session = await insertSession(db, { organizationId: tenant.org.id, accountId: userId, connectionId: null, expiresAt: new Date(Date.now() + 3600_000) });
    const off = await call('PATCH', `/Users/${userId}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.body).toMatchObject({ active: false });
    expect((await getScimAccount(db, tenant.org.id, userId))!.status).toBe('suspended');
    expect(await getLiveSession(db, session.id)).toBeNull();
    const filtered = await call('GET', `/Users?${q('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`);
    expect(filtered.body).toMatchObject({ totalResults: 1, Resources: [{ active: false }] });
    const on = await call('PATCH', `/Users/${userId}?${flag}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: true }] });
    expect(on.body).toMatchObject({ active: true });
  });

  it('Delete User: 204, then 404 and absent from queries (the record is kept, deprovisioned)', async () => {
    expect((await call('DELETE', `/Users/${userId}`)).status).toBe(204);
    expect((await call('GET', `/Users/${userId}`)).status).toBe(404);
    expect((await call('PATCH', `/Users/${userId}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: true }] })).status).toBe(404);
    expect((await call('GET', `/Users?${q(`externalId eq "${createUserBody.externalId}"`)}`)).body).toMatchObject({ totalResults: 0 });
  });
});

describe('Entra ID group provisioning', () => {
  let groupId = '';
  let memberId = '';

  beforeAll(async () => {
    memberId = String((await call('POST', '/Users', { schemas: createUserBody.schemas, userName: 'member@testuser.com' })).body!.id);
  });

  it('Create Group (with Microsoft\'s extra schema URN)', async () => {
    const res = await call('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(res.status).toBe(201);
    groupId = String(res.body!.id);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', members: [] });
  });

  it('Get Group and Get Group by displayName, without members', async () => {
    const one = await call('GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(one.body).toMatchObject({ id: groupId, displayName: 'displayName' });
    expect(one.body).not.toHaveProperty('members');
    const found = await call('GET', `/Groups?excludedAttributes=members&${q('displayName eq "displayName"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
    expect((found.body!.Resources as object[])[0]).not.toHaveProperty('members');
  });

  it('Update Group [Non-member attributes]: 204', async () => {
    const res = await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }],
    });
    expect(res.status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).body).toMatchObject({ displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' });
  });

  it('Update Group [Add Members] and [Remove Members] (legacy value list, then the flag\'s filter path)', async () => {
    const add = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: memberId }] }] };
    expect((await call('PATCH', `/Groups/${groupId}`, add)).status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).body).toMatchObject({ members: [{ value: memberId }] });
    expect((await call('GET', `/Users/${memberId}`)).body).toMatchObject({ groups: [{ value: groupId }] });
    const legacyRemove = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: memberId }] }] };
    expect((await call('PATCH', `/Groups/${groupId}`, legacyRemove)).status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).body).toMatchObject({ members: [] });
    await call('PATCH', `/Groups/${groupId}`, add);
    const flagRemove = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${memberId}"]` }] };
    expect((await call('PATCH', `/Groups/${groupId}?${flag}`, flagRemove)).status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).body).toMatchObject({ members: [] });
  });

  it('Delete Group', async () => {
    expect((await call('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect((await call('GET', `/Groups/${groupId}`)).status).toBe(404);
  });

  it('Discover schema', async () => {
    const res = await call('GET', '/Schemas');
    const ids = (res.body!.Resources as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:Group', ENTERPRISE_SCHEMA]));
  });
});
