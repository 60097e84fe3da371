import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, scimRequests } from '@/db/schema';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { makeScimTenant } from '@/lib/testing/scim-server';
import { flushScimRequestLog } from '@/lib/scim/request-log';
import { MAX_BODY_BYTES } from '@/lib/scim/scimmy';
import { createAppServer, scimTarget, stopAppServer } from './app-server';

/**
 * The production server's routing: /api/scim/v2 and below to lib/scim, on the real database;
 * everything else to the fallback (Next.js in server.ts), including paths that only look like SCIM.
 */
const db = testDb();
const fellThrough: string[] = [];
let server: http.Server;
let base = '';
let tenant: Awaited<ReturnType<typeof makeScimTenant>>;

beforeAll(async () => {
  tenant = await makeScimTenant(db);
  server = createAppServer({
    db,
    origin: 'https://roster.example.com',
    fallback: (req, res) => {
      fellThrough.push(req.url ?? '');
      res.writeHead(299, { 'Content-Type': 'text/plain' });
      res.end('next');
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeTestDb();
});

/** A raw request (fetch would normalise the path before sending it). */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/`, { method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the production server (lib/http/app-server.ts)', () => {
  it('serves SCIM itself: the token decides the organization, locations use the public origin', async () => {
    const auth = { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' };
    const created = await raw('POST', '/api/scim/v2/Users', { headers: auth, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'served@example.com' }) });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(created.headers.location).toMatch(/^https:\/\/roster\.example\.com\/api\/scim\/v2\/Users\//);
    expect(Number(created.headers['content-length'])).toBe(Buffer.byteLength(created.text));
    const list = await raw('GET', '/api/scim/v2/Users?filter=userName%20eq%20%22served%40example.com%22', { headers: auth });
    expect(JSON.parse(list.text)).toMatchObject({ totalResults: 1 });
    expect((await raw('GET', '/api/scim/v2/Users')).status).toBe(401);
    expect(JSON.parse((await raw('GET', '/api/scim/v2')).text)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    expect(fellThrough).toEqual([]);
  });

  it('records the socket peer, never a client-sent X-Forwarded-For or peer header (no trusted proxies)', async () => {
    const headers = { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json', 'X-Forwarded-For': '203.0.113.9', 'X-Roster-Peer-Address': '198.51.100.7' };
    const created = await raw('POST', '/api/scim/v2/Users', { headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'peer@example.com' }) });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.text).id as string;
    const events = await db.select({ ip: auditEvents.ip }).from(auditEvents).where(and(eq(auditEvents.organizationId, tenant.org.id), eq(auditEvents.targetId, id)));
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.ip))).toEqual(new Set(['127.0.0.1']));
  });

  it('answers a body past the cap with 413 and closes the connection', async () => {
    const response = await raw('POST', '/api/scim/v2/Users', { headers: { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' }, body: Buffer.alloc(MAX_BODY_BYTES + 64 * 1024, 0x78) });
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(response.text)).toMatchObject({ status: '413' });
  });

  it('hands every other path to the fallback, also those that only look like SCIM', async () => {
    for (const path of ['/admin', '/api/scim', '/api/scim/v2x/Users', '/api/scim/v2/../../admin', '/api/scim/v2/%2e%2e/%2e%2e/admin', '/api/health']) {
      const response = await raw('GET', path);
      expect({ path, status: response.status, text: response.text }).toEqual({ path, status: 299, text: 'next' });
    }
    expect(fellThrough).toHaveLength(6);
  });

  it('answers a path with a malformed percent-escape with 400 itself (Next answered a bare 500); a good escape still goes to Next', async () => {
    const before = fellThrough.length;
    for (const path of ['/admin/roles/%ZZ', '/admin/groups/sign-in/%E0%A4%A', '/sso/%?returnTo=/me']) {
      const response = await raw('GET', path);
      expect({ path, status: response.status, type: response.headers['content-type'] }).toEqual({ path, status: 400, type: 'text/html; charset=utf-8' });
      expect(response.text).toContain('malformed percent-escape');
    }
    expect(fellThrough.length).toBe(before);
    // Only the path is checked: a query value is the page's to judge.
    for (const path of ['/admin/roles/on%20call', '/login?returnTo=%ZZ']) expect((await raw('GET', path)).status).toBe(299);
    expect(fellThrough.slice(before)).toEqual(['/admin/roles/on%20call', '/login?returnTo=%ZZ']);
  });

  it('takes a SCIM path segment with a malformed escape as it is: a 404 in SCIM\'s shape, logged in the organization', async () => {
    const auth = { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' };
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const response = await raw(method, '/api/scim/v2/Users/%ZZ', { headers: auth, body: method === 'PATCH' ? JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }) : undefined });
      expect({ method, status: response.status, schemas: JSON.parse(response.text).schemas }).toEqual({ method, status: 404, schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    }
    await flushScimRequestLog();
    const rows = await db.select({ method: scimRequests.method, status: scimRequests.status, path: scimRequests.path }).from(scimRequests).where(and(eq(scimRequests.organizationId, tenant.org.id), eq(scimRequests.resourceId, '%ZZ')));
    expect(rows.map((r) => `${r.method} ${r.status} ${r.path}`).sort()).toEqual(['DELETE 404 /Users/%ZZ', 'GET 404 /Users/%ZZ', 'PATCH 404 /Users/%ZZ']);
  });

  describe('stopping (stopAppServer)', () => {
    const headers = () => ({ Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' });
    /** A server of the test's own (the shared one stays up), and the URL of its /Users. */
    async function ownServer() {
      const own = createAppServer({ db, fallback: (_req, res) => res.end() });
      await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
      return { own, users: `http://127.0.0.1:${(own.address() as AddressInfo).port}/api/scim/v2/Users` };
    }
    /** POST /Users over `agent` (a keep-alive one stays connected afterwards); the status. */
    const createUser = (users: string, userName: string, agent?: http.Agent) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(users, { method: 'POST', agent, headers: headers() }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
        req.on('error', reject);
        req.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }));
      });
    const logged = (userName: string) =>
      db.select({ method: scimRequests.method, status: scimRequests.status }).from(scimRequests).where(and(eq(scimRequests.organizationId, tenant.org.id), eq(scimRequests.userName, userName)));

    it('closes its idle keep-alive connections and writes the waiting request log', async () => {
      const { own, users } = await ownServer();
      const agent = new http.Agent({ keepAlive: true });
      expect(await createUser(users, 'stopping@example.com', agent)).toBe(201);
      // The log writes a batch a second apart; stopping writes it at once (a shutdown would lose it).
      await stopAppServer(own);
      expect(own.listening).toBe(false);
      expect(await logged('stopping@example.com')).toEqual([{ method: 'POST', status: 201 }]);
      agent.destroy();
    });

    it('writes the waiting request log after the grace period when a client holds a request open', async () => {
      const { own, users } = await ownServer();
      expect(await createUser(users, 'held@example.com')).toBe(201);
      // A second request whose body never ends keeps the server from closing.
      const held = http.request(users, { method: 'POST', headers: { ...headers(), 'Content-Length': '1000' } });
      held.on('error', () => undefined);
      held.write('{');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await stopAppServer(own, 200);
      expect(await logged('held@example.com')).toEqual([{ method: 'POST', status: 201 }]);
      held.destroy();
    });
  });

  it('routes on the normalised path', () => {
    expect(scimTarget({ url: '/api/scim/v2/Users?startIndex=2' })).toMatchObject({ pathname: '/api/scim/v2/Users' });
    expect(scimTarget({ url: '/api/scim/v2/Users?startIndex=2' })?.search.get('startIndex')).toBe('2');
    expect(scimTarget({ url: '/x/../api/scim/v2/Groups' })).toMatchObject({ pathname: '/api/scim/v2/Groups' });
    expect(scimTarget({ url: '/api/scim/v2/./Users' })).toMatchObject({ pathname: '/api/scim/v2/Users' });
    expect(scimTarget({ url: '/api/scim/v20' })).toBeNull();
    expect(scimTarget({ url: '//api/scim/v2' })).toBeNull();
  });
});
