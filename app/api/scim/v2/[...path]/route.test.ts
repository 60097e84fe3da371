import { afterAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
import { makeScimTenant } from '@/lib/testing/scim-server';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { GET, POST } from './route';

afterAll(async () => {
  await closeDb();
  await closeTestDb();
});

const url = (path: string) => `http://roster.test/api/scim/v2${path}`;

describe('the /api/scim/v2 route adapter', () => {
  it('serves SCIM JSON with the token deciding the organization', async () => {
    const tenant = await makeScimTenant(testDb());
    const created = await POST(
      new Request(url('/Users'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'route@example.com' }),
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(created.headers.get('location')).toMatch(/^http:\/\/roster\.test\/api\/scim\/v2\/Users\//);
    const list = await GET(new Request(url('/Users?aadOptscim062020&filter=userName%20eq%20%22route%40example.com%22'), { headers: { Authorization: `Bearer ${tenant.token}` } }));
    expect(await list.json()).toMatchObject({ totalResults: 1 });
  });

  it('refuses a missing token with 401 and an oversized body with 413 without reading it all', async () => {
    expect((await GET(new Request(url('/Users')))).status).toBe(401);
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await POST(new Request(url('/Users'), { method: 'POST', body: endless, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({ status: '413' });
    expect(sent).toBeLessThan(2 * 1024 * 1024);
  });
});
