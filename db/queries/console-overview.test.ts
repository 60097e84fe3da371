import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertConnection } from '@/db/queries/connections';
import { accounts, auditDailyCounts, auditEvents, externalIdentities, type NewAuditEvent } from '@/db/schema';
import { closeTestDb, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { getOverview } from './console-overview';

/**
 * The overview: counts by status and source, never signed in, accounts by connection (top ten and
 * the rest, an account counted once per connection), the last 30 UTC days of activity (finished
 * days kept once counted, the current ones counted live), recent admin actions and refusals; and
 * nothing of another organization.
 */
const db = testDb();
const now = new Date('2026-03-10T00:30:00.000Z'); // half an hour after midnight: yesterday is still counted live
const at = (iso: string) => new Date(iso);
let org = { id: '' };
let other = { id: '' };
let connectionIds: string[] = [];

beforeAll(async () => {
  const made = await makeOrganization(db);
  org = made.org;
  other = (await makeOrganization(db)).org;
  const statuses = ['active', 'active', 'active', 'suspended', 'deprovisioned', 'pending_approval'] as const;
  const rows = await db
    .insert(accounts)
    .values(
      Array.from({ length: 60 }, (_, i) => ({
        organizationId: org.id,
        userName: `o-${i}`,
        status: statuses[i % 6]!,
        source: (['jit', 'scim', 'manual'] as const)[i % 3]!,
        lastLoginAt: i % 4 === 0 ? null : at('2026-03-01T00:00:00Z'),
      })),
    )
    .returning({ id: accounts.id });
  await db.insert(accounts).values({ organizationId: other.id, userName: 'x', source: 'jit' });
  // Twelve connections: the n-th has 12 - n accounts (the first also a second identity of one of them).
  connectionIds = [made.connection.id];
  for (let n = 1; n < 12; n++) connectionIds.push((await insertConnection(db, { organizationId: org.id, name: `C${String(n).padStart(2, '0')}`, protocol: 'saml' })).id);
  await db.insert(externalIdentities).values(
    connectionIds.flatMap((connectionId, n) => rows.slice(0, 12 - n).map((a, k) => ({ organizationId: org.id, connectionId, subject: `s-${n}-${k}`, accountId: a.id }))),
  );
  await db.insert(externalIdentities).values({ organizationId: org.id, connectionId: connectionIds[0]!, subject: 'second-subject', accountId: rows[0]!.id });

  const ev = (iso: string, e: Omit<NewAuditEvent, 'organizationId'>, organizationId = org.id) => ({ organizationId, createdAt: at(iso), ...e });
  const signIn = { actorType: 'user' as const, action: 'login.succeeded' };
  await db.insert(auditEvents).values([
    ev('2026-02-08T23:59:59Z', signIn), // 30 days before today: outside the window
    ev('2026-02-09T00:00:00Z', signIn), // the window's first day
    ev('2026-03-01T12:00:00Z', signIn),
    ev('2026-03-01T13:00:00Z', signIn),
    ev('2026-03-01T14:00:00Z', { actorType: 'user', action: 'account.jit_created' }),
    ev('2026-03-01T15:00:00Z', { actorType: 'scim', action: 'account.updated' }),
    ev('2026-03-09T23:59:59Z', signIn), // yesterday, within the hour after midnight: live
    ev('2026-03-10T00:10:00Z', { actorType: 'scim', action: 'account.suspended' }), // today
    ev('2026-03-01T12:00:00Z', signIn, other.id),
    ...Array.from({ length: 12 }, (_, i) => ev(`2026-03-02T10:${String(i).padStart(2, '0')}:00Z`, { actorType: i % 2 ? 'admin' : 'cli', actorId: 'ops', action: 'role.granted' })),
    ev('2026-03-02T11:00:00Z', { actorType: 'user', action: 'login.rejected', data: { reason: 'domain_not_allowed', detail: 'evil.test', connectionId: null, subject: 's' } }),
    ev('2026-03-02T12:00:00Z', { actorType: 'admin', actorId: 'ops', action: 'role.granted' }, other.id),
  ]);
});
afterAll(closeTestDb);

describe('console overview', () => {
  it('counts accounts by status and source, never signed in, and by connection', async () => {
    const { accounts: counted } = await getOverview(db, org.id, now);
    expect(counted.total).toBe(60);
    expect(counted.byStatus).toEqual({ active: 30, suspended: 10, deprovisioned: 10, pending_approval: 10 });
    expect(counted.bySource).toEqual({ jit: 20, scim: 20, manual: 20 });
    expect(counted.neverSignedIn).toBe(Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 4 === 0 && i % 6 < 3).length);
    expect(counted.byConnection.top.map((c) => [c.connectionId, c.accounts])).toEqual(connectionIds.slice(0, 10).map((id, n) => [id, 12 - n]));
    expect(counted.byConnection.top[1]).toMatchObject({ name: 'C01', protocol: 'saml' });
    expect(counted.byConnection.rest).toEqual({ connections: 2, accounts: 2 + 1 });
  });

  it('counts 30 UTC days of activity, finished days once, the current ones live', async () => {
    const first = await getOverview(db, org.id, now);
    expect(first.activity).toHaveLength(30);
    expect(first.activity[0]).toEqual({ day: '2026-02-09', signIns: 1, jitJoins: 0, scimEvents: 0 });
    expect(first.activity.find((d) => d.day === '2026-03-01')).toEqual({ day: '2026-03-01', signIns: 2, jitJoins: 1, scimEvents: 1 });
    expect(first.activity.at(-2)).toEqual({ day: '2026-03-09', signIns: 1, jitJoins: 0, scimEvents: 0 });
    expect(first.activity.at(-1)).toEqual({ day: '2026-03-10', signIns: 0, jitJoins: 0, scimEvents: 1 });
    const kept = await db.select({ day: auditDailyCounts.day }).from(auditDailyCounts).where(and(eq(auditDailyCounts.organizationId, org.id), eq(auditDailyCounts.metric, 'sign_ins')));
    expect(kept.map((k) => k.day).sort()).toEqual(first.activity.slice(0, 28).map((d) => d.day)); // not yesterday (within the hour), not today
    // A late event of today still counts; the finished days are read back as they were kept.
    await db.insert(auditEvents).values({ organizationId: org.id, createdAt: at('2026-03-10T00:20:00Z'), actorType: 'user', action: 'login.succeeded' });
    const second = await getOverview(db, org.id, now);
    expect(second.activity.slice(0, 29)).toEqual(first.activity.slice(0, 29));
    expect(second.activity.at(-1)).toEqual({ day: '2026-03-10', signIns: 1, jitJoins: 0, scimEvents: 1 });
  });

  it('lists the ten latest admin and CLI actions and the latest refusals with their reason', async () => {
    const overview = await getOverview(db, org.id, now);
    expect(overview.recentAdminActions).toHaveLength(10);
    expect(overview.recentAdminActions.map((e) => e.createdAt.toISOString())).toEqual(Array.from({ length: 10 }, (_, i) => `2026-03-02T10:${String(11 - i).padStart(2, '0')}:00.000Z`));
    expect(overview.recentRefusals).toHaveLength(1);
    expect(overview.recentRefusals[0]).toMatchObject({ action: 'login.rejected', reason: 'domain_not_allowed', detail: 'evil.test' });
  });

  it('shows another organization nothing of this one', async () => {
    const theirs = await getOverview(db, other.id, now);
    expect(theirs.accounts.total).toBe(1);
    expect(theirs.accounts.byConnection.top.every((c) => !connectionIds.includes(c.connectionId))).toBe(true);
    expect(theirs.activity.find((d) => d.day === '2026-03-01')?.signIns).toBe(1);
    expect(theirs.recentAdminActions).toHaveLength(1);
    expect(theirs.recentRefusals).toEqual([]);
  });
});
