import type { Database } from '@/db';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findScimRequests } from '@/db/queries/scim-requests';
import { jobDefinitions } from '@/lib/jobs/registry';
import { purgeScimRequestsJob } from '@/lib/jobs/definitions/purge-scim-requests';
import { runJob } from '@/lib/jobs/run-job';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { SCIM_REQUESTS_PER_ORGANIZATION } from './purge-request-log';

/**
 * The SCIM request log's retention through the purge-scim-requests job, as the scheduler runs it:
 * 14 days, and the newest 10,000 rows of an organization. The job sweeps the whole deployment, so
 * the test works in a transaction it rolls back, with rows in the year 2000 (see housekeeping.test.ts).
 */
const shared = testDb();
afterAll(closeTestDb);
const actor = { type: 'system' as const, id: 'test' };

class RolledBack extends Error {}
async function isolated(work: (db: Database) => Promise<void>): Promise<void> {
  await shared
    .transaction(async (tx) => {
      await work(tx as unknown as Database);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
}

/** `count` rows for an organization, one a second from `from` on (path /n/<i>, i = 1…count). */
async function logRows(db: Database, organizationId: string, from: string, count: number, status = 200) {
  await db.execute(sql`
    insert into scim_requests (organization_id, method, path, status, duration_ms, at)
    select ${organizationId}::uuid, 'GET', '/n/' || i, ${status}, 1, ${from}::timestamptz + i * interval '1 second'
    from generate_series(1, ${count}) as i`);
}

describe('purge-scim-requests', () => {
  it('is a housekeeping job of the registry', () => {
    expect(jobDefinitions).toContain(purgeScimRequestsJob);
    expect(purgeScimRequestsJob.scope).toBe('deployment');
  });

  it('deletes rows older than 14 days, then all but the newest 10,000 of an organization; a dry run only counts', () =>
    isolated(async (db) => {
      const { org: busy } = await makeOrganization(db);
      const { org: quiet } = await makeOrganization(db);
      const now = new Date('2000-02-01T00:00:00Z'); // the cutoff is 2000-01-18
      await logRows(db, busy.id, '2000-01-10T00:00:00Z', 3, 500); // expired
      await logRows(db, busy.id, '2000-01-20T00:00:00Z', SCIM_REQUESTS_PER_ORGANIZATION + 5); // 5 past the cap
      await logRows(db, quiet.id, '2000-01-17T23:59:58Z', 4); // the first is before the cutoff, the rest not

      const dry = await runJob(db, purgeScimRequestsJob, { organizationId: null, trigger: 'cli', actor, now, dryRun: true });
      expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, counts: { delete_scim_request: 4, delete_scim_request_over_cap: 5 } });
      const count = async (organizationId: string) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from scim_requests where organization_id = ${organizationId}`))[0]!.n;
      expect(await count(busy.id)).toBe(SCIM_REQUESTS_PER_ORGANIZATION + 8);

      const real = await runJob(db, purgeScimRequestsJob, { organizationId: null, trigger: 'schedule', actor, now });
      expect(real).toMatchObject({ status: 'succeeded', counts: { delete_scim_request: 4, delete_scim_request_over_cap: 5 } });
      expect(await count(busy.id)).toBe(SCIM_REQUESTS_PER_ORGANIZATION);
      const newest = await findScimRequests(db, busy.id, { outcome: 'all', limit: 1 });
      expect(newest[0]!.path).toBe(`/n/${SCIM_REQUESTS_PER_ORGANIZATION + 5}`);
      const oldestKept = (await db.execute<{ path: string }>(sql`select path from scim_requests where organization_id = ${busy.id} order by at, id limit 1`))[0]!;
      expect(oldestKept.path).toBe('/n/6');
      expect((await findScimRequests(db, quiet.id, { outcome: 'all', limit: 10 })).map((r) => r.path)).toEqual(['/n/4', '/n/3', '/n/2']);
    }));
});
