import { and, count, eq, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { PATCH_SCHEMA } from './scimmy';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';

/** Several requests at once, over HTTP against one Postgres: uniqueness and no lost update live in the database. */
const db = testDb();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
let server: ScimTestServer;
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;
const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => server.call(method, path, { token: tenant.token, body, headers });
const accountCount = async () => (await db.select({ n: count() }).from(accounts).where(eq(accounts.organizationId, tenant.org.id)))[0]!.n;

beforeAll(async () => {
  server = await startScimServer(db);
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

describe('concurrency', () => {
  it('32 parallel creates all succeed', async () => {
    tenant = await makeScimTenant(db);
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => call('POST', '/Users', { schemas: [USER], userName: `parallel${i}@example.com` })));
    expect(results.map((r) => r.status)).toEqual(Array(32).fill(201));
    expect(new Set(results.map((r) => r.body!.id)).size).toBe(32);
    expect(await accountCount()).toBe(32);
  });

  it('16 parallel POSTs of one userName store exactly one user; the others get 409 uniqueness', async () => {
    tenant = await makeScimTenant(db);
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => call('POST', '/Users', { schemas: [USER], userName: 'Same@example.com', externalId: `try-${i}` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(15).fill(409)]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body!.scimType === 'uniqueness')).toBe(true);
    expect(await accountCount()).toBe(1);
  });

  it('parallel PATCHes of one user lose no update', async () => {
    tenant = await makeScimTenant(db);
    const id = String((await call('POST', '/Users', { schemas: [USER], userName: 'busy@example.com' })).body!.id);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        call('PATCH', `/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'phoneNumbers', value: [{ type: 'other', value: `+1555000${String(i).padStart(4, '0')}` }] }] }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = await call('GET', `/Users/${id}`);
    expect((final.body!.phoneNumbers as unknown[]).length).toBe(24);
    expect(final.body!.meta).toMatchObject({ version: 'W/"25"' });
  });

  it('parallel member adds to one group lose none; concurrent PUTs with one If-Match: one wins, the rest get 412', async () => {
    tenant = await makeScimTenant(db);
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => call('POST', '/Users', { schemas: [USER], userName: `m${i}` })));
    const gid = String((await call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Crowd' })).body!.id);
    await Promise.all(users.map((u) => call('PATCH', `/Groups/${gid}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: u.body!.id }] }] })));
    expect(((await call('GET', `/Groups/${gid}`)).body!.members as unknown[]).length).toBe(12);
    const target = users[0]!;
    const etag = target.headers.get('etag')!;
    const puts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call('PUT', `/Users/${target.body!.id}`, { schemas: [USER], userName: 'm0', title: `t${i}` }, { 'If-Match': etag })),
    );
    expect(puts.map((p) => p.status).sort()).toEqual([200, ...Array(7).fill(412)]);
  });
});

describe('account counts (totalResults of unfiltered lists)', () => {
  it('stay exact through parallel creates, suspension, deprovisioning and a rolled-back create', async () => {
    tenant = await makeScimTenant(db);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => call('POST', '/Users', { schemas: [USER], userName: `count${i}` })));
    await call('POST', '/Users', { schemas: [USER], userName: 'count0' });
    await call('PATCH', `/Users/${created[0]!.body!.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] });
    await call('DELETE', `/Users/${created[1]!.body!.id}`);
    await call('DELETE', `/Users/${created[2]!.body!.id}`);
    const page = await call('GET', '/Users?count=5');
    expect(page.body).toMatchObject({ totalResults: 18, itemsPerPage: 5 });
    expect(page.body!.totalResults).toBe(await accountCountVisible());
  });
});

async function accountCountVisible() {
  const [row] = await db.select({ n: count() }).from(accounts).where(and(eq(accounts.organizationId, tenant.org.id), ne(accounts.status, 'deprovisioned')));
  return row!.n;
}
