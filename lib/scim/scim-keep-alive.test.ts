import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDb, testDb } from '@/lib/testing/fixtures';
import { oversizedThenNext } from '@/lib/testing/keep-alive-client';
import { startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { MAX_BODY_BYTES } from './limits';

let server: ScimTestServer;
beforeAll(async () => {
  server = await startScimServer(testDb());
});
afterAll(async () => {
  await server.close();
  await closeTestDb();
});

describe('a 413 over a keep-alive connection', () => {
  it('closes that connection, so the client’s next request goes over a new one and is answered at once', async () => {
    const { first, second } = await oversizedThenNext(server.baseUrl, { path: '/Users', bytes: 2 * MAX_BODY_BYTES, next: '/Users', timeoutMs: 5000 });
    expect(first).toMatchObject({ status: 413, connection: 'close' });
    expect(second.status).toBe(401);
    expect(second.ms).toBeLessThan(2000);
  });
});
