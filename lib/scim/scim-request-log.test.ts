import { randomUUID } from 'node:crypto';
import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findScimRequests } from '@/db/queries/scim-requests';
import { scimRequests } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { revokeScimToken } from './create-token';
import { FLUSH_EVERY_MS, flushScimRequestLog, logScimRequest } from './request-log';

/**
 * SCIM request log: each request served for a token is logged in the token's organization with its
 * outcome (method, path, status, scimType, detail …), written a batch at a time; a request with no
 * valid token belongs to no organization and is logged nowhere.
 */
const db = testDb();
let server: ScimTestServer;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const user = (userName: string) => ({ schemas: [USER], userName, name: { givenName: 'Log', familyName: 'Test' }, emails: [{ value: userName, primary: true }], active: true });

beforeAll(async () => {
  server = await startScimServer(db);
});
afterAll(async () => {
  await server.close();
  await flushScimRequestLog();
  await closeTestDb();
});

describe('SCIM request log', () => {
  it('logs a success and each refusal (400 invalidFilter, 404, 409 uniqueness) with their fields, in the token’s organization only', async () => {
    const a = await makeScimTenant(db, { tokenForConnection: true });
    const b = await makeScimTenant(db);
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => server.call(method, path, { token: a.token, body, headers });
    const userName = `log-${randomUUID().slice(0, 8)}@example.com`;

    const created = await call('POST', '/Users', user(userName), { 'X-Request-Id': 'req-created' });
    expect(created.status).toBe(201);
    expect((await call('GET', '/Users?filter=userName%20zz%20%22x%22&startIndex=1&secret=hunter2')).status).toBe(400);
    const missing = randomUUID();
    expect((await call('GET', `/Users/${missing}`)).status).toBe(404);
    expect((await call('POST', '/Users', user(userName))).status).toBe(409);
    await server.call('GET', '/Users', { token: b.token });
    await flushScimRequestLog();

    const rows = await findScimRequests(db, a.org.id, { outcome: 'all', limit: 10 });
    expect(rows.map((r) => r.status)).toEqual([409, 404, 400, 201]);
    const [conflict, notFound, badFilter, ok] = rows;
    const common = { tokenId: a.tokenId, tokenName: 'test IdP', connectionId: a.connection.id, ip: '127.0.0.1' };
    expect(ok).toMatchObject({ ...common, method: 'POST', path: '/Users', scimType: null, detail: null, resourceId: String(created.body!.id), userName, requestId: 'req-created' });
    expect(badFilter).toMatchObject({ ...common, method: 'GET', path: '/Users?filter=userName%20zz%20%22x%22&startIndex=1', scimType: 'invalidFilter', detail: expect.any(String) });
    expect(notFound).toMatchObject({ ...common, method: 'GET', path: `/Users/${missing}`, scimType: null, resourceId: missing, detail: expect.stringContaining('not found') });
    expect(conflict).toMatchObject({ ...common, method: 'POST', path: '/Users', scimType: 'uniqueness', userName, resourceId: null, detail: expect.any(String) });
    for (const r of rows) {
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(r.requestId).toBeTruthy();
      expect(r.path).not.toContain('hunter2');
    }
    // The other organization sees its own request only.
    expect((await findScimRequests(db, b.org.id, { outcome: 'all', limit: 10 })).map((r) => [r.method, r.path, r.status, r.tokenId])).toEqual([['GET', '/Users', 200, b.tokenId]]);
    expect(await findScimRequests(db, a.org.id, { outcome: 'refused', limit: 10 })).toHaveLength(3);
  });

  it('logs what PostgreSQL text cannot hold (U+0000, a lone surrogate, a pair cut by a cap) as U+FFFD, and another organization’s entries in the same batch are written', async () => {
    const a = await makeScimTenant(db);
    const b = await makeScimTenant(db);
    const errors = vi.spyOn(console, 'error');
    try {
      const nulFilter = await server.call('GET', `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`, { token: a.token });
      const nulId = await server.call('GET', '/Users/x%00y', { token: a.token });
      // The pair 😀 straddles the 500-character cap of the logged filter.
      const long = `userName eq "${'a'.repeat(498 - 'userName eq "'.length)}😀b"`;
      const cut = await server.call('GET', `/Users?filter=${encodeURIComponent(long)}`, { token: a.token });
      const lone = await server.call('POST', '/Users', { token: a.token, raw: JSON.stringify(user('lone@example.com')).replace('lone@', 'lone\\ud800@') });
      await server.call('GET', '/Users', { token: b.token });
      expect([nulFilter.status, nulId.status, cut.status]).toEqual([400, 404, 200]);
      expect(lone.status).toBeLessThan(500);
      await flushScimRequestLog();
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
    const rows = await findScimRequests(db, a.org.id, { outcome: 'all', limit: 10 });
    expect(rows).toHaveLength(4);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/\\u0000|\\ud[89ab]/i);
    expect(rows.find((r) => r.method === 'GET' && r.status === 404)).toMatchObject({ resourceId: 'x\uFFFDy' });
    expect(rows.find((r) => r.path.includes('%F0%9F%98%80') || r.path.endsWith('%E2%80%A6'))).toBeDefined();
    expect((await findScimRequests(db, b.org.id, { outcome: 'all', limit: 10 })).map((r) => r.status)).toEqual([200]);
  });

  it('logs nothing, in any organization, for a request without a valid token (unknown, missing or revoked)', async () => {
    const t = await makeScimTenant(db);
    await revokeScimToken(db, { organizationId: t.org.id, tokenId: t.tokenId }, { type: 'cli' });
    const marker = `marker-${randomUUID()}`;
    const path = `/Users?filter=${encodeURIComponent(`userName eq "${marker}"`)}`;
    for (const token of ['roster_scim_nosuchtoken', null, t.token]) expect((await server.call('GET', path, { token })).status).toBe(401);
    await flushScimRequestLog();
    expect(await db.select({ id: scimRequests.id }).from(scimRequests).where(like(scimRequests.path, `%${marker}%`))).toEqual([]);
    expect(await findScimRequests(db, t.org.id, { outcome: 'all', limit: 10 })).toEqual([]);

    // A token revoked right after it was used (this process still remembers it) is refused the same way, and not logged either.
    const used = await makeScimTenant(db);
    const id = String((await server.call('POST', '/Users', { token: used.token, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${marker}@example.com` } })).body!.id);
    await revokeScimToken(db, { organizationId: used.org.id, tokenId: used.tokenId }, { type: 'cli' });
    expect((await server.call('GET', path, { token: used.token })).status).toBe(401);
    expect((await server.call('PATCH', `/Users/${id}`, { token: used.token, raw: '{not json' })).status).toBe(401);
    await flushScimRequestLog();
    expect((await findScimRequests(db, used.org.id, { outcome: 'all', limit: 10 })).map((r) => [r.method, r.status])).toEqual([['POST', 201]]);
  });

  it('writes what waits on flush or within about a second (FLUSH_EVERY_MS), not before; a failed write is reported, never thrown, and loses only the entries at fault (a gone organization’s, a refused value’s)', async () => {
    const t = await makeScimTenant(db);
    const entry = (organizationId: string, path: string) => ({ organizationId, method: 'GET', path, status: 200, durationMs: 1, at: new Date() });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      logScimRequest(db, entry(t.org.id, '/kept'));
      logScimRequest(db, entry(randomUUID(), '/lost')); // no such organization: the batch's foreign key fails
      await expect(flushScimRequestLog()).resolves.toBeUndefined();
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('[scim] the request log could not write 1 of 2 entries: their organization is gone'));
      // A value PostgreSQL refuses (here past toScimRequestEntry's cleaning) costs only its own entry, too.
      logScimRequest(db, entry(t.org.id, '/bad\u0000'));
      logScimRequest(db, entry(t.org.id, '/kept'));
      await expect(flushScimRequestLog()).resolves.toBeUndefined();
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('[scim] the request log could not write 1 of 2 entries: a value was refused'));
    } finally {
      errors.mockRestore();
    }
    expect((await findScimRequests(db, t.org.id, { outcome: 'all', limit: 10 })).map((r) => r.path)).toEqual(['/kept', '/kept']);
    logScimRequest(db, entry(t.org.id, '/timed'));
    await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS / 2));
    expect((await findScimRequests(db, t.org.id, { outcome: 'all', limit: 10 })).map((r) => r.path)).toEqual(['/kept', '/kept']); // not yet: a batch a second
    await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS));
    expect((await findScimRequests(db, t.org.id, { outcome: 'all', limit: 10 })).map((r) => r.path)).toEqual(['/timed', '/kept', '/kept']);
  });
});
