import { afterAll, describe, expect, it } from 'vitest';
import { handleScimRequest } from '@/lib/scim/handle-request';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant } from '@/lib/testing/scim-server';
import { getAccountById } from './accounts';

const db = testDb();
afterAll(closeTestDb);

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Joiners as IdPs send them: bare, suspended, with every kind of attribute a column or the JSON keeps. */
const joiners = (tag: string) => [
  { userName: `bare-${tag}` },
  { userName: `off-${tag}`, active: false, externalId: `ext-off-${tag}` },
  {
    userName: `full-${tag}@example.com`,
    externalId: `ext-full-${tag}`,
    displayName: 'Zoë Ça “quoted” \\ back',
    title: 'Engineer',
    name: { givenName: 'Zoë', familyName: 'Ça', middleName: 'M', honorificPrefix: 'Dr' },
    emails: [
      { value: `full-${tag}@example.com`, type: 'work', primary: true },
      { value: `home-${tag}@example.net`, type: 'home' },
    ],
    phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
    addresses: [{ streetAddress: '1 Main St', locality: 'Springfield', country: 'US', type: 'work' }],
    locale: 'fr-CA',
    [ENTERPRISE]: { department: 'Engineering', employeeNumber: '00042', costCenter: 'CC-7', manager: { value: 'boss-1' } },
  },
];

describe('a new account as the insert answers it', () => {
  it('is the account a read of it gives (lifecycle createAccount: the row written and what PostgreSQL decided)', async () => {
    const { org } = await makeOrganization(db);
    for (const options of [
      {},
      { door: 'scim' as const, active: false, externalId: 'e-1', scimAttributes: { emails: [{ value: 'a@example.com', primary: true }], nickName: 'A' } },
      { door: 'jit' as const, groups: ['eng', 'ops'], profile: { givenName: 'Ann', department: 'Ops', manager: 'm-1' } },
    ]) {
      const created = await makeAccount(db, org.id, options);
      expect(created).toEqual(await getAccountById(db, org.id, created.id));
      expect(created.version).toBe(1);
      expect(created.createdAt).toBeInstanceOf(Date);
    }
  });

  it('answers a SCIM POST exactly as a GET of the new user does, on both create paths (a token seen before: the one-statement one, locked-statement.ts)', async () => {
    const t = await makeScimTenant(db);
    const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/scim+json' };
    const call = (method: string, path: string, body?: unknown) =>
      handleScimRequest(db, { method, path, query: new URLSearchParams(), headers, body: body === undefined ? null : JSON.stringify(body), baseUrl: 'http://roster.test/api/scim/v2' });
    // The first request authenticates the token in full; the later ones use the principal it remembered.
    for (const tag of ['first', 'again']) {
      for (const joiner of joiners(tag)) {
        const posted = await call('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], ...joiner });
        expect(posted.status).toBe(201);
        const read = await call('GET', `/Users/${posted.body!.id as string}`);
        expect(read.status).toBe(200);
        expect(posted.body).toEqual(read.body);
        expect(posted.headers.ETag ?? posted.headers.etag).toBe(read.headers.ETag ?? read.headers.etag);
      }
    }
  });
});
