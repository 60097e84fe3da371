import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA, ROSTER_USER_SCHEMA } from './scimmy';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';

/** RFC 7644's own examples (§3.3 create, §3.4.2 query, §3.5.2 PATCH, §3.12 errors, §3.14 versions). */
const db = testDb();
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => server.call(method, path, { token: tenant.token, body, headers });
const ids: Record<string, string> = {};
let startedAt = '';

async function names(filter: string, extra = ''): Promise<string[]> {
  const res = await call('GET', `/Users?filter=${encodeURIComponent(filter)}${extra}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return (res.body!.Resources as { userName: string }[]).map((r) => r.userName).sort();
}

beforeAll(async () => {
  server = await startScimServer(db);
  tenant = await makeScimTenant(db);
  startedAt = new Date(Date.now() - 1000).toISOString();
  const users = [
    {
      userName: 'bjensen',
      externalId: 'bjensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
      title: 'Tour Guide',
      userType: 'Employee',
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }],
      addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', primary: true }],
    },
    { userName: 'jsmith', name: { familyName: "O'Malley", givenName: 'John' }, userType: 'Intern', emails: [{ value: 'jsmith@example.org', type: 'work' }] },
    {
      schemas: [USER, ENTERPRISE_SCHEMA],
      userName: 'Mpepper',
      userType: 'Employee',
      emails: [{ value: 'mpepper@example.com', type: 'work' }],
      ims: [{ value: 'mp@foo.com', type: 'xmpp' }],
      [ENTERPRISE_SCHEMA]: { department: 'Tours' },
    },
    { userName: 'alice', userType: 'Contractor', active: false, emails: [{ value: 'alice@other.net', type: 'work' }] },
  ];
  for (const user of users) {
    const res = await call('POST', '/Users', { schemas: [USER], ...user });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    ids[user.userName] = String(res.body!.id);
  }
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

describe('§3.4.2.2 filtering, in SQL', () => {
  it.each<[string, string[]]>([
    ['userName eq "bjensen"', ['bjensen']],
    ['userName eq "BJENSEN"', ['bjensen']],
    ['name.familyName co "O\'Malley"', ['jsmith']],
    ['userName sw "J"', ['jsmith']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['jsmith']],
    ['title pr', ['bjensen']],
    ['title pr and userType eq "Employee"', ['bjensen']],
    ['title pr or userType eq "Intern"', ['bjensen', 'jsmith']],
    [`schemas eq "${ENTERPRISE_SCHEMA}"`, ['Mpepper']],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['Mpepper', 'bjensen']],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', ['alice']],
    ['userType eq "Employee" and (emails.type eq "work")', ['Mpepper', 'bjensen']],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['Mpepper', 'bjensen']],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', ['Mpepper', 'bjensen']],
    ['emails[type eq "home"]', ['bjensen']],
    ['emails[primary eq true]', ['bjensen']],
    ['externalId eq "bjensen"', ['bjensen']],
    ['externalId eq "BJENSEN"', []],
    ['active eq false', ['alice']],
    ['active eq "False"', ['alice']],
    ['not (active eq true)', ['alice']],
    ['name.formatted sw "ms. barbara"', ['bjensen']],
    [`${ENTERPRISE_SCHEMA}:department eq "tours"`, ['Mpepper']],
    ['addresses[type eq "work"].locality eq "Hollywood"', ['bjensen']],
    ['userName ew "pper" or userName eq "nobody"', ['Mpepper']],
    ['userName gt "jsmith"', ['Mpepper']],
  ])('%s', async (filter, expected) => {
    expect(await names(filter)).toEqual([...expected].sort());
  });

  it('meta.lastModified and meta.created compare as times', async () => {
    expect(await names(`meta.lastModified gt "${startedAt}"`)).toHaveLength(4);
    expect(await names(`meta.created lt "${startedAt}"`)).toEqual([]);
    const bjensen = await call('GET', `/Users/${ids.bjensen}`);
    const created = (bjensen.body!.meta as { created: string }).created;
    expect(await names(`meta.created eq "${created}"`)).toContain('bjensen');
    expect(await names(`meta.created gt "${created}"`)).not.toContain('bjensen');
  });

  it.each(['shoeSize eq 44', 'userName eq', 'userName zz "x"', 'emails[type eq "work"', 'active gt true', 'meta.created gt "yesterday"', 'name co "x"'])(
    'refuses %j with 400 invalidFilter',
    async (filter) => {
      const res = await call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    },
  );

  // `userName eq "…"` has a lookup of its own (users.ts); an `or` of the same test goes the general way.
  it.each<[string, string]>([
    ['by the URN-qualified name, in another case', `${USER}:userName eq "MPEPPER"`],
    ['asking for one attribute', 'userName eq "bjensen"&attributes=userName'],
    ['past the only result', 'userName eq "bjensen"&startIndex=2'],
    ['with count=0', 'userName eq "bjensen"&count=0'],
    ['of an inactive user', 'userName eq "alice"'],
    ['of nobody', 'userName eq "nobody"'],
  ])('answers userName eq %s as the general filter does', async (_what, query) => {
    const [filter, extra = ''] = query.split('&');
    const value = filter!.slice(filter!.indexOf('"'));
    const general = `${filter} or userName eq ${value}`;
    const suffix = extra ? `&${extra}` : '';
    const fast = await call('GET', `/Users?filter=${encodeURIComponent(filter!)}${suffix}`);
    const slow = await call('GET', `/Users?filter=${encodeURIComponent(general)}${suffix}`);
    expect(fast.status).toBe(200);
    expect(fast.body).toEqual(slow.body);
  });

  it('does not find a deleted user by userName eq', async () => {
    const res = await call('POST', '/Users', { schemas: [USER], userName: 'leaver' });
    expect(res.status).toBe(201);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq "leaver"')}`)).body!.totalResults).toBe(1);
    expect((await call('DELETE', `/Users/${String(res.body!.id)}`)).status).toBe(204);
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName eq "leaver"')}`)).body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('POST /.search takes the same query as a body (§3.4.3)', async () => {
    const res = await call('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userType eq "Employee"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    });
    expect(res.status).toBe(200);
    expect((res.body!.Resources as object[]).map((r) => Object.keys(r).sort())).toEqual([
      ['id', 'schemas', 'userName'],
      ['id', 'schemas', 'userName'],
    ]);
  });
});

describe('§3.4.2.3-5 sorting, paging, attributes', () => {
  it('sorts by userName, both ways, case-insensitively', async () => {
    const list = async (order: string) =>
      ((await call('GET', `/Users?sortBy=userName&sortOrder=${order}`)).body!.Resources as { userName: string }[]).map((r) => r.userName);
    expect(await list('ascending')).toEqual(['alice', 'bjensen', 'jsmith', 'Mpepper']);
    expect(await list('descending')).toEqual(['Mpepper', 'jsmith', 'bjensen', 'alice']);
  });

  it('pages with startIndex and count; count=0 gives only the total', async () => {
    const page = await call('GET', '/Users?sortBy=userName&startIndex=2&count=2');
    expect(page.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2, Resources: [{ userName: 'bjensen' }, { userName: 'jsmith' }] });
    expect((await call('GET', '/Users?count=0')).body).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    expect((await call('GET', '/Users?startIndex=10')).body).toMatchObject({ totalResults: 4, Resources: [] });
  });

  it('returns only the attributes asked for, or all but the excluded ones (id and schemas always)', async () => {
    const only = await call('GET', `/Users/${ids.bjensen}?attributes=userName,name.givenName,${ENTERPRISE_SCHEMA}:department`);
    expect(only.body).toEqual({ schemas: [USER], id: ids.bjensen, userName: 'bjensen', name: { givenName: 'Barbara' } });
    const without = await call('GET', `/Users/${ids.bjensen}?excludedAttributes=emails,name.formatted`);
    expect(without.body).not.toHaveProperty('emails');
    expect(without.body).toMatchObject({ name: { givenName: 'Barbara', familyName: 'Jensen' } });
    expect((without.body!.name as object)).not.toHaveProperty('formatted');
  });
});

describe('§3.5.2 PATCH examples', () => {
  it('add without a path, replace a filtered sub-attribute, remove by a value filter', async () => {
    const id = ids.bjensen;
    const patch = (...Operations: unknown[]) => call('PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations });
    expect((await patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.net', type: 'other' }], nickName: 'Babs' } })).body).toMatchObject({
      nickName: 'Babs',
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }, { value: 'babs@jensen.net' }],
    });
    const street = await patch({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' });
    expect(street.body).toMatchObject({ addresses: [{ type: 'work', streetAddress: '1010 Broadway Ave', locality: 'Hollywood' }] });
    const removed = await patch({ op: 'remove', path: 'emails[type eq "other" and value ew "jensen.net"]' });
    expect((removed.body!.emails as unknown[]).length).toBe(2);
    expect((await patch({ op: 'remove', path: 'nickName' })).body).not.toHaveProperty('nickName');
  });

  it('group members: add, remove one by filter, remove all, replace', async () => {
    const group = await call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Tour Guides' });
    const gid = String(group.body!.id);
    const patch = (...Operations: unknown[]) => call('PATCH', `/Groups/${gid}`, { schemas: [PATCH_SCHEMA], Operations });
    const members = async () => ((await call('GET', `/Groups/${gid}`)).body!.members as { value: string }[]).map((m) => m.value).sort();
    await patch({ op: 'add', path: 'members', value: [{ display: 'Babs Jensen', $ref: `${server.baseUrl}/Users/${ids.bjensen}`, value: ids.bjensen }, { value: ids.jsmith }] });
    expect(await members()).toEqual([ids.bjensen, ids.jsmith].sort());
    await patch({ op: 'remove', path: `members[value eq "${ids.bjensen}"]` });
    expect(await members()).toEqual([ids.jsmith]);
    await patch({ op: 'remove', path: 'members' });
    expect(await members()).toEqual([]);
    await patch({ op: 'replace', path: 'members', value: [{ value: ids.Mpepper }] });
    expect(await members()).toEqual([ids.Mpepper]);
    expect(await names(`groups.value eq "${gid}"`)).toEqual(['Mpepper']);
    expect(await names('groups[display eq "tour guides"]')).toEqual(['Mpepper']);
    const byMember = await call('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids.Mpepper}"]`)}&excludedAttributes=members`);
    expect(byMember.body).toMatchObject({ totalResults: 1, Resources: [{ id: gid, displayName: 'Tour Guides' }] });
    const bad = await patch({ op: 'add', path: 'members', value: [{ value: '2819c223-7f76-453a-919d-413861904646' }] });
    expect(bad).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
    expect(await members()).toEqual([ids.Mpepper]);
  });
});

describe('§3.14 versions (ETags)', () => {
  it('answers If-None-Match with 304 and refuses a stale If-Match with 412, changing nothing', async () => {
    const first = await call('GET', `/Users/${ids.jsmith}`);
    const etag = first.headers.get('etag')!;
    expect((first.body!.meta as { version: string }).version).toBe(etag);
    expect((await call('GET', `/Users/${ids.jsmith}`, undefined, { 'If-None-Match': etag })).status).toBe(304);
    const put = (headers: Record<string, string>, title: string) => call('PUT', `/Users/${ids.jsmith}`, { schemas: [USER], userName: 'jsmith', title }, headers);
    const ok = await put({ 'If-Match': etag }, 'Intern');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).not.toBe(etag);
    const stale = await put({ 'If-Match': etag }, 'CEO');
    expect(stale.status).toBe(412);
    expect((await call('GET', `/Users/${ids.jsmith}`)).body).toMatchObject({ title: 'Intern' });
    expect((await call('DELETE', `/Users/${ids.jsmith}`, undefined, { 'If-Match': etag })).status).toBe(412);
    expect((await put({ 'If-Match': '*' }, 'Guide')).status).toBe(200);
  });
});

describe('§3.12 errors', () => {
  it.each<[string, () => Promise<{ status: number; body: unknown; headers: Headers }>, number, string | undefined]>([
    ['no token', () => server.call('GET', '/Users'), 401, undefined],
    ['a wrong token', () => server.call('GET', '/Users', { token: 'roster_scim_nope' }), 401, undefined],
    ['invalid JSON', () => server.call('POST', '/Users', { token: tenant.token, raw: '{"userName":' }), 400, 'invalidSyntax'],
    ['no userName', () => call('POST', '/Users', { schemas: [USER], displayName: 'x' }), 400, 'invalidValue'],
    ['a blank userName', () => call('POST', '/Users', { schemas: [USER], userName: '  ' }), 400, 'invalidValue'],
    ['a wrong type', () => call('POST', '/Users', { schemas: [USER], userName: 'x', active: 'maybe' }), 400, 'invalidValue'],
    ['a complex value as a string', () => call('POST', '/Users', { schemas: [USER], userName: 'x', name: 'Barbara' }), 400, 'invalidValue'],
    ['a body over 1 MiB', () => call('POST', '/Users', { schemas: [USER], userName: 'big', nickName: 'x'.repeat(1_100_000) }), 413, undefined],
    ['an unknown endpoint', () => call('GET', '/Widgets'), 404, undefined],
    ['a method the endpoint lacks', () => call('POST', '/ServiceProviderConfig', {}), 405, undefined],
    ['a filter on discovery', () => call('GET', '/Schemas?filter=id%20pr'), 403, undefined],
  ])('%s', async (_name, request, status, scimType) => {
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}) });
    if (status === 401) expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });
});

describe('§4 discovery', () => {
  it('describes the service provider, resource types and schemas', async () => {
    const config = await call('GET', '/ServiceProviderConfig');
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, sort: { supported: true }, etag: { supported: true }, bulk: { supported: false } });
    const types = await call('GET', '/ResourceTypes');
    expect(types.body).toMatchObject({ totalResults: 2 });
    const user = await call('GET', '/ResourceTypes/User');
    expect(user.body).toMatchObject({ endpoint: '/Users', schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }, { schema: ROSTER_USER_SCHEMA, required: false }] });
    const schema = await call('GET', `/Schemas/${USER}`);
    expect(schema.body).toMatchObject({ id: USER, name: 'User' });
  });
});
