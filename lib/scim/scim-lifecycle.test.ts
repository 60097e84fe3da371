import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { findAccountRoles, upsertRole } from '@/db/queries/roles';
import { getScimAccount } from '@/db/queries/scim-accounts';
import { getLiveSession, insertSession } from '@/db/queries/sessions';
import { accounts, connections, linkConflicts, scimTokens } from '@/db/schema';
import { provisionFromLogin } from '@/lib/jit/provision-user';
import { liftSecurityHold, placeSecurityHold } from '@/lib/lifecycle/account/security-hold';
import { inTransaction } from '@/lib/lifecycle/context';
import { changeGroupRole } from '@/lib/lifecycle/group/change-group-role';
import { closeTestDb, makeRuleRole, testDb } from '@/lib/testing/fixtures';
import { scimPatches } from '@/lib/testing/idp-requests';
import { revokeScimToken } from './create-token';
import { ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './scimmy';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';

const db = testDb();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const admin = { type: 'admin' as const, id: 'admin-1' };
const loginContext = { sessionMaxAgeSeconds: 3600 };
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
const accountCount = async (organizationId: string) => (await db.select({ n: count() }).from(accounts).where(eq(accounts.organizationId, organizationId)))[0]!.n;
const login = (tenant: Tenant, subject: string, claims: Record<string, unknown>) =>
  provisionFromLogin(db, { connectionId: tenant.connection.id, subject, claims: { sub: subject, email_verified: true, ...claims } }, loginContext);
const roleKeys = async (tenant: Tenant, accountId: string) => (await findAccountRoles(db, tenant.org.id, accountId)).map((r) => `${r.key}:${r.source}`).sort();

describe('tenancy: the token decides the organization', () => {
  it('never shows or changes another organization\'s users and groups', async () => {
    const [a, b] = [await makeScimTenant(db), await makeScimTenant(db)];
    const user = await as(b)('POST', '/Users', { schemas: [USER], userName: 'shared@example.com' });
    const group = await as(b)('POST', '/Groups', { schemas: [GROUP], displayName: 'B team' });
    const [bid, gid] = [String(user.body!.id), String(group.body!.id)];
    const callA = as(a);
    expect((await callA('GET', '/Users')).body).toMatchObject({ totalResults: 0 });
    expect((await callA('GET', `/Users?filter=${encodeURIComponent(`id eq "${bid}"`)}`)).body).toMatchObject({ totalResults: 0 });
    for (const [method, body] of [['GET'], ['PUT', { schemas: [USER], userName: 'x' }], ['PATCH', patchOf({ op: 'replace', path: 'active', value: false })], ['DELETE']] as const) {
      expect((await callA(method, `/Users/${bid}`, body)).status).toBe(404);
    }
    expect((await callA('GET', `/Groups/${gid}`)).status).toBe(404);
    expect((await callA('DELETE', `/Groups/${gid}`)).status).toBe(404);
    const mine = await callA('POST', '/Groups', { schemas: [GROUP], displayName: 'A team' });
    const steal = await callA('PATCH', `/Groups/${mine.body!.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: bid }] }));
    expect(steal).toMatchObject({ status: 400, body: { scimType: 'invalidValue' } });
    expect((await callA('POST', '/Users', { schemas: [USER], userName: 'shared@example.com' })).status).toBe(201);
    expect(await getScimAccount(db, b.org.id, bid)).toMatchObject({ status: 'active', userName: 'shared@example.com' });
  });

  it('refuses a revoked token, and records use at most once a minute', async () => {
    const tenant = await makeScimTenant(db);
    await as(tenant)('GET', '/Users');
    const [first] = await db.select({ at: scimTokens.lastUsedAt }).from(scimTokens).where(eq(scimTokens.id, tenant.tokenId));
    await as(tenant)('GET', '/Users');
    const [second] = await db.select({ at: scimTokens.lastUsedAt }).from(scimTokens).where(eq(scimTokens.id, tenant.tokenId));
    expect(first!.at).not.toBeNull();
    expect(second!.at).toEqual(first!.at);
    await revokeScimToken(db, { organizationId: tenant.org.id, tokenId: tenant.tokenId }, admin);
    expect((await as(tenant)('GET', '/Users')).status).toBe(401);
  });

  // A create right after another reuses the principal its token lookup found (one round trip less);
  // the create's own statement checks the token and the birthright policy again.
  it('refuses a create with a token revoked since the last create: 401, nothing written, even for a bad body', async () => {
    const tenant = await makeScimTenant(db);
    expect((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'first@example.com' })).status).toBe(201);
    await revokeScimToken(db, { organizationId: tenant.org.id, tokenId: tenant.tokenId }, admin);
    const refused = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'second@example.com' });
    expect(refused.status).toBe(401);
    expect(await accountCount(tenant.org.id)).toBe(1);
    expect((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'x', active: 'maybe' })).status).toBe(401);
  });

  it('grants the birthright roles of the policy in force, when rules change between two creates', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    const first = await as(tenant)('POST', '/Users', { schemas: [USER, ENTERPRISE_SCHEMA], userName: 'before@example.com', [ENTERPRISE_SCHEMA]: { department: 'Ops' } });
    expect(await roleKeys(tenant, String(first.body!.id))).toEqual(['member:birthright']);
    await makeRuleRole(db, tenant.org.id, 'ops', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Ops' }] });
    const second = await as(tenant)('POST', '/Users', { schemas: [USER, ENTERPRISE_SCHEMA], userName: 'after@example.com', [ENTERPRISE_SCHEMA]: { department: 'Ops' } });
    expect(second.status).toBe(201);
    expect(await roleKeys(tenant, String(second.body!.id))).toEqual(['member:birthright', 'ops:birthright']);
    const [granted] = await findAuditEvents(db, tenant.org.id, { targetId: String(second.body!.id), actions: ['role.granted'] });
    expect(granted).toMatchObject({ actorType: 'scim', actorId: tenant.tokenId });
  });

  it('grants the default roles in force, when the connection’s default roles change between two creates', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'staff', name: 'staff' });
    const first = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'one@example.com' });
    expect(await roleKeys(tenant, String(first.body!.id))).toEqual(['member:birthright']);
    await db.update(connections).set({ defaultRoles: ['staff'] }).where(eq(connections.id, tenant.connection.id));
    const second = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'two@example.com' });
    expect(await roleKeys(tenant, String(second.body!.id))).toEqual(['staff:birthright']);
  });

  // A PATCH right after another write reuses the principal too; its locked read of the account
  // checks the token and the birthright policy again, and serves the write only if both still hold.
  it('refuses a PATCH, PUT or DELETE with a token revoked since the last write: 401, nothing written, whatever the body or id', async () => {
    const deactivate = JSON.stringify(patchOf({ op: 'replace', path: 'active', value: false }));
    const replace = JSON.stringify({ schemas: [USER], userName: 'patched@example.com', displayName: 'Replaced', active: false });
    const cases: [string, string, (id: string) => string, string | undefined][] = [
      ['a good PATCH', 'PATCH', (id) => id, deactivate],
      ['a body that is not JSON', 'PATCH', (id) => id, '{not json'],
      ['a bad value', 'PATCH', (id) => id, JSON.stringify(patchOf({ op: 'replace', path: 'active', value: 'maybe' }))],
      ['an id that is not a UUID', 'PATCH', () => 'not-a-uuid', deactivate],
      ['an unknown id', 'PATCH', () => crypto.randomUUID(), deactivate],
      ['a good PUT', 'PUT', (id) => id, replace],
      ['a PUT to an unknown id', 'PUT', () => crypto.randomUUID(), replace],
      ['a DELETE', 'DELETE', (id) => id, undefined],
    ];
    for (const [what, method, target, raw] of cases) {
      // Each case on a token remembered by a write just before (a refusal forgets the token).
      const tenant = await makeScimTenant(db);
      const id = String((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'patched@example.com' })).body!.id);
      expect((await as(tenant)('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: 'displayName', value: 'Still allowed' }))).status).toBe(200);
      await revokeScimToken(db, { organizationId: tenant.org.id, tokenId: tenant.tokenId }, admin);
      const refused = await server.call(method, `/Users/${target(id)}`, { token: tenant.token, ...(raw === undefined ? {} : { raw }) });
      expect({ what, status: refused.status }).toEqual({ what, status: 401 });
      expect(await getScimAccount(db, tenant.org.id, id)).toMatchObject({ status: 'active', displayName: 'Still allowed' });
    }
  });

  it('refuses any request with a token revoked since the last one: 401 before anything else is said', async () => {
    const lookup = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
    const cases: [string, string, string, string | undefined][] = [
      ['a lookup of a user who exists', 'GET', lookup('known@example.com'), undefined],
      ['a lookup of nobody', 'GET', lookup('nobody@example.com'), undefined],
      ['an unfiltered list', 'GET', '/Users', undefined],
      ['a filter that does not parse', 'GET', `/Users?filter=${encodeURIComponent('userName eq')}`, undefined],
      ['a create with a bad body', 'POST', '/Users', JSON.stringify({ schemas: [USER], userName: 'x', active: 'maybe' })],
      ['a method the endpoint refuses', 'PATCH', '/Users/.search', JSON.stringify(patchOf({ op: 'replace', path: 'active', value: false }))],
    ];
    for (const [what, method, path, raw] of cases) {
      // Each on a token remembered by a lookup and a write just before (a refusal forgets the token).
      const tenant = await makeScimTenant(db);
      expect((await as(tenant)('GET', lookup('known@example.com'))).body).toMatchObject({ totalResults: 0 });
      expect((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'known@example.com' })).status).toBe(201);
      expect((await as(tenant)('GET', lookup('known@example.com'))).body).toMatchObject({ totalResults: 1 });
      await revokeScimToken(db, { organizationId: tenant.org.id, tokenId: tenant.tokenId }, admin);
      const refused = await server.call(method, path, { token: tenant.token, ...(raw === undefined ? {} : { raw }) });
      expect({ what, status: refused.status, body: refused.body }).toMatchObject({ what, status: 401, body: { status: '401' } });
    }
  });

  it('answers a lookup after another request as any other: the user with its groups, nobody, or a 400', async () => {
    const tenant = await makeScimTenant(db);
    const lookup = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
    const id = String((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'Found@Example.com' })).body!.id);
    const group = await as(tenant)('POST', '/Groups', { schemas: [GROUP], displayName: 'Finders', members: [{ value: id }] });
    const found = await as(tenant)('GET', lookup('found@example.com'));
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'Found@Example.com', groups: [{ value: group.body!.id, display: 'Finders' }] }] });
    expect((await as(tenant)('GET', lookup('nobody@example.com'))).body).toMatchObject({ totalResults: 0, Resources: [] });
    expect((await as(tenant)('GET', `/Users?filter=${encodeURIComponent('userName eq')}`)).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await as(tenant)('GET', '/Users')).body).toMatchObject({ totalResults: 1 });
    const other = await makeScimTenant(db);
    expect((await as(other)('POST', '/Users', { schemas: [USER], userName: 'else@example.com' })).status).toBe(201);
    expect((await as(other)('GET', lookup('found@example.com'))).body).toMatchObject({ totalResults: 0 });
  });

  it('answers a PATCH after another write as any other: 404 for an unknown user, 400 for a bad body', async () => {
    const tenant = await makeScimTenant(db);
    const id = String((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'known@example.com' })).body!.id);
    const replaceActive = JSON.stringify(patchOf({ op: 'replace', path: 'active', value: false }));
    expect((await server.call('PATCH', `/Users/${crypto.randomUUID()}`, { token: tenant.token, raw: replaceActive })).status).toBe(404);
    expect((await server.call('PATCH', '/Users/not-a-uuid', { token: tenant.token, raw: replaceActive })).status).toBe(404);
    expect((await server.call('PATCH', `/Users/${id}`, { token: tenant.token, raw: '{not json' })).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await server.call('PATCH', `/Users/${id}`, { token: tenant.token, raw: replaceActive })).status).toBe(200);
    expect(await getScimAccount(db, tenant.org.id, id)).toMatchObject({ status: 'suspended' });
  });

  it('a PATCH re-evaluates birthright roles by the rules in force, when rules change after the last write', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    const id = String((await as(tenant)('POST', '/Users', { schemas: [USER, ENTERPRISE_SCHEMA], userName: 'mover@example.com', [ENTERPRISE_SCHEMA]: { department: 'Ops' } })).body!.id);
    expect(await roleKeys(tenant, id)).toEqual(['member:birthright']);
    await makeRuleRole(db, tenant.org.id, 'eng', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Eng' }] });
    const moved = await as(tenant)('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Eng' }));
    expect(moved.status).toBe(200);
    expect(await roleKeys(tenant, id)).toEqual(['eng:birthright', 'member:birthright']);
    const [granted] = await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['role.granted'] }).then((events) => events.filter((e) => JSON.stringify(e).includes('eng')));
    expect(granted).toMatchObject({ actorType: 'scim', actorId: tenant.tokenId });
  });

  it('a PUT re-evaluates birthright roles by the rules in force, and a DELETE after other writes deprovisions', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    const body = (department: string) => ({ schemas: [USER, ENTERPRISE_SCHEMA], userName: 'put@example.com', [ENTERPRISE_SCHEMA]: { department } });
    const id = String((await as(tenant)('POST', '/Users', body('Ops'))).body!.id);
    expect(await roleKeys(tenant, id)).toEqual(['member:birthright']);
    await makeRuleRole(db, tenant.org.id, 'eng', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Eng' }] });
    expect((await as(tenant)('PUT', `/Users/${id}`, body('Eng'))).status).toBe(200);
    expect(await roleKeys(tenant, id)).toEqual(['eng:birthright', 'member:birthright']);
    expect((await as(tenant)('PUT', `/Users/${crypto.randomUUID()}`, body('Eng'))).status).toBe(404);
    expect((await as(tenant)('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await as(tenant)('DELETE', `/Users/${id}`)).status).toBe(404);
    expect(await roleKeys(tenant, id)).toEqual([]);
  });

  it('a PATCH grants the default roles in force, when the connection’s default roles change after the last write', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'staff', name: 'staff' });
    const id = String((await as(tenant)('POST', '/Users', { schemas: [USER, ENTERPRISE_SCHEMA], userName: 'defaults@example.com', [ENTERPRISE_SCHEMA]: { department: 'Ops' } })).body!.id);
    expect(await roleKeys(tenant, id)).toEqual(['member:birthright']);
    await db.update(connections).set({ defaultRoles: ['staff'] }).where(eq(connections.id, tenant.connection.id));
    expect((await as(tenant)('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Eng' }))).status).toBe(200);
    expect(await roleKeys(tenant, id)).toEqual(['staff:birthright']);
  });
});

describe('joiner, mover, leaver', () => {
  it('joiner gets birthright roles by the same rules as JIT; mover re-evaluates them, audited', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    await makeRuleRole(db, tenant.org.id, 'engineering', { match: 'all', conditions: [{ attribute: 'department', op: 'eq', value: 'Engineering' }] });
    const created = await as(tenant)('POST', '/Users', { schemas: [USER, ENTERPRISE_SCHEMA], userName: 'eve@example.com', [ENTERPRISE_SCHEMA]: { department: 'Engineering' } });
    const id = String(created.body!.id);
    expect(await roleKeys(tenant, id)).toEqual(['engineering:birthright', 'member:birthright']);
    const joined = await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['account.scim_created', 'role.granted'] });
    expect(joined.map((e) => e.action).sort()).toEqual(['account.scim_created', 'role.granted', 'role.granted']);
    expect(joined.every((e) => e.actorType === 'scim' && e.actorId === tenant.tokenId && e.requestId)).toBe(true);
    expect(joined.find((e) => e.action === 'account.scim_created')).toMatchObject({ after: { userName: 'eve@example.com', department: 'Engineering', status: 'active', source: 'scim' } });
    await as(tenant)('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Sales' }));
    expect(await roleKeys(tenant, id)).toEqual(['member:birthright']);
    const [updated] = await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['account.updated'] });
    expect(updated).toMatchObject({ actorType: 'scim', actorId: tenant.tokenId, before: { department: 'Engineering' }, after: { department: 'Sales' } });
    expect(await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['role.revoked'] })).toHaveLength(1);
  });

  it('group → role mapping: membership changes grant and revoke at once; rules on groups follow too', async () => {
    const tenant = await makeScimTenant(db);
    await upsertRole(db, { organizationId: tenant.org.id, key: 'ops', name: 'ops' });
    await makeRuleRole(db, tenant.org.id, 'oncall', { match: 'all', conditions: [{ attribute: 'groups', op: 'eq', value: 'Operations' }] });
    const call = as(tenant);
    const [u1, u2] = [String((await call('POST', '/Users', { schemas: [USER], userName: 'o1' })).body!.id), String((await call('POST', '/Users', { schemas: [USER], userName: 'o2' })).body!.id)];
    const gid = String((await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Operations', members: [{ value: u1 }] })).body!.id);
    expect(await roleKeys(tenant, u1)).toEqual(['oncall:birthright']);
    await changeGroupRole(db, tenant.org.id, { group: { kind: 'scim', id: gid }, roleKey: 'ops' }, { actor: admin }, { dryRun: false });
    expect(await roleKeys(tenant, u1)).toEqual(['oncall:birthright', 'ops:group']);
    await call('PATCH', `/Groups/${gid}`, patchOf({ op: 'add', path: 'members', value: [{ value: u2 }] }, { op: 'remove', path: `members[value eq "${u1}"]` }));
    expect(await roleKeys(tenant, u1)).toEqual([]);
    expect(await roleKeys(tenant, u2)).toEqual(['oncall:birthright', 'ops:group']);
    await call('DELETE', `/Groups/${gid}`);
    expect(await roleKeys(tenant, u2)).toEqual([]);
  });

  it('leaver: active=false ends sessions and refuses the next login; DELETE deprovisions, strips roles and groups, keeps the record', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'member' });
    const call = as(tenant);
    const id = String((await call('POST', '/Users', { schemas: [USER], userName: 'leaver@example.com', externalId: 'sub-leaver' })).body!.id);
    const first = await login(tenant, 'sub-leaver', { email: 'leaver@example.com' });
    expect(first).toMatchObject({ ok: true, accountId: id, created: false });
    const sessionId = first.ok ? first.sessionId : '';
    const { version } = (await getScimAccount(db, tenant.org.id, id))!;
    const patched = await call('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: 'active', value: false }));
    expect(patched.body).toMatchObject({ active: false, meta: { version: `W/"${version + 1}"` } });
    expect(await getLiveSession(db, sessionId)).toBeNull();
    // One UPDATE of the account (one version more), and the trail says both what SCIM changed and the suspension.
    const trail = (await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['account.updated', 'account.suspended'] })).slice(0, 2).reverse();
    expect(trail).toMatchObject([
      { action: 'account.updated', before: { scimActive: null }, after: { scimActive: false }, data: { via: 'scim', mode: 'merge', connectionId: tenant.connection.id } },
      { action: 'account.suspended', before: { status: 'active' }, after: { status: 'suspended' }, data: { reason: 'scim: active=false', sessionsRevoked: 1 } },
    ]);
    expect(await login(tenant, 'sub-leaver', { email: 'leaver@example.com' })).toMatchObject({ ok: false, reason: 'account_suspended' });
    const gid = String((await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Leavers', members: [{ value: id }] })).body!.id);
    expect((await call('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(await login(tenant, 'sub-leaver', { email: 'leaver@example.com' })).toMatchObject({ ok: false, reason: 'account_deprovisioned' });
    expect(await findAccountRoles(db, tenant.org.id, id)).toEqual([]);
    expect((await call('GET', `/Groups/${gid}`)).body).toMatchObject({ members: [] });
    const [row] = await db.select({ status: accounts.status }).from(accounts).where(eq(accounts.id, id));
    expect(row).toEqual({ status: 'deprovisioned' });
    expect((await call('POST', '/Users', { schemas: [USER], userName: 'leaver@example.com' })).status).toBe(409);
  });

  it('a security hold is lifted only by an admin; SCIM active=true does not', async () => {
    const tenant = await makeScimTenant(db);
    const call = as(tenant);
    const id = String((await call('POST', '/Users', { schemas: [USER], userName: 'held@example.com' })).body!.id);
    const session = await insertSession(db, { organizationId: tenant.org.id, accountId: id, connectionId: null, expiresAt: new Date(Date.now() + 3600_000) });
    await inTransaction(db, { actor: admin }, (tx, ctx) => placeSecurityHold(tx, { organizationId: tenant.org.id, accountId: id, reason: 'compromised laptop' }, ctx));
    expect(await getLiveSession(db, session.id)).toBeNull();
    const retry = await call('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: 'active', value: true }));
    expect(retry).toMatchObject({ status: 200, body: { active: false } });
    expect(await findAuditEvents(db, tenant.org.id, { targetId: id, actions: ['account.restore_held'] })).toHaveLength(1);
    await expect(inTransaction(db, { actor: { type: 'scim', id: tenant.tokenId } }, (tx, ctx) => liftSecurityHold(tx, { organizationId: tenant.org.id, accountId: id }, ctx))).rejects.toMatchObject({ code: 'forbidden' });
    await inTransaction(db, { actor: admin }, (tx, ctx) => liftSecurityHold(tx, { organizationId: tenant.org.id, accountId: id }, ctx));
    expect((await call('GET', `/Users/${id}`)).body).toMatchObject({ active: true });
  });

  it('a PATCH that does not name active leaves the directory\'s word on active alone (a held account is restored when the hold lifts)', async () => {
    const tenant = await makeScimTenant(db);
    const call = as(tenant);
    const id = String((await call('POST', '/Users', { schemas: [USER], userName: 'mover@example.com', active: true })).body!.id);
    await inTransaction(db, { actor: admin }, (tx, ctx) => placeSecurityHold(tx, { organizationId: tenant.org.id, accountId: id, reason: 'investigation' }, ctx));
    // The held account renders active=false; a mover's PATCH of the title must not turn that into the IdP's word.
    expect(await call('PATCH', `/Users/${id}`, scimPatches.setTitle('Staff Engineer'))).toMatchObject({ status: 200, body: { title: 'Staff Engineer', active: false } });
    expect(await getScimAccount(db, tenant.org.id, id)).toMatchObject({ scimActive: true, status: 'suspended' });
    await inTransaction(db, { actor: admin }, (tx, ctx) => liftSecurityHold(tx, { organizationId: tenant.org.id, accountId: id }, ctx));
    expect((await call('GET', `/Users/${id}`)).body).toMatchObject({ active: true, title: 'Staff Engineer' });
  });

  it('audits a joiner (created with its birthright roles) and an adoption (linked, then updated), with the SCIM token as actor', async () => {
    const tenant = await makeScimTenant(db, { connection: { defaultRoles: ['member'] }, tokenForConnection: true });
    await upsertRole(db, { organizationId: tenant.org.id, key: 'member', name: 'Member' });
    const joiner = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'joiner@example.com', title: 'Engineer' });
    const joinerEvents = await findAuditEvents(db, tenant.org.id, { targetId: String(joiner.body!.id) });
    expect(joinerEvents.map((e) => e.action).reverse()).toEqual(['account.scim_created', 'role.granted']);
    expect(joinerEvents[1]).toMatchObject({ actorType: 'scim', actorId: tenant.tokenId, after: { userName: 'joiner@example.com', title: 'Engineer', status: 'active', source: 'scim' } });
    expect(joinerEvents[0]).toMatchObject({ data: { roleKey: 'member', source: 'birthright', sourceRef: `connection:${tenant.connection.id}` } });

    const jit = await login(tenant, 'sub-adopted', { email: 'adopted@example.com', job_title: 'Analyst' });
    expect(jit).toMatchObject({ ok: true });
    const accountId = (jit as { accountId: string }).accountId;
    const adopted = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'adopted@example.com', title: 'Senior Analyst', emails: [{ value: 'adopted@example.com', primary: true }] });
    expect(adopted).toMatchObject({ status: 201, body: { id: accountId, title: 'Senior Analyst' } });
    const adoption = (await findAuditEvents(db, tenant.org.id, { targetId: accountId })).filter((e) => e.actorType === 'scim');
    expect(adoption.map((e) => e.action).reverse()).toEqual(['account.scim_linked', 'account.updated']);
    expect(adoption[0]).toMatchObject({ before: { title: 'Analyst' }, after: { title: 'Senior Analyst' }, data: { via: 'scim', mode: 'replace' } });
  });

  it('a rejected PATCH changes nothing (all operations or none)', async () => {
    const tenant = await makeScimTenant(db);
    const id = String((await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'atomic', title: 'Before' })).body!.id);
    const res = await as(tenant)('PATCH', `/Users/${id}`, patchOf({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'shoeSize', value: 1 }));
    expect(res.status).toBe(400);
    expect((await as(tenant)('GET', `/Users/${id}`)).body).toMatchObject({ title: 'Before', meta: { version: 'W/"1"' } });
  });
});

describe('JIT ↔ SCIM linking: one person, one account', () => {
  it('an IdP that looks first finds the JIT-created account and takes it over', async () => {
    const tenant = await makeScimTenant(db);
    const jit = await login(tenant, 'sub-alice', { email: 'alice@example.com', department: 'Engineering' });
    const accountId = jit.ok ? jit.accountId : '';
    const found = await as(tenant)('GET', `/Users?filter=${encodeURIComponent('userName eq "alice@example.com"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id: accountId, active: true }] });
    await as(tenant)('PATCH', `/Users/${accountId}`, patchOf({ op: 'replace', value: { externalId: 'okta-alice', title: 'Lead' } }));
    expect(await getScimAccount(db, tenant.org.id, accountId)).toMatchObject({ source: 'jit', externalId: 'okta-alice', title: 'Lead', scimManagedAt: expect.any(Date) });
    expect(await findAuditEvents(db, tenant.org.id, { targetId: accountId, actions: ['account.scim_linked'] })).toHaveLength(1);
  });

  it('an IdP that POSTs without looking adopts the JIT account (by userName, or by an email in a verified domain)', async () => {
    const tenant = await makeScimTenant(db);
    const byName = await login(tenant, 'sub-bob', { email: 'bob@example.com' });
    const post = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'bob@example.com', externalId: 'x-bob' });
    expect(post).toMatchObject({ status: 201, body: { id: byName.ok ? byName.accountId : '' } });
    const byEmail = await login(tenant, 'sub-carol', { email: 'carol@example.com', preferred_username: 'carol' });
    const post2 = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'carol.c@example.com', emails: [{ value: 'Carol@example.com', primary: true }] });
    expect(post2).toMatchObject({ status: 201, body: { id: byEmail.ok ? byEmail.accountId : '', userName: 'carol.c@example.com' } });
    expect(await accountCount(tenant.org.id)).toBe(2);
  });

  it('SCIM first: the first SSO login links to the pushed account; SCIM keeps the attributes it sent', async () => {
    const tenant = await makeScimTenant(db);
    const pushed = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'dan@example.com', externalId: 'sub-dan', title: 'Manager' });
    const result = await login(tenant, 'sub-dan', { email: 'dan@example.com', title: 'Engineer', department: 'Ops' });
    expect(result).toMatchObject({ ok: true, created: false, accountId: pushed.body!.id });
    expect(await getScimAccount(db, tenant.org.id, String(pushed.body!.id))).toMatchObject({ title: 'Manager', department: 'Ops', firstLoginAt: expect.any(Date) });
    const byVerifiedEmail = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'erin', emails: [{ value: 'erin@example.com', primary: true }] });
    expect(await login(tenant, 'oidc-erin', { email: 'erin@example.com', preferred_username: 'erin.e' })).toMatchObject({ ok: true, created: false, accountId: byVerifiedEmail.body!.id });
    expect(await accountCount(tenant.org.id)).toBe(2);
  });

  it('an unverified email never links', async () => {
    const tenant = await makeScimTenant(db);
    await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'fay', emails: [{ value: 'fay@example.com', primary: true }] });
    const result = await login(tenant, 'saml-fay', { email: 'fay@example.com', email_verified: undefined, preferred_username: 'fay.f' });
    expect(result).toMatchObject({ ok: true, created: true });
  });

  it('ambiguous matches go to the conflict list, never a guess (SCIM push and login)', async () => {
    const tenant = await makeScimTenant(db);
    await login(tenant, 'sub-g1', { email: 'gus@example.com' });
    await login(tenant, 'sub-g2', { email: 'gus@example.com', preferred_username: 'gus2' });
    const post = await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'gus@example.com', emails: [{ value: 'gus@example.com' }] });
    expect(post).toMatchObject({ status: 409, body: { scimType: 'uniqueness' } });
    expect(await accountCount(tenant.org.id)).toBe(2);
    await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'h1@example.com', externalId: 'sub-h' });
    await as(tenant)('POST', '/Users', { schemas: [USER], userName: 'h2@example.com', emails: [{ value: 'hal@example.com', primary: true }] });
    expect(await login(tenant, 'sub-h', { email: 'hal@example.com' })).toMatchObject({ ok: false, reason: 'account_conflict' });
    const conflicts = await db.select().from(linkConflicts).where(and(eq(linkConflicts.organizationId, tenant.org.id), eq(linkConflicts.status, 'open')));
    expect(conflicts.map((c) => [c.source, c.candidateAccountIds.length]).sort()).toEqual([['login', 2], ['scim', 2]]);
  });

  it('never links across organizations', async () => {
    const [a, b] = [await makeScimTenant(db), await makeScimTenant(db)];
    const jit = await login(b, 'sub-ida', { email: 'ida@example.com' });
    const post = await as(a)('POST', '/Users', { schemas: [USER], userName: 'ida@example.com', externalId: 'sub-ida' });
    expect(post.status).toBe(201);
    expect(post.body!.id).not.toBe(jit.ok ? jit.accountId : '');
    expect(await login(a, 'sub-ida', { email: 'ida@example.com' })).toMatchObject({ ok: true, created: false, accountId: post.body!.id });
  });
});
