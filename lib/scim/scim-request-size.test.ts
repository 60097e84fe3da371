import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { MAX_MEMBERS, MAX_OPERATIONS } from './limits';
import { PATCH_SCHEMA } from './scimmy';

/** One request's amount of work is bounded (limits.ts): refused with a SCIM 400 before any of it is done. */
const db = testDb();
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const call = (method: string, path: string, body?: unknown) => server.call(method, path, { token: tenant.token, body });
const patch = (Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });
const members = (n: number) => Array.from({ length: n }, () => ({ value: randomUUID() }));
let userId = '';
let groupId = '';

beforeAll(async () => {
  server = await startScimServer(db);
  tenant = await makeScimTenant(db);
  userId = String((await call('POST', '/Users', { schemas: [USER], userName: 'size@example.com' })).body!.id);
  groupId = String((await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Size' })).body!.id);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

function expectTooMuch(res: { status: number; body: unknown }, limit: number) {
  expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringContaining(`at most ${limit}`) });
  expect(res.status).toBe(400);
}

describe('operations per PatchOp', () => {
  it(`a User PATCH of ${MAX_OPERATIONS} operations is applied, one more is refused`, async () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ op: 'replace', path: 'displayName', value: `Name ${i}` }));
    const ok = await call('PATCH', `/Users/${userId}`, patch(ops(MAX_OPERATIONS)));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ displayName: `Name ${MAX_OPERATIONS - 1}` });
    expectTooMuch(await call('PATCH', `/Users/${userId}`, patch(ops(MAX_OPERATIONS + 1))), MAX_OPERATIONS);
  });

  it('a no-path value counts one operation per attribute', async () => {
    const value = Object.fromEntries(Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => [`nick${i}`, 'x']));
    expectTooMuch(await call('PATCH', `/Users/${userId}`, patch([{ op: 'replace', value }])), MAX_OPERATIONS);
  });

  it('a Group PATCH of 12,000 operations (under the body cap) is refused at once', async () => {
    const ops = Array.from({ length: 12_000 }, (_, i) => ({ op: 'replace', path: 'displayName', value: `G${i}` }));
    const started = Date.now();
    expectTooMuch(await call('PATCH', `/Groups/${groupId}`, patch(ops)), MAX_OPERATIONS);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('member values per Group request', () => {
  it(`POST and PUT with more than ${MAX_MEMBERS} members are refused`, async () => {
    expectTooMuch(await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Big', members: members(MAX_MEMBERS + 1) }), MAX_MEMBERS);
    expectTooMuch(await call('PUT', `/Groups/${groupId}`, { schemas: [GROUP], displayName: 'Size', members: members(MAX_MEMBERS + 1) }), MAX_MEMBERS);
  });

  it('a PATCH counts the member values of all its operations', async () => {
    const half = MAX_MEMBERS / 2;
    const ops = [
      { op: 'add', path: 'members', value: members(half) },
      { op: 'remove', path: 'members', value: members(half + 1) },
    ];
    expectTooMuch(await call('PATCH', `/Groups/${groupId}`, patch(ops)), MAX_MEMBERS);
  });

  it('a PATCH within the limits still works', async () => {
    const res = await call('PATCH', `/Groups/${groupId}`, patch([{ op: 'add', path: 'members', value: [{ value: userId }] }]));
    expect(res.status).toBe(204);
  });
});
