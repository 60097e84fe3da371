import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { getAccountById } from '@/db/queries/accounts';
import { getLiveSession } from '@/db/queries/sessions';
import { accounts, auditEvents, dormancyPolicies } from '@/db/schema';
import type { Actor } from '@/lib/audit/record-event';
import { applyDirectoryStatus } from '@/lib/lifecycle/account/apply-directory-status';
import { restoreAccount } from '@/lib/lifecycle/account/set-account-status';
import { setAccountEndDate } from '@/lib/lifecycle/account/set-end-date';
import { inTransaction } from '@/lib/lifecycle/context';
import { makeAdminSession } from '@/lib/testing/admin-session';
import { asAdmin, closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { accountEndDateJob, runAccountEndDate } from './account-end-date';

const db = testDb();
afterAll(closeTestDb);
const HOUR = 3_600_000;
const system: Actor = { type: 'system', id: 'account-end-date' };
const soon = () => new Date(Date.now() + HOUR);

/** An organization whose breaker lets anything pass (unless `breaker`), with `others` plain active accounts. */
async function setup(options: { others?: number; breaker?: boolean } = {}) {
  const { org, connection } = await makeOrganization(db);
  if (!options.breaker) await db.insert(dormancyPolicies).values({ organizationId: org.id, dormantAfterDays: 90, maxSharePercent: 100 });
  for (let i = 0; i < (options.others ?? 0); i++) await makeAccount(db, org.id);
  return { org, connection };
}
const setEnd = (organizationId: string, accountId: string, endsAt: Date | null) => asAdmin(db, (tx, ctx) => setAccountEndDate(tx, { organizationId, accountId, endsAt }, ctx));
const run = (organizationId: string, now: Date, extra: Partial<{ dryRun: boolean; runId: string; confirmed: { runId: string; counts: Record<string, number> } }> = {}) =>
  runAccountEndDate({ db, now, dryRun: extra.dryRun ?? false, organizationId, runId: extra.runId ?? randomUUID(), actor: system, confirmed: extra.confirmed ?? null });
const events = (organizationId: string, action: 'account.ended' | 'account.suspended' | 'account.end_date_set' | 'account.end_date_cleared') =>
  db.select().from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.action, action)));

describe('account-end-date job', () => {
  it('is an organization job ticking every five minutes', () => {
    expect(accountEndDateJob).toMatchObject({ name: 'account-end-date', scope: 'organization', schedule: '*/5 * * * *' });
  });

  it('suspends an account at exactly its end date and ends its sessions; a future end date does nothing', async () => {
    const { org, connection } = await setup();
    const person = await makeAdminSession(db, org.id, connection.id, { admin: false });
    const later = await makeAccount(db, org.id);
    const endsAt = soon();
    await setEnd(org.id, person.account.id, endsAt);
    await setEnd(org.id, later.id, new Date(endsAt.getTime() + 1));

    expect(await run(org.id, new Date(endsAt.getTime() - 1))).toMatchObject({ counts: { end: 0 } });
    expect(await getLiveSession(db, person.sessionId)).not.toBeNull();
    const runId = randomUUID();
    expect(await run(org.id, endsAt, { runId })).toMatchObject({ counts: { end: 1 }, halted: null, details: { sessionsRevoked: 1 } });
    expect(await getLiveSession(db, person.sessionId)).toBeNull();
    expect((await getAccountById(db, org.id, person.account.id))?.status).toBe('suspended');
    expect((await getAccountById(db, org.id, later.id))?.status).toBe('active');
    expect(await events(org.id, 'account.ended')).toEqual([expect.objectContaining({ actorType: 'system', targetId: person.account.id, data: { runId, endsAt: endsAt.toISOString() } })]);
    expect(await events(org.id, 'account.suspended')).toEqual([expect.objectContaining({ targetId: person.account.id, data: expect.objectContaining({ sessionsRevoked: 1 }) })]);
    // Idempotent: nothing left to end at this time.
    expect(await run(org.id, endsAt)).toMatchObject({ counts: { end: 0 } });
    // Its tick fans out to organizations with an active account past its end date only.
    expect(await accountEndDateJob.selectOrganizations!(db, new Date(endsAt.getTime() + 1))).toContain(org.id);
    expect(await accountEndDateJob.selectOrganizations!(db, endsAt)).not.toContain(org.id);
  });

  it('lists in a dry run each account with its clause, and changes nothing', async () => {
    const { org } = await setup();
    const account = await makeAccount(db, org.id);
    const endsAt = soon();
    await setEnd(org.id, account.id, endsAt);
    const dry = await run(org.id, new Date(endsAt.getTime() + HOUR), { dryRun: true });
    expect(dry).toMatchObject({ counts: { end: 1 }, halted: null, planned: [{ accountId: account.id, userName: account.userName, action: 'end', clause: `end date ${endsAt.toISOString()} passed` }] });
    expect((await getAccountById(db, org.id, account.id))?.status).toBe('active');
    expect(await events(org.id, 'account.ended')).toHaveLength(0);
  });

  it('clearing the end date keeps the account', async () => {
    const { org } = await setup();
    const account = await makeAccount(db, org.id);
    await setEnd(org.id, account.id, soon());
    expect(await setEnd(org.id, account.id, null)).toMatchObject({ changed: true, account: { endsAt: null } });
    expect(await run(org.id, new Date(Date.now() + 2 * HOUR))).toMatchObject({ counts: { end: 0 } });
    expect((await getAccountById(db, org.id, account.id))?.status).toBe('active');
    const [cleared] = await events(org.id, 'account.end_date_cleared');
    expect(cleared).toMatchObject({ before: { endsAt: expect.any(String) }, after: { endsAt: null }, data: { via: 'admin' } });
  });

  it('halts on the breaker (default 10% of active accounts) before acting, and a confirmed run proceeds', async () => {
    const { org } = await setup({ breaker: true, others: 3 });
    const [a, b] = [await makeAccount(db, org.id), await makeAccount(db, org.id)];
    const endsAt = soon();
    await setEnd(org.id, a.id, endsAt);
    await setEnd(org.id, b.id, endsAt);
    const now = new Date(endsAt.getTime() + 1);
    const halted = await run(org.id, now);
    expect(halted).toMatchObject({ counts: { end: 2 }, halted: { reason: expect.stringContaining('2 of 5 active accounts (40.0%), over the limit of 10%') } });
    expect(halted.planned).toHaveLength(2);
    expect((await getAccountById(db, org.id, a.id))?.status).toBe('active');
    const confirmed = await run(org.id, now, { confirmed: { runId: randomUUID(), counts: halted.counts } });
    expect(confirmed).toMatchObject({ counts: { end: 2 }, halted: null });
    expect((await getAccountById(db, org.id, a.id))?.status).toBe('suspended');
  });
});

describe('setAccountEndDate', () => {
  it('records before and after, owns the date for the admin, and refuses an end date SCIM owns', async () => {
    const { org } = await setup();
    const account = await makeAccount(db, org.id);
    const endsAt = soon();
    const { account: set } = await setEnd(org.id, account.id, endsAt);
    expect(set).toMatchObject({ endsAt, fieldOwners: { endsAt: 'admin' } });
    expect(await setEnd(org.id, account.id, endsAt)).toMatchObject({ changed: false });
    expect(await events(org.id, 'account.end_date_set')).toEqual([expect.objectContaining({ before: { endsAt: null }, after: { endsAt: endsAt.toISOString() }, data: { via: 'admin', endsAt: endsAt.toISOString() } })]);

    const pushed = await makeAccount(db, org.id, { door: 'scim' });
    await db.update(accounts).set({ fieldOwners: { endsAt: 'scim' } }).where(eq(accounts.id, pushed.id));
    await expect(setEnd(org.id, pushed.id, endsAt)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('SCIM') });
  });
});

describe('an account past its end date', () => {
  it('is not restored by an admin until the end date moves, nor by SCIM active=true', async () => {
    const { org } = await setup();
    const account = await makeAccount(db, org.id, { door: 'scim' });
    const endsAt = soon();
    await setEnd(org.id, account.id, endsAt);
    const after = new Date(endsAt.getTime() + 1);
    await run(org.id, after);
    const restore = () => asAdmin(db, (tx, ctx) => restoreAccount(tx, { organizationId: org.id, accountId: account.id }, ctx), after);
    await expect(restore()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('end date') });
    const locked = await getAccountById(db, org.id, account.id);
    const kept = await inTransaction(db, { actor: { type: 'scim', id: 'test' }, now: after }, (tx, ctx) => applyDirectoryStatus(tx, { account: locked!, active: true }, ctx));
    expect(kept.status).toBe('suspended');
    await asAdmin(db, (tx, ctx) => setAccountEndDate(tx, { organizationId: org.id, accountId: account.id, endsAt: new Date(after.getTime() + HOUR) }, ctx), after);
    expect((await restore()).account.status).toBe('active');
  });
});
