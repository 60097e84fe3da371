import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAccountById, updateAccount } from '@/db/queries/accounts';
import { auditEvents } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { inTransaction } from './context';

/**
 * A unit of work commits with its audit events or not at all, also now that the events' insert and
 * the COMMIT are sent together: a failed insert turns the COMMIT into a rollback and is thrown.
 */
const db = testDb();
let organizationId = '';
beforeAll(async () => {
  organizationId = (await makeOrganization(db)).org.id;
});
afterAll(closeTestDb);

/** The PostgreSQL error code, also through drizzle's wrapper. */
const pgCode = (error: { code?: string; cause?: { code?: string } }) => error.code ?? error.cause?.code;
const actor = { type: 'admin' as const, id: 'context-test' };
const eventsFor = (id: string) => db.select({ action: auditEvents.action }).from(auditEvents).where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.targetId, id)));

describe('inTransaction', () => {
  it('commits the change and its events together', async () => {
    const account = await makeAccount(db, organizationId);
    const result = await inTransaction(db, { actor }, async (tx, ctx) => {
      await updateAccount(tx, organizationId, account.id, { displayName: 'Committed' });
      ctx.record({ organizationId, actor, action: 'account.updated', target: { type: 'account', id: account.id } });
      return 'done';
    });
    expect(result).toBe('done');
    expect((await getAccountById(db, organizationId, account.id))?.displayName).toBe('Committed');
    expect((await eventsFor(account.id)).map((e) => e.action)).toContain('account.updated');
  });

  it('throws and keeps nothing when the events cannot be written', async () => {
    const account = await makeAccount(db, organizationId, { profile: { displayName: 'Before' } });
    const before = (await eventsFor(account.id)).length;
    const failing = inTransaction(db, { actor }, async (tx, ctx) => {
      await updateAccount(tx, organizationId, account.id, { displayName: 'Never' });
      // Not a uuid: the insert fails in the database, after the work returned.
      ctx.record({ organizationId: 'not-a-uuid', actor, action: 'account.updated', target: { type: 'account', id: account.id } });
      return 'done';
    });
    expect(await failing.then(() => null, pgCode)).toBe('22P02');
    expect((await getAccountById(db, organizationId, account.id))?.displayName).toBe('Before');
    expect(await eventsFor(account.id)).toHaveLength(before);
  });

  it('nested in a transaction, a failed insert rolls back to its savepoint only', async () => {
    const account = await makeAccount(db, organizationId, { profile: { displayName: 'Outer' } });
    await db.transaction(async (outer) => {
      await updateAccount(outer, organizationId, account.id, { title: 'kept' });
      const inner = inTransaction(outer, { actor }, async (tx, ctx) => {
        await updateAccount(tx, organizationId, account.id, { displayName: 'Inner' });
        ctx.record({ organizationId: 'not-a-uuid', actor, action: 'account.updated', target: { type: 'account', id: account.id } });
      });
      expect(await inner.then(() => null, pgCode)).toBe('22P02');
    });
    const after = await getAccountById(db, organizationId, account.id);
    expect({ title: after?.title, displayName: after?.displayName }).toEqual({ title: 'kept', displayName: 'Outer' });
  });
});
