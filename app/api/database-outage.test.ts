import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDatabase } from '@/db';
import { ensureDatabase, type EmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { GET as health } from '@/app/api/health/route';
import { GET as samlLogin } from '@/app/api/saml/[connectionId]/login/route';
import { resetEnvCache } from '@/lib/env';
import { startPrivatePostgres, waitFor, type PrivatePostgres } from '@/lib/testing/private-postgres';
import { makeScimTenant, startScimServer, type ScimTestServer } from '@/lib/testing/scim-server';
import { RETRY_AFTER_SECONDS } from '@/lib/scim/handle-request';

/**
 * PostgreSQL going away under SCIM load, on a server of this test's own: answers are 503 with
 * Retry-After (SCIM error JSON) within two seconds, never a 500 or a hang, and the first request
 * after the database is back succeeds. The health endpoint and a sign-in route answer as quickly.
 */
let pg: PrivatePostgres;
let server: EmbeddedDatabase;
let handle: ReturnType<typeof createDatabase>;
let scim: ScimTestServer;
let token = '';
const DATABASE = 'roster_outage';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  server = pg.first;
  await ensureDatabase(server.url('postgres'), DATABASE);
  await runMigrations(server.url(DATABASE));
  process.env.DATABASE_URL = server.url(DATABASE); // the routes' getDb()
  process.env.NEXTAUTH_URL = 'http://localhost:3000';
  resetEnvCache();
  handle = createDatabase(server.url(DATABASE), { max: 4 });
  scim = await startScimServer(handle.db);
  token = (await makeScimTenant(handle.db)).token;
});
afterAll(async () => {
  await scim.close();
  await handle.sql.end({ timeout: 1 });
  await closeDb();
  await server.stop();
  pg.remove();
});

type Answer = { at: number; ms: number; status: number; retryAfter: string | null; body: unknown };

/** Three clients, each sending GET /Users one after another until told to stop. */
function load(until: { done: boolean }): Promise<Answer[][]> {
  const client = async () => {
    const answers: Answer[] = [];
    while (!until.done) {
      const at = Date.now();
      const res = await scim.call('GET', '/Users?count=1', { token });
      answers.push({ at, ms: Date.now() - at, status: res.status, retryAfter: res.headers.get('retry-after'), body: res.body });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return answers;
  };
  return Promise.all([client(), client(), client()]);
}

describe('with PostgreSQL down', () => {
  it('SCIM answers 503 + Retry-After within 2 s, and recovers by itself when it is back', async () => {
    const until = { done: false };
    const running = load(until);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.stop();
    const down = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const healthStarted = Date.now();
    const healthAnswer = await health();
    expect(healthAnswer.status).toBe(503);
    expect(Date.now() - healthStarted).toBeLessThan(2000);
    const refused = await samlLogin(new NextRequest(`http://localhost:3000/api/saml/${randomUUID()}/login`), { params: Promise.resolve({ connectionId: randomUUID() }) });
    expect([refused.status, refused.headers.get('location')]).toEqual([303, 'http://localhost:3000/login/error?reason=unavailable']);

    const restarting = Date.now();
    server = await pg.start();
    const up = Date.now();
    await waitFor(async () => (await scim.call('GET', '/Users?count=1', { token })).status === 200, 5000, 20).then((ms) => expect(ms).toBeLessThan(2000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    until.done = true;
    const answers = (await running).flat();

    expect(answers.every((a) => a.ms < 2000)).toBe(true);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 503]));
    const whileDown = answers.filter((a) => a.at > down && a.at + a.ms < restarting);
    expect(whileDown.length).toBeGreaterThan(5);
    for (const answer of whileDown) {
      expect(answer).toMatchObject({ status: 503, retryAfter: String(RETRY_AFTER_SECONDS), body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' } });
    }
    expect(answers.filter((a) => a.at > up + 2000).every((a) => a.status === 200)).toBe(true);
    expect((await health()).status).toBe(200);
  });
});
