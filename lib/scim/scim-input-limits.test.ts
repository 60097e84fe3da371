import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { PATCH_SCHEMA } from './scimmy';

/** Hostile or oversized input over real HTTP: every refusal is a SCIM error body, never a 500. */
const db = testDb();
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const call = (method: string, path: string, body?: unknown, raw?: string) => server.call(method, path, { token: tenant.token, body, raw });
let userId = '';
let groupId = '';

beforeAll(async () => {
  server = await startScimServer(db);
  tenant = await makeScimTenant(db);
  userId = String((await call('POST', '/Users', { schemas: [USER], userName: 'limits@example.com' })).body!.id);
  groupId = String((await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Limits' })).body!.id);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

const expectScimError = (res: { status: number; body: unknown }, status: number, scimType?: string) => {
  expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}) });
  expect(res.status).toBe(status);
};

describe('malformed ids', () => {
  it.each(['a'.repeat(36), '-'.repeat(36), 'not-a-uuid'])('/Users/%s and /Groups/%s are 404', async (id) => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const body = method === 'PUT' ? { schemas: [USER], userName: 'x@example.com' } : method === 'PATCH' ? { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] } : undefined;
      expectScimError(await call(method, `/Users/${id}`, body), 404);
      const groupBody = method === 'PUT' ? { schemas: [GROUP], displayName: 'x' } : method === 'PATCH' ? { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: 'y' }] } : undefined;
      expectScimError(await call(method, `/Groups/${id}`, groupBody), 404);
    }
  });
});

describe('strings Postgres cannot store', () => {
  const nul = 'a\u0000b';
  const lone = 'a\ud800b';
  it.each([
    ['a NUL in userName', { userName: nul }],
    ['a lone surrogate in userName', { userName: lone }],
    ['a NUL in a stored attribute', { userName: 'nul1@example.com', nickName: nul }],
    ['a lone surrogate in an email', { userName: 'sur1@example.com', emails: [{ value: `x${lone}@example.com`, type: 'work' }] }],
    ['a NUL in an attribute name', { userName: 'key1@example.com', [`nick${nul}`]: 'x' }],
  ])('%s is 400 invalidValue', async (_name, user) => {
    expectScimError(await call('POST', '/Users', { schemas: [USER], ...user }), 400, 'invalidValue');
  });

  it('in raw JSON escapes too, for PATCH and Groups', async () => {
    const raw = `{"schemas":["${USER}"],"userName":"raw\\u0000@example.com"}`;
    expectScimError(await call('POST', '/Users', undefined, raw), 400, 'invalidValue');
    const patch = `{"schemas":["${PATCH_SCHEMA}"],"Operations":[{"op":"replace","path":"displayName","value":"x\\udc00"}]}`;
    expectScimError(await call('PATCH', `/Users/${userId}`, undefined, patch), 400, 'invalidValue');
    expectScimError(await call('PATCH', `/Groups/${groupId}`, undefined, patch), 400, 'invalidValue');
    expectScimError(await call('POST', '/Groups', { schemas: [GROUP], displayName: nul }), 400, 'invalidValue');
  });

  // A URL cannot carry a lone surrogate (its UTF-8 decodes to U+FFFD), but a filter's `\ud800` escape can.
  it.each([`userName eq "${nul}"`, 'userName eq "a\\u0000"', 'displayName co "\\ud800"'])('in filter %j is 400 invalidFilter', async (filter) => {
    expectScimError(await call('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    expectScimError(await call('GET', `/Groups?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
  });

  it('in a POST /.search body it is the body that is refused (400 invalidValue)', async () => {
    for (const filter of [`userName eq "${nul}"`, `userName eq "${lone}"`]) expectScimError(await call('POST', '/Users/.search', { filter }), 400, 'invalidValue');
    expectScimError(await call('POST', '/Groups/.search', { filter: 'displayName eq "\\u0000"' }), 400, 'invalidFilter');
  });
});

describe('deep nesting', () => {
  it('20,000 levels inside a User attribute are 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const raw = `{"schemas":["${USER}"],"userName":"deep@example.com","nickName":${deep}}`;
    expectScimError(await call('POST', '/Users', undefined, raw), 400, 'invalidValue');
    const objects = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const patch = `{"schemas":["${PATCH_SCHEMA}"],"Operations":[{"op":"add","path":"nickName","value":${objects}}]}`;
    expectScimError(await call('PATCH', `/Users/${userId}`, undefined, patch), 400, 'invalidValue');
  });

  it('the nesting a real resource has is fine', async () => {
    const res = await call('POST', '/Users', { schemas: [USER], userName: 'nested@example.com', addresses: [{ type: 'work', streetAddress: 'x' }], name: { givenName: 'N' } });
    expect(res.status).toBe(201);
  });
});

describe('paging parameters', () => {
  it.each(['99999999999', '1e308', '2147483648'])('startIndex=%s is 400 invalidValue', async (startIndex) => {
    expectScimError(await call('GET', `/Users?startIndex=${startIndex}`), 400, 'invalidValue');
    expectScimError(await call('GET', `/Groups?startIndex=${startIndex}`), 400, 'invalidValue');
  });

  it('the largest startIndex answers an empty page with the total; below 1 means 1; count is clamped', async () => {
    const last = await call('GET', '/Users?startIndex=2147483647&count=1000');
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ startIndex: 2147483647, Resources: [] });
    expect(Number(last.body!.totalResults)).toBeGreaterThan(0);
    const groups = await call('GET', '/Groups?startIndex=2147483647');
    expect(groups.status).toBe(200);
    expect(groups.body).toMatchObject({ startIndex: 2147483647, Resources: [] });
    const first = await call('GET', '/Users?startIndex=-5&count=1');
    expect(first.body).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    const many = await call('GET', '/Users?count=99999999999');
    expect(many.status).toBe(200);
    expectScimError(await call('GET', '/Users?count=1e999'), 400, 'invalidValue');
  });
});

describe('timestamps Postgres refuses', () => {
  it.each(['meta.created gt "0000-01-01T00:00:00Z"', 'meta.lastModified lt "0001-01-01T00:30:00+01:00"'])('%s is 400 invalidFilter', async (filter) => {
    expectScimError(await call('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    expectScimError(await call('GET', `/Groups?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
  });

  it('year 1 and 9999 are fine', async () => {
    expect((await call('GET', `/Users?filter=${encodeURIComponent('meta.created gt "0001-01-01T00:00:00Z"')}`)).status).toBe(200);
    expect((await call('GET', `/Groups?filter=${encodeURIComponent('meta.created lt "9999-12-31T23:59:59Z"')}`)).status).toBe(200);
  });
});

describe('values longer than an index row allows', () => {
  const cjk = (n: number) => '漢'.repeat(n);
  it.each([
    ['2,040 CJK characters in userName', { userName: cjk(2040) }],
    ['a long externalId', { userName: 'ext@example.com', externalId: 'x'.repeat(3000) }],
    ['a long emails[].value', { userName: 'mail@example.com', emails: [{ value: `${cjk(1000)}@example.com`, type: 'work', primary: true }] }],
    ['a long stored attribute', { userName: 'nick@example.com', nickName: 'n'.repeat(70_000) }],
  ])('%s is 400 invalidValue', async (_name, user) => {
    expectScimError(await call('POST', '/Users', { schemas: [USER], ...user }), 400, 'invalidValue');
  });

  it('a long Group displayName is 400 on POST, PUT and PATCH', async () => {
    const long = cjk(2000);
    expectScimError(await call('POST', '/Groups', { schemas: [GROUP], displayName: long }), 400, 'invalidValue');
    expectScimError(await call('PUT', `/Groups/${groupId}`, { schemas: [GROUP], displayName: long }), 400, 'invalidValue');
    const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: long }] };
    expectScimError(await call('PATCH', `/Groups/${groupId}`, patch), 400, 'invalidValue');
    const noPath = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { displayName: long } }] };
    expectScimError(await call('PATCH', `/Groups/${groupId}`, noPath), 400, 'invalidValue');
  });

  it('a long userName by PATCH is 400 too', async () => {
    const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'userName', value: cjk(2040) }] };
    expectScimError(await call('PATCH', `/Users/${userId}`, patch), 400, 'invalidValue');
    const mail = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'emails', value: [{ value: `${cjk(1000)}@example.com`, primary: true }] }] };
    expectScimError(await call('PATCH', `/Users/${userId}`, mail), 400, 'invalidValue');
  });

  it('values at the limit are stored', async () => {
    const res = await call('POST', '/Users', { schemas: [USER], userName: `${cjk(300)}@example.com`, displayName: cjk(600) });
    expect(res.status).toBe(201);
    const group = await call('POST', '/Groups', { schemas: [GROUP], displayName: cjk(256) });
    expect(group.status).toBe(201);
  });
});
