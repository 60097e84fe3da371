import { randomUUID } from 'node:crypto';
import type { Database } from '@/db';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { findAuditEvents } from '@/db/queries/audit-events';
import { markAssertionUsed } from '@/db/queries/saml-replay-cache';
import { insertSamlRequest } from '@/db/queries/saml-requests';
import { insertSession, revokeSession } from '@/db/queries/sessions';
import { accounts, organizations, samlReplayCache, samlRequests, sessions } from '@/db/schema';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { deprovisionAccount } from '@/lib/lifecycle/account/deprovision-account';
import { jobDefinitions } from '../registry';
import { runJob } from '../run-job';
import { purgeDeprovisionedAccountsJob } from './purge-deprovisioned-accounts';
import { purgeEndedSessionsJob } from './purge-ended-sessions';
import { purgeSamlStateJob } from './purge-saml-state';

/**
 * The housekeeping jobs through runJob, as the scheduler runs them. They sweep the whole deployment
 * and other test files share this database (and purge it too), so each test works in a transaction
 * of its own that it rolls back: what it sets up is invisible to the others' sweeps, and its rows
 * live in the year 2000 with the job's clock just after them, so its own sweep reaches only them.
 */
const shared = testDb();
afterAll(closeTestDb);
const actor = { type: 'system' as const, id: 'test' };
const at = (iso: string) => new Date(iso);

class RolledBack extends Error {}
/** Runs `work` in a transaction that is always rolled back (runJob's own transactions become savepoints). */
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

describe('the registry', () => {
  it('names each job once, with a cron schedule and a scope', () => {
    const names = jobDefinitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['purge-saml-state', 'purge-ended-sessions', 'purge-deprovisioned-accounts']));
    for (const d of jobDefinitions) expect(d.schedule.split(' ')).toHaveLength(5);
  });
});

describe('housekeeping jobs', () => {
  it('purge-saml-state deletes expired requests and replay entries, keeps live ones, and only counts in a dry run', () =>
    isolated(async (db) => {
      const { org, connection } = await makeOrganization(db);
      const base = { organizationId: org.id, connectionId: connection.id, relayState: null, browserBindingHash: 'x' };
      const prefix = `_hk${randomUUID().slice(0, 8)}`;
      await insertSamlRequest(db, { ...base, id: `${prefix}-old`, expiresAt: at('2000-01-01T00:00:00Z') });
      await insertSamlRequest(db, { ...base, id: `${prefix}-live`, expiresAt: at('2000-01-03T00:00:00Z') });
      await markAssertionUsed(db, { connectionId: connection.id, assertionId: `${prefix}-a1`, expiresAt: at('2000-01-01T00:00:00Z') });
      await markAssertionUsed(db, { connectionId: connection.id, assertionId: `${prefix}-a2`, expiresAt: at('2000-01-03T00:00:00Z') });
      const now = at('2000-01-02T00:00:00Z');

      const dry = await runJob(db, purgeSamlStateJob, { organizationId: null, trigger: 'cli', actor, now, dryRun: true });
      expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, counts: { delete_request: 1, delete_replay_entry: 1 } });
      expect(await db.select({ id: samlRequests.id }).from(samlRequests).where(eq(samlRequests.connectionId, connection.id))).toHaveLength(2);

      const real = await runJob(db, purgeSamlStateJob, { organizationId: null, trigger: 'schedule', actor, now });
      expect(real).toMatchObject({ status: 'succeeded', counts: { delete_request: 1, delete_replay_entry: 1 } });
      expect((await db.select({ id: samlRequests.id }).from(samlRequests).where(eq(samlRequests.connectionId, connection.id))).map((r) => r.id)).toEqual([`${prefix}-live`]);
      const replay = await db.select({ id: samlReplayCache.assertionId }).from(samlReplayCache).where(eq(samlReplayCache.connectionId, connection.id));
      expect(replay.map((r) => r.id)).toEqual([`${prefix}-a2`]);
    }));

  it('purge-ended-sessions deletes sessions ended over 30 days before, whether expired or revoked, and nothing live or recent', () =>
    isolated(async (db) => {
      const { org, connection } = await makeOrganization(db);
      const account = await makeAccount(db, org.id);
      const session = (expiresAt: string) => insertSession(db, { organizationId: org.id, accountId: account.id, connectionId: connection.id, expiresAt: at(expiresAt) });
      const now = at('2000-03-01T00:00:00Z'); // the cutoff is 2000-01-31
      const expiredLongAgo = await session('2000-01-10T00:00:00Z');
      const expiredRecently = await session('2000-02-20T00:00:00Z');
      const live = await session('2000-03-02T00:00:00Z');
      const revoked = await session('2999-01-01T00:00:00Z');
      await revokeSession(db, revoked.id, 'test');
      await db.update(sessions).set({ revokedAt: at('2000-01-15T00:00:00Z') }).where(eq(sessions.id, revoked.id));
      const ids = [expiredLongAgo.id, expiredRecently.id, live.id, revoked.id];

      const dry = await runJob(db, purgeEndedSessionsJob, { organizationId: null, trigger: 'cli', actor, now, dryRun: true });
      expect(dry.counts).toEqual({ delete_session: 2 });
      const real = await runJob(db, purgeEndedSessionsJob, { organizationId: null, trigger: 'schedule', actor, now });
      expect(real).toMatchObject({ status: 'succeeded', counts: { delete_session: 2 } });
      const left = await db.select({ id: sessions.id }).from(sessions).where(inArray(sessions.id, ids));
      expect(left.map((r) => r.id).sort()).toEqual([expiredRecently.id, live.id].sort());
    }));

  it('purge-deprovisioned-accounts purges after the organization\'s days, plans it in a dry run, and audits it with the run id', () =>
    isolated(async (db) => {
      const { org } = await makeOrganization(db);
      await db.update(organizations).set({ settings: { purgeDeprovisionedAfterDays: 30 } }).where(eq(organizations.id, org.id));
      const gone = await makeAccount(db, org.id, { userName: `gone-${randomUUID().slice(0, 6)}@example.com` });
      const recent = await makeAccount(db, org.id);
      for (const a of [gone, recent]) await asAdmin(db, (tx, ctx) => deprovisionAccount(tx, { organizationId: org.id, accountId: a.id }, ctx));
      await db.update(accounts).set({ deactivatedAt: at('2000-01-01T00:00:00Z') }).where(eq(accounts.id, gone.id));
      await db.update(accounts).set({ deactivatedAt: at('2000-01-25T00:00:00Z') }).where(eq(accounts.id, recent.id));
      const now = at('2000-02-05T00:00:00Z');

      const dry = await runJob(db, purgeDeprovisionedAccountsJob, { organizationId: null, trigger: 'cli', actor, now, dryRun: true });
      expect(dry.counts).toEqual({ purge: 1 });
      expect(dry.planned).toEqual([expect.objectContaining({ accountId: gone.id, userName: gone.userName, action: 'purge', clause: 'deprovisioned 35 days ago ≥ purge after 30 days' })]);

      const real = await runJob(db, purgeDeprovisionedAccountsJob, { organizationId: null, trigger: 'schedule', actor, now });
      expect(real).toMatchObject({ status: 'succeeded', counts: { purge: 1 }, planned: [] });
      const rows = await db.select({ id: accounts.id, userName: accounts.userName, purgedAt: accounts.purgedAt }).from(accounts).where(inArray(accounts.id, [gone.id, recent.id]));
      expect(rows.find((r) => r.id === gone.id)).toMatchObject({ userName: `purged:${gone.id}`, purgedAt: now });
      expect(rows.find((r) => r.id === recent.id)).toMatchObject({ purgedAt: null });
      const events = await findAuditEvents(db, org.id, { targetId: gone.id, actions: ['account.purged'] });
      expect(events).toEqual([expect.objectContaining({ actorType: 'system', actorId: 'test', data: { runId: real.runId } })]);
    }));
});
